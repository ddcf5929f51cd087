// The map of events, actors and initiatives (/map), drawn above the list the server wrote
// (progressive enhancement: without JavaScript the list alone stays, and says the same).
// Reads <div id="carte" data-json data-tiles data-bounds data-label-* data-letter-*>, loads the
// GeoJSON of /map.json with the page's filters, and draws clustered markers (Leaflet and
// Leaflet.markercluster, vendored in static/vendor/leaflet) told apart by shape, letter and
// colour. Every text from the data is written with textContent: never as HTML.
(function () {
  "use strict";
  var KINDS = ["event", "actor", "initiative"];

  function start(box) {
    if (!window.L || !window.L.markerClusterGroup) {
      return;
    }
    box.hidden = false;
    var map = window.L.map(box, { zoomControl: false, attributionControl: false });
    window.L.control.zoom({
      zoomInTitle: box.getAttribute("data-zoom-in") || "Zoom in",
      zoomOutTitle: box.getAttribute("data-zoom-out") || "Zoom out"
    }).addTo(map);
    window.L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' }).addTo(map);
    window.L.tileLayer(box.getAttribute("data-tiles"), {
      maxZoom: 19,
      attribution: '<a href="https://www.openstreetmap.org/copyright">' +
        escapeText(box.getAttribute("data-attribution") || "OpenStreetMap") + "</a>"
    }).addTo(map);
    map.fitBounds(regionBounds(box));
    fetch(box.getAttribute("data-json"), { headers: { Accept: "application/geo+json" } })
      .then(function (answer) {
        if (!answer.ok) {
          throw new Error(String(answer.status));
        }
        return answer.json();
      })
      .then(function (data) { draw(map, box, data); })
      .catch(function () { say(box.getAttribute("data-failed")); });
  }

  function draw(map, box, data) {
    var clusters = window.L.markerClusterGroup({
      showCoverageOnHover: false,
      iconCreateFunction: function (cluster) { return clusterIcon(cluster, box); }
    });
    var points = [];
    (data.features || []).forEach(function (feature) {
      var kind = feature.properties && feature.properties.kind;
      var where = feature.geometry && feature.geometry.coordinates;
      if (KINDS.indexOf(kind) < 0 || !where || where.length !== 2) {
        return;
      }
      var latlng = [where[1], where[0]];
      var marker = window.L.marker(latlng, {
        icon: kindIcon(kind, box),
        title: box.getAttribute("data-label-" + kind) + separator() + feature.properties.title,
        riseOnHover: true
      });
      marker.bindPopup(function () { return popup(feature.properties, box); });
      clusters.addLayer(marker);
      points.push(latlng);
    });
    map.addLayer(clusters);
    box.setAttribute("data-markers", String(points.length));
    if (points.length) {
      map.fitBounds(window.L.latLngBounds(points), { padding: [30, 30], maxZoom: 14 });
    }
  }

  function kindIcon(kind, box) {
    var pin = document.createElement("span");
    pin.className = "map-pin map-pin--" + kind;
    pin.setAttribute("aria-hidden", "true");
    var letter = document.createElement("span");
    letter.textContent = box.getAttribute("data-letter-" + kind) || kind.charAt(0).toUpperCase();
    pin.appendChild(letter);
    return window.L.divIcon({
      html: pin, className: "map-marker map-marker--" + kind,
      iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12]
    });
  }

  function clusterIcon(cluster, box) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var inner = document.createElement("div");
    var number = document.createElement("span");
    number.textContent = String(count);
    var words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = " " + (box.getAttribute("data-cluster") || "places: zoom in");
    number.appendChild(words);
    inner.appendChild(number);
    return window.L.divIcon({
      html: inner, className: "marker-cluster marker-cluster-" + size,
      iconSize: window.L.point(40, 40)
    });
  }

  function popup(properties, box) {
    var body = document.createElement("div");
    body.className = "map-popup";
    var kind = document.createElement("p");
    kind.className = "map-popup-kind";
    kind.textContent = box.getAttribute("data-label-" + properties.kind) || properties.kind;
    body.appendChild(kind);
    var title = document.createElement("p");
    title.className = "map-popup-title";
    if (properties.url && /^https?:\/\//.test(properties.url)) {
      var link = document.createElement("a");
      link.href = properties.url;
      link.textContent = properties.title;
      title.appendChild(link);
    } else {
      title.textContent = properties.title;
    }
    body.appendChild(title);
    if (properties.line) {
      var line = document.createElement("p");
      line.className = "map-popup-line";
      line.textContent = properties.line;
      body.appendChild(line);
    }
    return body;
  }

  function separator() {
    return document.documentElement.lang === "fr" ? "\u00a0: " : ": ";
  }

  function regionBounds(box) {
    var parts = (box.getAttribute("data-bounds") || "").split(",").map(parseFloat);
    if (parts.length !== 4 || parts.some(isNaN)) {
      parts = [41.3, -5.2, 51.1, 9.6];
    }
    return [[parts[0], parts[1]], [parts[2], parts[3]]];
  }

  function say(text) {
    var status = document.getElementById("carte-etat");
    if (status && text) {
      status.textContent = text;
    }
  }

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  var box = document.getElementById("carte");
  if (box && box.getAttribute("data-json") && box.getAttribute("data-tiles")) {
    start(box);
  }
})();

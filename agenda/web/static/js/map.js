// The small map of an event's place (progressive enhancement): fills <div class="event-map"
// data-lat data-lon> with Leaflet (vendored in static/vendor/leaflet) and OpenStreetMap tiles.
// Without JavaScript the div stays hidden and the "See on the map (OpenStreetMap)" link remains.
(function () {
  "use strict";
  function draw(box) {
    var lat = parseFloat(box.getAttribute("data-lat"));
    var lon = parseFloat(box.getAttribute("data-lon"));
    var tiles = box.getAttribute("data-tiles");
    if (!window.L || isNaN(lat) || isNaN(lon) || !tiles) {
      return;
    }
    box.classList.add("is-drawn");
    var map = window.L.map(box, {
      scrollWheelZoom: false, dragging: !window.L.Browser.mobile, tap: false,
      zoomControl: false, attributionControl: false
    }).setView([lat, lon], 16);
    window.L.control.zoom({
      zoomInTitle: box.getAttribute("data-zoom-in") || "Zoom in",
      zoomOutTitle: box.getAttribute("data-zoom-out") || "Zoom out"
    }).addTo(map);
    window.L.control.attribution({ prefix: false }).addTo(map);
    window.L.tileLayer(tiles, {
      maxZoom: 19,
      attribution: '<a href="https://www.openstreetmap.org/copyright">' +
        escapeText(box.getAttribute("data-attribution") || "OpenStreetMap") + "</a>"
    }).addTo(map);
    window.L.marker([lat, lon], {
      keyboard: false, interactive: false, alt: box.getAttribute("data-place") || ""
    }).addTo(map);
  }
  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }
  document.querySelectorAll(".event-map[data-lat][data-lon]").forEach(draw);
})();

// Agenda commun: the embeddable list of upcoming events, in one line:
//   <script src="https://<site>/widget.js" data-actor="12" data-theme="reemploi" async></script>
// Inserts after itself a frame showing <site>/widget/events with the data-* attributes as the
// filters (several values separated by commas), and sizes it to the height the widget page
// posts (messages from another origin or another frame are ignored).
(function () {
  "use strict";
  var PARAMETERS = ["actor", "theme", "dept", "commune", "campaign", "limit", "lang", "q",
                    "source", "mode", "from", "to", "city"];
  var REPEATED = ["actor", "theme", "dept", "commune", "source"];
  // the running script; a tag manager that injects it leaves no currentScript: the first
  // widget.js tag not yet done then
  var script = document.currentScript || [].filter.call(
    document.querySelectorAll('script[src*="widget.js"]'),
    function (tag) { return tag.getAttribute("data-agenda-commun") !== "done"; })[0];
  if (!script || !script.src || script.getAttribute("data-agenda-commun") === "done") {
    return;
  }
  script.setAttribute("data-agenda-commun", "done");
  var source = new URL(script.src, document.baseURI);
  var query = new URLSearchParams();
  PARAMETERS.forEach(function (name) {
    var value = script.getAttribute("data-" + name);
    if (value === null || value.trim() === "") {
      return;
    }
    var values = REPEATED.indexOf(name) >= 0 ? value.split(/[\s,]+/) : [value.trim()];
    values.forEach(function (one) {
      if (one) {
        query.append(name, one);
      }
    });
  });
  var address = new URL(source.pathname.replace(/widget\.js$/, "widget/events"), source);
  address.search = query.toString();
  var frame = document.createElement("iframe");
  frame.src = address.href;
  frame.title = script.getAttribute("data-title") || "Agenda commun";
  frame.setAttribute("loading", "lazy");
  frame.className = "agenda-commun-widget";
  frame.style.width = "100%";
  frame.style.maxWidth = "100%";
  frame.style.border = "0";
  frame.style.height = (parseInt(script.getAttribute("data-height"), 10) || 480) + "px";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== source.origin || event.source !== frame.contentWindow) {
      return;
    }
    var data = event.data;
    if (!data || data.type !== "agenda-commun:height" || typeof data.height !== "number") {
      return;
    }
    frame.style.height = Math.max(80, Math.min(Math.ceil(data.height), 20000)) + "px";
  });
})();

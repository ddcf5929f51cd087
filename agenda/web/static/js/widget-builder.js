// The widget's builder (/widget/): the preview frame takes the height the widget page posts,
// as the embed script does on other sites (only messages of this origin, from that frame).
(function () {
  "use strict";
  var frame = document.querySelector("iframe[data-widget-preview]");
  if (!frame) {
    return;
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== window.location.origin || event.source !== frame.contentWindow ||
        !data || data.type !== "agenda-commun:height" || typeof data.height !== "number") {
      return;
    }
    frame.style.height = Math.max(80, Math.min(Math.ceil(data.height), 5000)) + "px";
  });
})();

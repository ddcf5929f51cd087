// The widget page (/widget/events), inside another site's frame: tells that page its height
// whenever it changes, so that the embed script (widget.js) sizes the frame to fit. The height
// is no secret: it is posted to any parent; the parent checks it comes from our origin.
(function () {
  "use strict";
  if (window.parent === window) {
    return;
  }
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height && height !== last) {
      last = height;
      window.parent.postMessage({ type: "agenda-commun:height", height: height }, "*");
    }
  }
  if (window.ResizeObserver) {
    new window.ResizeObserver(post).observe(document.documentElement);
  }
  window.addEventListener("load", post);
  post();
})();

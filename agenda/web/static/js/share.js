// "Share…" (progressive enhancement): where the browser can share (navigator.share, mostly
// phones), the hidden button appears and opens the system's share sheet with the page's
// title and address. Elsewhere the address stays in its field, with its copy button.
(function () {
  "use strict";
  if (!navigator.share) {
    return;
  }
  document.querySelectorAll("button.js-share[data-share-url]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({
        title: button.getAttribute("data-share-title") || document.title,
        url: button.getAttribute("data-share-url")
      }).catch(function () { /* closed by the person: nothing to say */ });
    });
  });
})();

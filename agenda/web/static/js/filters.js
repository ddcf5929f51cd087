// The "Filter" disclosure of a listing (progressive enhancement): closed on a phone, so that the
// results come first; opened on a wide screen, where it stands beside the results. Without
// JavaScript it stays a <details> the visitor opens.
(function () {
  "use strict";
  var panel = document.getElementById("filtrer");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 52rem)").matches) {
    panel.open = true;
  }
})();

// The "Filter" disclosure of a listing (progressive enhancement): closed on a phone, so that the
// results come first; opened on a wide screen, where it stands beside the results, when it says
// data-open-wide (not on the month, whose grid takes the whole width). Without JavaScript it
// stays a <details> the visitor opens.
(function () {
  "use strict";
  var panel = document.getElementById("filtrer");
  if (panel && panel.hasAttribute("data-open-wide") && window.matchMedia && window.matchMedia("(min-width: 52rem)").matches) {
    panel.open = true;
  }
})();

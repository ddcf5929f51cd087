// The error summary of a refused form (progressive enhancement): following one of its links
// puts the focus in the field itself (the first box of a group), with its label in view, so
// that typing can start at once. Without JavaScript the links still lead to the fields.
(function () {
  "use strict";
  var summary = document.getElementById("erreurs");
  if (!summary) {
    return;
  }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    var target = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!target) {
      return;
    }
    var field = target.matches("input, select, textarea") ? target
      : target.querySelector("input, select, textarea");
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();

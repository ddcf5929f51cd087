// The event form's "All day" box (progressive enhancement): ticked, the start and end times are
// not needed, so they stop saying they are required; unticked, they say it again. Without
// JavaScript their labels say "required, except all day" and the server checks the same.
(function () {
  "use strict";
  var box = document.getElementById("all_day");
  if (!box) {
    return;
  }
  var fields = ["start_time", "end_time"].map(function (id) {
    return document.getElementById(id);
  }).filter(Boolean);
  function update() {
    fields.forEach(function (field) {
      field.setAttribute("aria-required", box.checked ? "false" : "true");
      var label = document.querySelector("label[for='" + field.id + "'] .required");
      if (label) {
        label.hidden = box.checked;
      }
    });
  }
  box.addEventListener("change", update);
  update();
})();

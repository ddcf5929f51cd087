// Copy buttons (progressive enhancement): <button data-copy="ID"> copies the value or text of
// the element #ID and says so in its live region. Without JavaScript the buttons stay hidden
// (they carry the "js-only" class) and the text remains selectable in its field.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function copied(button) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (status) {
      status.textContent = button.getAttribute("data-copied") || "";
    }
  }
  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) {
      return;
    }
    var text = target.value !== undefined ? target.value : target.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); });
      return;
    }
    if (target.select) {
      target.select();
      document.execCommand("copy");
      copied(button);
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (button) {
      event.preventDefault();
      copy(button);
    }
  });
})();

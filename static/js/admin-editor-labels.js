// Gives each rich-text editor in the admin the accessible name of its field's label:
// the editor is a contenteditable box that screen readers would otherwise announce unnamed.
(function () {
  "use strict";

  function labelEditors(root) {
    root.querySelectorAll(".ProseMirror:not([aria-label])").forEach(function (editor) {
      var wrapper = editor.closest(".form-row, .fieldBox, .form-multiline, div");
      var field = wrapper && wrapper.closest("[class*='field-']");
      var label = field && field.querySelector("label");
      if (label) {
        editor.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelEditors(document);
    new MutationObserver(function () {
      labelEditors(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();

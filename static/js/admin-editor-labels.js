// Gives each rich-text editor in the admin the accessible name of its field's label (the
// editor is a contenteditable box that screen readers would otherwise announce unnamed), and
// puts the editor's own words in the admin's language: django-prose-editor translates its
// dialogs but writes its buttons' names, block styles and yes/no choices in English.
(function () {
  "use strict";

  // For `makemessages -d djangojs`: the editor's words, translated in locale/*/djangojs.po.
  var noop = window.gettext_noop || function (text) { return text; };
  [
    noop("paragraph"), noop("unordered list"), noop("ordered list"), noop("bold"),
    noop("italic"), noop("subscript"), noop("superscript"), noop("insert link"),
    noop("remove link"), noop("Insert table"), noop("Add column"), noop("Delete column"),
    noop("Add row"), noop("Delete row"), noop("Merge cells"), noop("Split cell"),
    noop("Toggle header cell"), noop("Delete table"), noop("undo"), noop("redo"),
    noop("Heading 2"), noop("Heading 3"), noop("Heading 4"), noop("Paragraph"),
    noop("Yes"), noop("No")
  ];

  function labelEditors(root) {
    root.querySelectorAll(".ProseMirror[contenteditable]:not([aria-label])").forEach(function (editor) {
      var wrapper = editor.closest(".form-row, .fieldBox, .form-multiline, div");
      var field = wrapper && wrapper.closest("[class*='field-']");
      var label = field && field.querySelector("label");
      if (label) {
        editor.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    });
  }

  function translated(text) {
    var words = text.trim();
    var said = words && window.gettext ? window.gettext(words) : words;
    return said !== words ? said : null;
  }

  function translateEditors(root) {
    root.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]").forEach(
      function (button) {
        ["title", "aria-label"].forEach(function (name) {
          var said = button.hasAttribute(name) && translated(button.getAttribute(name));
          if (said) button.setAttribute(name, said);
        });
      }
    );
    root.querySelectorAll(".prose-menubar__option > *").forEach(function (style) {
      var said = translated(style.textContent);
      if (said) style.textContent = said;
    });
    root.querySelectorAll(".prose-editor-dialog option").forEach(function (option) {
      var said = translated(option.textContent);
      if (said) {
        option.value = option.value;  // the editor reads the English value it wrote
        option.textContent = said;
      }
    });
  }

  function update(root) {
    labelEditors(root);
    translateEditors(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    update(document);
    // Editors and dialogs appear later (inlines added, a dialog opened); typing inside an
    // editor changes nothing this names, so it is not looked through at every keystroke.
    new MutationObserver(function (mutations) {
      var typing = mutations.every(function (mutation) {
        return mutation.target.closest && mutation.target.closest("[contenteditable=true]");
      });
      if (!typing) update(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();

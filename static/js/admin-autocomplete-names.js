// Django's autocomplete widgets (its vendored select2) leave their controls without names:
// the single select's combobox is named only by its current value (none when empty), and the
// multiple select's search field by nothing. Each is named here after its field's label, as
// select2 draws (and redraws) them, so that screen readers say which field they are.
(function () {
  "use strict";

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !label.id) label.id = select.id + "-label";
    return label;
  }

  function name(container) {
    var select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") return;
    var label = labelOf(select);
    var text = label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
    var single = container.querySelector(".select2-selection--single");
    if (single) {
      var rendered = single.querySelector(".select2-selection__rendered");
      var ids = [label && label.id, rendered && rendered.id].filter(Boolean).join(" ");
      if (ids) single.setAttribute("aria-labelledby", ids);
      // The current value, shown as a read-only textbox, is named by the label too.
      if (rendered) rendered.setAttribute("aria-label", text);
    }
    var list = container.querySelector(".select2-selection--multiple .select2-selection__rendered");
    if (list) list.setAttribute("role", "presentation");
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      field.setAttribute("aria-label", text);
    });
  }

  function nameAll(root) {
    if (!root.querySelectorAll) return;
    if (root.classList && root.classList.contains("select2-container")) name(root);
    root.querySelectorAll(".select2-container").forEach(name);
    var inside = root.closest && root.closest(".select2-container");
    if (inside) name(inside);
  }

  // The open list: its search field is named like the field, the combobox says which list
  // it controls (ARIA 1.2), and the list opens inside the page's main landmark.
  function whenOpen(event) {
    var select = event.target;
    var label = labelOf(select);
    var text = label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
    document
      .querySelectorAll(".select2-container--open .select2-search--dropdown .select2-search__field")
      .forEach(function (field) {
        field.setAttribute("aria-label", text);
      });
    document.querySelectorAll(".select2-selection[aria-owns]").forEach(function (combobox) {
      combobox.setAttribute("aria-controls", combobox.getAttribute("aria-owns"));
    });
  }

  var jQuery = window.django && window.django.jQuery;
  if (jQuery && jQuery.fn.select2 && jQuery.fn.select2.defaults) {
    var main = document.querySelector("main");
    if (main) jQuery.fn.select2.defaults.set("dropdownParent", jQuery(main));
  }

  function start() {
    if (jQuery) jQuery(document).on("select2:open", whenOpen);
    nameAll(document.body);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(nameAll);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

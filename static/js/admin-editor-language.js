// Spellcheck in the release's language: the body editor and the text fields say which language
// they are written in (`lang`), taken from the language menu and kept current when it changes.
(function () {
  "use strict";

  var TEXT_FIELDS = "#id_headline, #id_subheadline, #id_summary, #id_dateline_city";

  function apply() {
    var menu = document.getElementById("id_language");
    if (!menu || !menu.value) return;
    var targets = document.querySelectorAll(TEXT_FIELDS + ", .field-body .ProseMirror");
    targets.forEach(function (element) {
      if (element.getAttribute("lang") !== menu.value) element.setAttribute("lang", menu.value);
      if (element.getAttribute("spellcheck") !== "true") element.setAttribute("spellcheck", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var menu = document.getElementById("id_language");
    if (!menu) return;
    apply();
    menu.addEventListener("change", apply);
    // The editor is built after the page loads, and rebuilds its element's attributes.
    new MutationObserver(apply).observe(document.getElementById("content-main") || document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["lang", "spellcheck"],
    });
  });
})();

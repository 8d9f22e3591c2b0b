// The checklist's links (templates/admin/releases/release/checklist.html) lead to their field
// and put the cursor in it: a fragment link alone only scrolls. Fields the admin hides behind a
// widget (the body's editor, the autocomplete menus) are reached through the widget; a page
// opened with a field's anchor (from the confirmation page) focuses it too.
(function () {
  "use strict";

  var FOCUSABLE = ".ProseMirror, .select2-selection, input:not([type=hidden]), select, textarea";

  function visible(element) {
    return element.getClientRects().length > 0 && element.type !== "hidden";
  }

  function focusField(id) {
    var target = document.getElementById(id);
    if (!target) return false;
    var place = target.closest(".form-row, .inline-related") || target;
    var field = target;
    if (!target.matches(FOCUSABLE) || !visible(target)) {
      var candidates = Array.prototype.filter.call(place.querySelectorAll(FOCUSABLE), visible);
      field = candidates[0] || target;
    }
    place.scrollIntoView({ block: "center" });
    if (field.focus) field.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".checklist a[data-field]");
    if (!link || link.pathname !== window.location.pathname) return;
    if (focusField(link.dataset.field.slice(1))) {
      event.preventDefault();
      window.history.replaceState(null, "", link.dataset.field);
    }
  });

  function focusFromAddress() {
    if (window.location.hash.indexOf("#id_") === 0 || /^#\w+-\d+$/.test(window.location.hash)) {
      focusField(window.location.hash.slice(1));
    }
  }

  // After the other scripts (the editor, the autocomplete menus) have built their widgets.
  window.addEventListener("load", focusFromAddress);
})();

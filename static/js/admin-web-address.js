// The web address shown whole under its field follows the field as it is edited.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var field = document.getElementById("id_slug");
    var shown = document.querySelector("[data-web-address-slug]");
    if (!field || !shown) return;
    var update = function () {
      shown.textContent = field.value;
    };
    ["input", "change", "keyup"].forEach(function (name) {
      field.addEventListener(name, update);
    });
    // The admin fills the field from the headline as it is typed.
    var headline = document.getElementById("id_headline");
    if (headline) headline.addEventListener("input", function () { window.setTimeout(update, 0); });
  });
})();

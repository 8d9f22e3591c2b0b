// The Event section belongs to a media advisory: it is shown while the type chosen above is
// one, from the moment it is chosen, saved or not. On another type it is shown only while it
// holds an event (a saved one to remove, or one typed before the type changed, which the
// server refuses with its reason); without this script it is always shown.
(function () {
  "use strict";

  var script = document.currentScript;
  var advisory = script && script.dataset.type;

  document.addEventListener("DOMContentLoaded", function () {
    var type = document.getElementById("id_release_type");
    var group = document.getElementById("advisory_event-group");
    if (!advisory || !type || !group) return;
    var update = function () {
      var holdsAnEvent = group.querySelector(".inline-related:not(.empty-form)") !== null;
      group.hidden = type.value !== advisory && !holdsAnEvent;
    };
    type.addEventListener("change", update);
    update();
  });
})();

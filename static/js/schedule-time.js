// The schedule page says, under the time being typed, the minute it names in the newsroom's
// zone and in UTC, before anything is scheduled. The server decides the same (and asks which
// one is meant in the hour the clocks repeat); this only shows it early.
(function () {
  "use strict";

  var script = document.currentScript;
  var zone = script && script.dataset.zone;
  var input = document.getElementById("id_go_live");
  if (!zone || !input || !window.Intl) return;

  // Minutes the zone is ahead of UTC at the instant ``ms``.
  function offset(ms) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit",
    }).formatToParts(new Date(ms)).forEach(function (part) {
      parts[part.type] = part.value;
    });
    var wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute);
    return Math.round((wall - Math.floor(ms / 60000) * 60000) / 60000);
  }

  // “2031-03-09T02:30” as the milliseconds of that wall clock read as UTC; null if unreadable.
  function wallOf(text) {
    var match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(text);
    return match ? Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5]) : null;
  }

  // The instant a wall-clock time in the zone names (the first, in a repeated hour); NaN for
  // a time the clocks skip (it names no instant: the server refuses it too).
  function instant(text) {
    var wall = wallOf(text);
    if (wall === null) return null;
    var guess = wall - offset(wall) * 60000;
    var at = wall - offset(guess) * 60000;
    return at + offset(at) * 60000 === wall ? at : NaN;
  }

  var hint = document.createElement("p");
  hint.className = "schedule-time help";
  hint.setAttribute("aria-live", "polite");
  input.parentNode.appendChild(hint);
  var local = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    timeZone: zone, weekday: "short", year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short",
  });
  var utc = new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  // A wall-clock time as the page's language writes it (read "in UTC": it is the wall itself).
  var wallClock = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    timeZone: "UTC", weekday: "short", year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  // The time the server refused, with its reason above the field: not said a second time.
  var refused = input.closest(".form-row").querySelector(".errorlist") ? input.value : null;

  function show() {
    var at = instant(input.value);
    if (at === null || (input.value === refused && isNaN(at))) {
      hint.textContent = "";
    } else if (isNaN(at)) {
      var wall = wallClock.format(wallOf(input.value));
      hint.textContent = (script.dataset.missing || "").replace("{time}", wall);
    } else {
      hint.textContent = (script.dataset.label || "") + local.format(at) + " (" + utc.format(at) + " UTC)";
    }
  }

  input.addEventListener("input", show);
  input.addEventListener("change", show);
  show();
})();

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
  // The newsroom's English (“en-GB”) when the page names it; else the page's language.
  var language = script.dataset.locale || document.documentElement.lang || undefined;
  var french = /^fr\b/i.test(language || "");
  var NBSP = "\u00a0";

  // The zone's name at ``ms`` as the server writes it (“EDT”, « HAE »): daylight time when the
  // zone is ahead of its winter offset; the browser's own name if the page gave none.
  function zoneName(ms) {
    var year = new Date(ms).getUTCFullYear();
    var winter = Math.min(offset(Date.UTC(year, 0, 15)), offset(Date.UTC(year, 6, 15)));
    var name = offset(ms) > winter ? script.dataset.daylight : script.dataset.standard;
    if (name) return name;
    var part = new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: "short" })
      .formatToParts(new Date(ms)).filter(function (each) { return each.type === "timeZoneName"; });
    return part.length ? part[0].value : "";
  }

  // French, as the rest of the French desk writes a moment: « dimanche 7 novembre 2027, 1 h 30 »
  // (the whole weekday and month, 1er on the first, the hour unpadded and “h” between).
  function frenchParts(ms, timeZone) {
    var parts = {};
    new Intl.DateTimeFormat("fr-CA", {
      timeZone: timeZone, weekday: "long", year: "numeric", month: "long", day: "numeric",
      hour: "numeric", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(ms)).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return {
      day: parts.weekday + " " + (parts.day === "1" ? "1er" : parts.day) + " " + parts.month +
        " " + parts.year,
      time: String(+parts.hour) + NBSP + "h" + NBSP + parts.minute,
    };
  }

  var local = new Intl.DateTimeFormat(language, {
    timeZone: zone, weekday: "short", year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  var utc = new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  // A wall-clock time as the page's language writes it (read "in UTC": it is the wall itself).
  var wallClock = new Intl.DateTimeFormat(language, {
    timeZone: "UTC", weekday: "short", year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  // “Sun, May 9, 2031, 06:00 EDT (10:00 UTC)”; « dimanche 9 mai 2031, 6 h 00 HAE (10 h 00 UTC) ».
  function moment(ms) {
    if (french) {
      var here = frenchParts(ms, zone);
      var there = frenchParts(ms, "UTC");
      return here.day + ", " + here.time + " " + zoneName(ms) + " (" + there.time + " UTC)";
    }
    return local.format(ms) + " " + zoneName(ms) + " (" + utc.format(ms) + " UTC)";
  }

  // The skipped wall clock inside the server's sentence: « Le dimanche 14 mars 2027 à 2 h 30 ».
  function wallInWords(wall) {
    if (!french) return wallClock.format(wall);
    var parts = frenchParts(wall, "UTC");
    return parts.day + " à " + parts.time;
  }

  // The time the server refused, with its reason above the field: not said a second time.
  var refused = input.closest(".form-row").querySelector(".errorlist") ? input.value : null;

  function show() {
    var at = instant(input.value);
    if (at === null || (input.value === refused && isNaN(at))) {
      hint.textContent = "";
    } else if (isNaN(at)) {
      hint.textContent = (script.dataset.missing || "").replace(
        "{time}", wallInWords(wallOf(input.value))
      );
    } else {
      hint.textContent = (script.dataset.label || "") + moment(at);
    }
  }

  input.addEventListener("input", show);
  input.addEventListener("change", show);
  show();
})();

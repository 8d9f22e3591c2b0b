// An advisory's event in the reader's own time zone, after the newsroom's and UTC that the
// page already gives (progressive enhancement: without script nothing is missing).
(function () {
  "use strict";
  var items = document.querySelectorAll(".advisory-event__reader-time[data-starts]");
  if (!items.length || !window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  var language = document.documentElement.lang || undefined;
  var options = {
    weekday: "long", year: "numeric", month: "long", day: "numeric",
    hour: "numeric", minute: "2-digit", timeZoneName: "short"
  };
  // The reader's clock reads the event as one the page already gives (UTC, the newsroom's
  // zone or another with the same time then): a further line would only repeat it.
  function readsAsShown(starts, ends, zones) {
    var wall = { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" };
    function reading(zone) {
      var options = Object.assign({}, wall, zone ? { timeZone: zone } : {});
      try {
        var format = new Intl.DateTimeFormat("en", options);
        return format.format(starts) + "|" + format.format(ends);
      } catch (unknownZone) {
        return null;
      }
    }
    var own = reading(null);
    return zones.some(function (zone) { return zone && reading(zone) === own; });
  }

  // “, Pacific time (Vancouver)” for a zone of Canada's, as the page's language names it;
  // any other by its IANA name, “ (Asia/Tokyo)”.
  function zoneNamed(zone, names) {
    var named = JSON.parse(names || "{}")[zone];
    if (named) return ", " + named;
    return zone ? " (" + zone + ")" : "";
  }

  items.forEach(function (item) {
    var starts = new Date(item.dataset.starts);
    var ends = new Date(item.dataset.ends);
    if (isNaN(starts) || isNaN(ends)) {
      return;
    }
    // The newsroom's English (“en-GB”) when the page names it; else the page's language.
    var format = new Intl.DateTimeFormat(item.dataset.locale || language, options);
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    if (readsAsShown(starts, ends, (item.dataset.shownZones || "").split(" "))) {
      return;
    }
    var text = format.formatRange ? format.formatRange(starts, ends)
      : format.format(starts) + " – " + format.format(ends);
    item.textContent = item.dataset.label + " " + text + zoneNamed(zone, item.dataset.zoneNames);
    item.hidden = false;
  });
})();

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
  items.forEach(function (item) {
    var starts = new Date(item.dataset.starts);
    var ends = new Date(item.dataset.ends);
    if (isNaN(starts) || isNaN(ends)) {
      return;
    }
    var format = new Intl.DateTimeFormat(language, options);
    var text = format.formatRange ? format.formatRange(starts, ends)
      : format.format(starts) + " – " + format.format(ends);
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    item.textContent = item.dataset.label + " " + text + (zone ? " (" + zone + ")" : "");
    item.hidden = false;
  });
})();

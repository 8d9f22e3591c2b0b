// Unsaved edits are never lost without a word, and never silently ignored.
//
// The workflow's buttons and links (submit, approve, return, publish now, schedule, withdraw,
// unpublish) sit outside the change form and act on the release as last saved. While the form
// holds edits that are not saved, they refuse with a message instead of acting; leaving the page
// asks first. The messages come from the script element's data attributes (translated there).
(function () {
  "use strict";

  var script = document.currentScript;
  var texts = (script && script.dataset) || {};
  // Where a workflow action posts or leads: .../transition/<name>/, .../schedule/, ...
  var ACTS_ON_SAVED = /\/(transition\/[\w-]+|publish-now|schedule|withdraw|unpublish)\/(\?|$)/;

  function mainForm() {
    var content = document.getElementById("content-main");
    var form = content && content.querySelector("form[id$='_form']");
    return form && form.querySelector("input[name=csrfmiddlewaretoken]") ? form : null;
  }

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (typeof value !== "string") value = value.name + ":" + value.size;
      parts.push(name + "=" + value);
    });
    return parts.join("&");
  }

  function actionOf(element) {
    if (element.tagName === "FORM") {
      var button = element.querySelector("button, input[type=submit]");
      return { url: element.action, label: button ? button.textContent || button.value : "" };
    }
    return { url: element.href, label: element.textContent };
  }

  function refuse(label, near) {
    var text = (texts.refuse || "You have unsaved changes, so “{action}” did nothing: save them first, then try again.").replace(
      "{action}",
      label.replace(/[…\s]+$/, "").trim(),
    );
    var alert = document.getElementById("unsaved-edits-alert");
    if (!alert) {
      alert = document.createElement("ul");
      alert.className = "messagelist unsaved-edits";
      alert.id = "unsaved-edits-alert";
      var item = document.createElement("li");
      item.className = "error";
      item.setAttribute("role", "alert");
      alert.appendChild(item);
      var place = near.closest(".workflow") || document.getElementById("content-main");
      place.insertBefore(alert, place.firstChild);
    }
    alert.firstChild.textContent = "";
    // Re-set after a tick so that screen readers announce a repeated refusal again.
    window.setTimeout(function () {
      alert.firstChild.textContent = text;
    }, 10);
    alert.scrollIntoView({ block: "center" });
  }

  function start() {
    var form = mainForm();
    if (!form) return;
    var saved = snapshot(form);
    // A form sent back with errors holds what was typed, not what is saved.
    var refused = form.querySelector(".errornote, .errorlist") !== null;
    var submitting = false;
    var dirty = function () {
      return !submitting && (refused || snapshot(form) !== saved);
    };

    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty()) {
        event.preventDefault();
        event.returnValue = texts.leave || "";
      }
    });
    // Capture phase: before anything else acts on the click or the submission.
    document.addEventListener(
      "submit",
      function (event) {
        var target = event.target;
        if (target !== form && ACTS_ON_SAVED.test(target.action) && dirty()) {
          event.preventDefault();
          event.stopImmediatePropagation();
          refuse(actionOf(target).label, target);
        }
      },
      true,
    );
    document.addEventListener(
      "click",
      function (event) {
        var link = event.target.closest && event.target.closest("a[href]");
        if (link && !form.contains(link) && ACTS_ON_SAVED.test(link.href) && dirty()) {
          event.preventDefault();
          event.stopImmediatePropagation();
          refuse(actionOf(link).label, link);
        }
      },
      true,
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// The live preview beside the release form: what the form holds now, drawn as readers will
// see it, redrawn a moment after each change, with the checklist box following along. The release is drawn by the server (the same
// template as the public page) into a shadow root that adopts the public stylesheet, so the
// admin's styles and the site's never mix.
(function () {
  "use strict";

  var script = document.currentScript;
  var settings = (script && script.dataset) || {};
  var DELAY = 400;

  function start() {
    var form = document.querySelector("#content-main form[id$='_form']");
    if (!form || !settings.url) return;
    var panel = document.createElement("aside");
    panel.className = "live-preview";
    panel.setAttribute("aria-labelledby", "live-preview-heading");
    var heading = document.createElement("h2");
    heading.id = "live-preview-heading";
    heading.textContent = settings.title || "Live preview";
    var note = document.createElement("p");
    note.className = "live-preview__note help";
    note.textContent = settings.note || "";
    var page = document.createElement("div");
    page.className = "live-preview__page";
    panel.append(heading, note, page);
    var layout = document.createElement("div");
    layout.className = "live-preview-layout";
    form.before(layout);
    layout.append(form, panel);

    var root = page.attachShadow({ mode: "open" });
    var article = document.createElement("div");
    root.append(article);
    // The public stylesheet and the organisation's colours after it, their page-wide rules
    // (:root, html, body) made the shadow host's.
    var sources = [settings.stylesheet, settings.brandStylesheet].filter(Boolean);
    Promise.all(sources.map(function (source) {
      return fetch(source, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.text() : "";
      });
    }))
      .then(function (texts) {
        var css = texts.join("\n");
        var sheet = new CSSStyleSheet({ baseURL: new URL(settings.stylesheet, location.href).href });
        sheet.replaceSync(css.replace(/(^|[},]\s*)(?::root|html|body)(?=\s*[{,])/gm, "$1:host"));
        root.adoptedStyleSheets = [sheet];
      })
      .catch(function () {});

    var timer = null;
    var pending = null;

    function draw() {
      if (pending) pending.abort();
      pending = new AbortController();
      var data = new FormData(form);
      // Files picked in the inlines are not sent again at every keystroke.
      Array.from(data.keys()).forEach(function (name) {
        if (data.getAll(name).some(function (value) { return value instanceof File; })) {
          data.delete(name);
        }
      });
      fetch(settings.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" },
        signal: pending.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : Promise.reject(response.status);
        })
        .then(function (drawn) {
          article.innerHTML = drawn.article;
          // The checklist box beside the workflow's buttons follows the typing too.
          var box = document.querySelector(".workflow .checklist");
          if (box && drawn.checklist) box.outerHTML = drawn.checklist;
          panel.setAttribute("data-drawn", String(Date.now()));
        })
        .catch(function () {});
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(draw, DELAY);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    draw();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// Pasting from a word processor into a rich-text editor keeps its structure. Word writes lists
// as paragraphs with "mso-list" styles and its bullets as text, Google Docs writes sub- and
// superscript as styled spans, and every one of them uses heading level 1, which the body
// leaves to the page's headline. The pasted HTML is put right before the editor reads it; what
// the body cannot hold (images, footnotes, text boxes) is named in a notice beside the editor.
(function () {
  "use strict";

  var script = document.currentScript;
  var texts = (script && script.dataset) || {};
  var pasting = false;

  function rename(element, tag) {
    var renamed = element.ownerDocument.createElement(tag);
    while (element.firstChild) renamed.appendChild(element.firstChild);
    element.replaceWith(renamed);
    return renamed;
  }

  // The list a Word paragraph belongs to ("l0", "l1"…), or null.
  function wordList(element) {
    if (!element || element.tagName !== "P") return null;
    var match = /mso-list:\s*(l\d+)/i.exec(element.getAttribute("style") || "");
    return match && match[1];
  }

  // Word: consecutive "mso-list" paragraphs become one list, ordered when its bullet is a
  // number or a letter; the bullet itself (a span styled mso-list:Ignore) goes.
  function wordLists(doc) {
    doc.querySelectorAll("p").forEach(function (paragraph) {
      var id = paragraph.isConnected && wordList(paragraph);
      if (!id) return;
      var bullet = paragraph.querySelector("span[style*='mso-list:Ignore'], span[style*='mso-list: Ignore']");
      var marker = bullet ? bullet.textContent.trim() : "";
      var list = doc.createElement(/^(\d+|[a-z]|[ivxlc]+)[.)]$/i.test(marker) ? "ol" : "ul");
      paragraph.before(list);
      var item = paragraph;
      while (wordList(item) === id) {
        var next = item.nextElementSibling;
        item.querySelectorAll("span[style*='mso-list:Ignore'], span[style*='mso-list: Ignore']").forEach(function (span) {
          span.remove();
        });
        var li = doc.createElement("li");
        while (item.firstChild) li.appendChild(item.firstChild);
        list.appendChild(li);
        item.remove();
        item = next;
      }
    });
  }

  // Google Docs wraps everything in <b style="font-weight:normal" id="docs-internal-guid-…">.
  function unwrap(element) {
    element.replaceWith.apply(element, Array.from(element.childNodes));
  }

  function clean(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var dropped = [];
    doc.querySelectorAll("b[id^='docs-internal-guid']").forEach(unwrap);
    Array.from(doc.body.childNodes).forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE && !node.textContent.trim()) node.remove();
    });
    wordLists(doc);
    doc.querySelectorAll("span[style*='vertical-align']").forEach(function (span) {
      var style = span.getAttribute("style");
      if (/vertical-align:\s*super/i.test(style)) rename(span, "sup");
      else if (/vertical-align:\s*sub/i.test(style)) rename(span, "sub");
    });
    doc.querySelectorAll("h1").forEach(function (heading) {
      rename(heading, "h2");
    });
    doc.querySelectorAll("h5, h6").forEach(function (heading) {
      rename(heading, "h4");
    });
    if (doc.querySelector("img, v\\:imagedata, v\\:shape")) dropped.push(texts.images);
    if (doc.querySelector("a[href*='_ftn'], a[href*='_edn'], [style*='mso-footnote']")) {
      dropped.push(texts.notes);
    }
    if (doc.querySelector("v\\:textbox, [style*='mso-element:frame']")) dropped.push(texts.boxes);
    // Images go, and so do the footnote marks that would lead nowhere without their notes.
    doc.querySelectorAll("img, a[href*='_ftn'], a[href*='_edn']").forEach(function (element) {
      element.remove();
    });
    return { html: doc.body.innerHTML, dropped: dropped.filter(Boolean) };
  }

  function notice(editor, dropped) {
    var field = editor.closest("[class*='field-']") || editor.parentNode;
    var box = field.querySelector(".paste-notice");
    if (!box) {
      box = document.createElement("p");
      box.className = "paste-notice help";
      box.setAttribute("role", "status");
      field.appendChild(box);
    }
    box.textContent = dropped.length ? (texts.dropped || "Not kept: ") + dropped.join(" ") : "";
  }

  document.addEventListener(
    "paste",
    function (event) {
      var editor = event.target.closest && event.target.closest(".ProseMirror");
      var data = event.clipboardData;
      var html = data && data.getData("text/html");
      if (pasting || !editor || !html) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var cleaned = clean(html);
      var transfer = new DataTransfer();
      transfer.setData("text/html", cleaned.html);
      transfer.setData("text/plain", data.getData("text/plain"));
      pasting = true;
      try {
        event.target.dispatchEvent(
          new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }),
        );
      } finally {
        pasting = false;
      }
      notice(editor, cleaned.dropped);
    },
    true,
  );
})();

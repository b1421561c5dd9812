// "Cite by selecting" on an article's page (templates/admin/alliance/_paragraph_review.html):
// words selected within one paragraph show a toolbar of fact kinds; choosing one opens
// that fact's form through the article's cite view, which fills in the article, the
// passage and the records the passage mentions (alliance/admin/intake.py).
"use strict";
(function () {
  function selectedPassage(review) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0);
    const start = range.startContainer.parentElement?.closest(".intake-text");
    const end = range.endContainer.parentElement?.closest(".intake-text");
    if (!start || start !== end || !review.contains(start)) return null;
    // The paragraph's number is not part of the passage.
    const passage = selection.toString().replace(/^¶\d+\s*/, "").trim();
    return passage ? { paragraph: start, passage: passage } : null;
  }

  function setUp(review) {
    const toolbar = review.querySelector(".cite-toolbar");
    let chosen = null;

    document.addEventListener("selectionchange", function () {
      const found = selectedPassage(review);
      if (!found) return;
      chosen = found;
      found.paragraph.after(toolbar);
      toolbar.hidden = false;
    });

    toolbar.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-kind]");
      if (!button || !chosen) return;
      const query = new URLSearchParams({ kind: button.dataset.kind, passage: chosen.passage });
      window.location.assign(`${review.dataset.citeUrl}?${query}`);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".intake-review[data-cite-url]").forEach(setUp);
  });
})();

/* A few touches for readers; every page works without them.
 * - The language switch keeps the place on the page (#p5, a passage, a fact): anchors
 *   are the same in both languages, but the server never sees the part after "#".
 * - On the article page, the passage a link points to is marked whole, even where it
 *   runs over several marked stretches, and its notes open if they were folded.
 * - On narrow screens the notes under each paragraph start folded, and so do a list's
 *   filters when none is applied.
 */
(function () {
  "use strict";

  function keepAnchorInLanguageLinks() {
    document.querySelectorAll(".language-switch a[href]").forEach(function (link) {
      var address = new URL(link.href, document.baseURI);
      address.hash = window.location.hash;
      link.href = address.href;
    });
  }

  function markTarget() {
    document.querySelectorAll("mark.is-target").forEach(function (mark) {
      mark.classList.remove("is-target");
    });
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    document.querySelectorAll("mark[data-passages]").forEach(function (mark) {
      if (mark.dataset.passages.split(" ").indexOf(id) >= 0) mark.classList.add("is-target");
    });
    var target = document.getElementById(id);
    var fold = target && target.closest("details");
    if (fold && !fold.open) {
      fold.open = true;
      target.scrollIntoView();
    }
  }

  var narrow = window.matchMedia("(max-width: 63.99rem)");

  function foldNotesOnNarrowScreens() {
    if (!narrow.matches) {
      // Wide screens show the notes in the margin, with no way to fold them.
      document.querySelectorAll("details.notes-fold").forEach(function (fold) {
        fold.open = true;
      });
      return;
    }
    document.querySelectorAll("details.notes-fold[open]").forEach(function (fold) {
      var id = decodeURIComponent(window.location.hash.slice(1));
      var holdsTarget = id && fold.querySelector('[id="' + id.replace(/"/g, "") + '"]');
      if (!holdsTarget) fold.open = false;
    });
  }

  // Filters fold away on phones, unless some are applied: the list comes first.
  function foldFiltersOnNarrowScreens() {
    var applied = window.location.search.replace(/[?&]page=[^&]*/g, "").length > 1;
    document.querySelectorAll("details.filter-fold").forEach(function (fold) {
      fold.open = !narrow.matches || applied;
    });
  }

  function arrive() {
    keepAnchorInLanguageLinks();
    markTarget();
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldNotesOnNarrowScreens();
    foldFiltersOnNarrowScreens();
    arrive();
  });
  window.addEventListener("hashchange", arrive);
  narrow.addEventListener("change", foldNotesOnNarrowScreens);
})();

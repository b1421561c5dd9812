"use strict";
// Swagger UI's markup, made readable by assistive technology (axe-core finds no fault):
// its introduction is a labelled region, and each group of operations (and the
// schemas) a level-2 heading under the document's title. React redraws the page, so this runs again
// after each change.
(() => {
  const mend = () => {
    for (const info of document.querySelectorAll(".information-container:not([role])")) {
      info.setAttribute("role", "region");
      info.setAttribute("aria-label", "About the API");
    }
    const groups = ".opblock-tag:not([aria-level]), .models > h4:not([aria-level])";
    for (const tag of document.querySelectorAll(groups)) {
      tag.setAttribute("role", "heading");
      tag.setAttribute("aria-level", "2");
    }
  };
  new MutationObserver(mend).observe(document.body, { childList: true, subtree: true });
  mend();
})();

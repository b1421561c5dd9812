// django-import-export's "Select all" checkbox on the export page, wired here rather than
// by an inline onchange attribute, which the Content-Security-Policy refuses.
// onSelectToggleChange comes from import_export/export_selectable_fields.js (form media).
document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll("input.select-toggle")) {
    toggle.addEventListener("change", onSelectToggleChange);
  }
});

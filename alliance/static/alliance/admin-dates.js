// Shows the date typed in a YYYY-MM-DD field in words beside it, in the admin's language,
// as the editor types (alliance/admin/fields.py writes the first one on the server).
// Fields that take a date as precise as its source (alliance/admin/dates.py) also take
// YYYY-MM, said as a month, and YYYY, said as a year.
"use strict";
(function () {
  const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
  const PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

  function words(text, partial) {
    const match = (partial ? PARTIAL : ISO).exec(text.trim());
    if (!match) return null;
    const year = Number(match[1]);
    if (match[2] === undefined) return String(year);
    const month = Number(match[2]);
    const day = match[3] === undefined ? 1 : Number(match[3]);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      return null;
    }
    const language = document.documentElement.lang || undefined;
    const monthName = new Intl.DateTimeFormat(language, { month: "long", timeZone: "UTC" });
    if (match[3] === undefined) return `${monthName.format(date)} ${year}`;
    // Day, month name, year: the order the server writes ("j F Y"), in either language.
    return `${day} ${monthName.format(date)} ${year}`;
  }

  function update(input) {
    const label = input.nextElementSibling;
    if (!label || !label.classList.contains("iso-date-words")) return;
    const text = input.value;
    const said = words(text, input.classList.contains("partial-date"));
    label.textContent = text.trim() === "" ? "" : (said || label.dataset.invalid);
    label.classList.toggle("iso-date-invalid", text.trim() !== "" && !said);
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("input.iso-date")) update(event.target);
  });
  document.addEventListener("DOMContentLoaded", () => {
    for (const input of document.querySelectorAll("input.iso-date")) update(input);
  });
})();

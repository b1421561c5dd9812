"""Why a target is missed, by endpoint name (see endpoints.py); printed under the report.

Written after the runs of 2026-12-02 (SQLite 13:24 UTC, PostgreSQL after it), on 2 CPUs
shared with wrk and with other test runs: the static file served 790 requests a second
there, against 2,000 on a quiet machine, and the other load moves single rounds by far
more than the usual 20%. Times per request below are the Django test client's, one
request at a time, on the same generated record.
"""

NOTES: dict[str, str] = {
    "home": (
        "Drawn once per record version, language and day (alliance.freshness."
        "once_per_version): the first reader after an edit pays its 300 ms to 2.5 s "
        "(chart and places over the whole record), every other reader a copy. Warm, the "
        "page cache's copy is compressed (170 KB of HTML) and its decompression and "
        "gzip middleware cost what the cold path's copy does not."
    ),
    "list": (
        "Cold: the count and the filter form's widgets are made once per version; what "
        "remains is 25 rows with their coalitions, the layout and Django's request "
        "cycle. The stock ListView draws 25 names and nothing else (x stock < 1)."
    ),
    "organisation": (
        "Cold: 7 indexed queries, then the template draws every fact with its source "
        "link; the stock DetailView draws four fields. Nothing on it is kept per version "
        "yet (fragments would be the next step)."
    ),
    "article": (
        "Cold: every paragraph drawn with each cited passage marked in it "
        "(alliance.public.passages): the slowest page made afresh. Keeping the marked "
        "paragraphs per article and version is the next step."
    ),
    "positions": (
        "Cold: the list walks its index (topic name, leaning rank, slug) and its count is "
        "kept per version (4.9 s to 0.7 s a request on the loaded machine); what remains "
        "is drawing 100 positions with their sources, 111 KB of HTML."
    ),
    "api-positions": (
        "Cold: same index and kept count (4.9 s to 0.55 s a request); what remains is "
        "DRF serialising 100 positions with their sources, 200 KB of JSON."
    ),
    "mix-edited": (
        "Every edit moves the one record version, so every page of the mix is made "
        "afresh by each worker after it: the article and positions pages alone cost more "
        "than the second between edits on this loaded machine. Each edit was shown at once "
        "by the next page and API answer. Versions per part of the record (so an edit to "
        "an organisation leaves the articles' pages warm) are what would meet it."
    ),
    "junk": (
        "Served from the plain list's entry (one query: the record's last change); held "
        "to the warm target, and as far below it as the warm list was in this run."
    ),
    "PostgreSQL": (
        "Warm answers and 304s still ask the database for the record's last change at each "
        "request: a round trip to the server, where SQLite reads a file in the worker's "
        "own process. That query is what lets an edit show at once on every server; a "
        "pushed change notice (LISTEN/NOTIFY) would spare it and is not built yet."
    ),
}

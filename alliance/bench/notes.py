"""Why a target is missed, by endpoint name (see endpoints.py); printed under the report.

Written after the runs of 2026-12-02 (SQLite 18:22 UTC, PostgreSQL after it), on 2 CPUs
shared with wrk only: the static file served about 3,700 requests a second. Times per
request below are the Django test client's, one request at a time, on the same
generated record, with the page cache off.
"""

NOTES: dict[str, str] = {
    "home": (
        "Drawn once per record version, language and day (alliance.freshness."
        "once_per_version): the first reader after an edit pays its 146 ms (chart and "
        "places over the whole record), every other reader a copy. Warm, the copy is "
        "130 KB of HTML where the static file is 20 KB: a larger answer costs more to "
        "take from the cache and to send."
    ),
    "list": (
        "Cold: 25 rows with their coalitions, the layout and Django's request cycle (16 "
        "ms a request); the count and the filter widgets are kept. The stock ListView "
        "draws 25 names and nothing else."
    ),
    "organisation": (
        "Cold: 8 queries of 180 to 240 joined columns each (every fact with its passages, "
        "further sources and periods), where Django's compiler spends most of the 33 ms; "
        "the stock DetailView draws four fields of one row."
    ),
    "article": (
        "Cold: every paragraph drawn with each cited passage marked and its notes (53 ms, "
        "down from 217 ms once the facts citing the article are found through indexes; "
        "48 ms once its paragraphs are kept after an edit elsewhere). What remains is "
        "loading the facts its passages support, with their parties."
    ),
    "positions": (
        "Cold: the 100 cards are kept under the rows they show and the count per part of "
        "the record; what remains is loading the 100 positions with 11 joined tables and "
        "their further sources (about 40 ms), and 107 KB of HTML."
    ),
    "api-list": (
        "Cold: 6 ms a request for 25 organisations with their identifiers and links; "
        "Django's and DRF's request cycle is most of it. The stock ListAPIView serialises "
        "four fields."
    ),
    "api-positions": (
        "Cold: each fact's JSON is kept under the rows it shows and the count per part; "
        "what remains is loading the rows (11 joined tables and the further sources) and "
        "200 KB of JSON."
    ),
    "organisation-304": (
        "A 304 still goes through the whole middleware stack (request log, shape checks, "
        "freshness, security headers, sessions, language) before its validators are "
        "weighed."
    ),
    "api-detail-304": (
        "As the page's 304, plus DRF's request wrapping and the client's request budget "
        "(a counter in the cache)."
    ),
    "junk": (
        "Served from the plain list's entry: as fast as the warm list itself, which is "
        "what the warm target asks of it."
    ),
    "PostgreSQL": (
        "Warm answers and 304s run no query when nothing changed: each process listens "
        "for the record's changes (LISTEN/NOTIFY, alliance.listening) and reads the last "
        "change again only after a notice. SQLite reads it at every request (a file read "
        "in the worker's own process)."
    ),
}

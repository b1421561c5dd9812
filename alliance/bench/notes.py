"""Why a target is missed, by endpoint name (see endpoints.py); printed under the report.

Written after the runs of 2026-12-03 (SQLite 07:45 UTC, PostgreSQL after it), on 2 CPUs
shared with wrk only: the static file served about 1,700 requests a second, where the
machine of 2026-12-02 served 3,700. Times per request below are the Django test
client's, one request at a time, on the same generated record.
"""

NOTES: dict[str, str] = {
    "home": (
        "Kept until a part of the record it reads changes (alliance.freshness.kept), as "
        "every page; drawn, it reads the whole coalition and every leaning (about 250 ms "
        "here, 7 a second under load in the drawn phase). Warm, it is 130 KB of HTML "
        "where the static file is 20 KB: a larger answer costs more to take from the "
        "cache and to send."
    ),
    "positions": (
        "107 KB of HTML: warm or kept, most of the time goes to taking it from the "
        "cache and sending it. Drawn, 100 positions with 11 joined tables (the cards "
        "themselves are kept)."
    ),
    "api-positions": (
        "200 KB of JSON, as the positions list: warm or kept, its size is the cost. "
        "Drawn, each fact's JSON is kept; loading the rows is what remains."
    ),
    "article": (
        "Warm, a 60 KB page that the warm page cache serves no faster than the kept "
        "answer the cold phase serves: both take it from memory, and sending it is "
        "most of the rest."
    ),
    "organisation-304": (
        "A 304 still goes through the whole middleware stack (request log, shape checks, "
        "freshness, security headers, sessions, language) before its validators are "
        "weighed."
    ),
    "api-detail-304": (
        "As the page's 304, plus DRF's request wrapping, content negotiation and the "
        "client's request budget (a counter in the cache)."
    ),
    "mix-edited": (
        "An edit to an organisation touches a table that all seven answers read. The "
        "organisation's page and API answer show it and are drawn again; the other five "
        "are checked by running their queries again (alliance.freshness.Proof), and the "
        "workers share what one drew or checked. What remains is the pages that show "
        "the edit, drawn once per server, and the checks."
    ),
    "junk": (
        "Served from the plain list's entry: as fast as the warm list itself, which is "
        "what the warm target asks of it."
    ),
    "PostgreSQL": (
        "Warm answers and 304s run no query when nothing changed: each process listens "
        "for the record's changes (LISTEN/NOTIFY, alliance.listening) and reads the last "
        "change again only after a notice. SQLite asks PRAGMA data_version instead, "
        "which moves when another connection commits."
    ),
}

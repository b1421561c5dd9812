"""Why a target is missed, by endpoint name (see endpoints.py); printed under the report.

Written after the runs of 2026-12-03 (SQLite 15:14 UTC, PostgreSQL 15:24), on 2 CPUs
shared with wrk only: the static file (24 KB) served about 3,500 requests a second (1,700
on the machine of that morning). Times per request below are one request at a time through Django's WSGI
handler, on the same generated record.
"""

NOTES: dict[str, str] = {
    "home": (
        "Kept until a part of the record it reads changes (alliance.freshness.kept), as "
        "every page; drawn, it reads the whole coalition and every leaning (about 250 ms "
        "here, 15 a second under load in the drawn phase). Warm, it is 130 KB of HTML "
        "where the static file is 24 KB: a larger answer costs more to take from the "
        "cache and to send."
    ),
    "home-gzip": (
        "As a browser asks for it: the page is compressed once and the compressed bytes "
        "kept under a digest of the page (alliance.http), so a warm request costs a "
        "digest of 130 KB (about 90 µs) rather than compressing it (1.5 ms)."
    ),
    "positions": (
        "107 KB of HTML: warm or kept, most of the time goes to taking it from the "
        "cache and sending it. Drawn, 100 positions with 11 joined tables (the cards "
        "themselves are kept)."
    ),
    "api-positions": (
        "210 KB of JSON, 50 facts with their holders, passages and annotation targets: "
        "warm or kept, its size is the cost. In-process it takes about 100 µs more than the "
        "API organisation list, 45 of them to take it out of its LZ4 frame; a static file "
        "of the same size keeps 90% of the small one's rate, since whitenoise hands "
        "gunicorn a file to send. Drawn, each fact's JSON is kept; loading the rows is "
        "what remains."
    ),
    "article": (
        "Warm, a 60 KB page that the warm page cache serves no faster than the kept "
        "answer the cold phase serves: both take it from memory, and sending it is "
        "most of the rest."
    ),
    "organisation-304": (
        "The first 304 at a version goes through the whole stack; it is remembered under "
        "the address and the version, and the next ones are answered by the page cache "
        "middleware before the security headers, sessions, language and view "
        "(alliance.pagecache; 240 µs in-process, 560 before)."
    ),
    "api-detail-304": (
        "As the page's 304, and still counted against the client's request budget "
        "(330 µs in-process, 660 before, when DRF wrapped the request first)."
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

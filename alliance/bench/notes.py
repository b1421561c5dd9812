"""Why a target is missed, by endpoint name (see endpoints.py); printed under the report.

Filled in after a run that misses a target, so the report says why beside the numbers.
Times below are per request and worker under load (2 workers / requests per second) in
the SQLite run of 2026-11-27 03:58 UTC, on 2 CPUs shared with wrk; the static file took
1.0 ms on the same terms, so 15% of its rate means 6.8 ms a request and 30% means 3.4 ms.
The PostgreSQL run followed at 04:39 UTC on the same machine.
"""

NOTES: dict[str, str] = {
    "list": (
        "Cold, 26 ms a page: 5 indexed queries (the same at 10 rows as at 10,000), then "
        "Python: Django's widgets drawing the filter form (a choice of 50 coalitions, about "
        "5 ms), 25 rows with their coalitions, and the layout. Filtered and page 200 keep "
        "pace with it. Warm, the page cache serves it at 86% of the static file."
    ),
    "list-searched": (
        "75% of the plain list on SQLite, where no index can serve a search inside words "
        "(LIKE '%ibm%' scans search_text of 10,000 rows, a few ms); on PostgreSQL the "
        "trigram index serves it (see the PostgreSQL run). Warm: met."
    ),
    "organisation": (
        "Cold, 27 ms: 7 indexed queries, most of the time spent by the ORM compiling its "
        "joined queries and by the template drawing every fact with its source link. Warm "
        "and 304: met."
    ),
    "article": (
        "Cold, 52 ms: every paragraph drawn with each cited passage marked in it "
        "(alliance.public.passages), for articles of 11 paragraphs and 38 citations on "
        "average. Warm: met."
    ),
    "api-list": (
        "Cold, 12 ms for 50 organisations (20 KB; the facts are on each detail): 3 queries "
        "(count, page, last change); the time is DRF's request cycle, the filter set's "
        "validation and 50 rows of 11 fields with their two absolute links. Warm: met."
    ),
    "api-list-page-200": (
        "PostgreSQL only: OFFSET 9,950 walks the (name, slug) index and reads each row it "
        "skips from the table, where SQLite's index holds the row id (86% there). Keyset "
        "pagination would make every page cost the same, but drops the page numbers and "
        "the count that the API's pages promise."
    ),
    "organisation-304": ("PostgreSQL only (75% on SQLite): see the note on PostgreSQL below."),
    "api-detail-304": (
        "60% on SQLite: the 304 is answered after one query, before the answer is made, "
        "but behind DRF's request wrapping and content negotiation, which the public "
        "pages' 304 (75%) skips. With the page cache on, the cache answers it first."
    ),
    "PostgreSQL": (
        "Warm answers (44 to 64% of the static file, against 80 to 97% on SQLite) and "
        "304s (48% and 37%, against 75% and 60%) still ask the database for the record's "
        "last change at each request: a round trip to the server, 0.4 ms here with the "
        "statement prepared (5 ms when it was planned afresh), where SQLite reads a file "
        "in the worker's own process. That query is what lets an edit show at once on "
        "every server; caching it, even for a second, would serve stale pages. Cold pages "
        "reach 65 to 83% of SQLite's share (the deep API page 46%, see its note): the "
        "queries are prepared once per connection (DATABASE_PREPARED_STATEMENTS), and "
        "what remains is the round trips of 3 to 7 queries a page."
    ),
}

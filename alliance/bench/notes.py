"""Why a target is missed, by endpoint name (see endpoints.py); printed under the report.

Filled in after a run that misses a target, so the report says why beside the numbers.
Times below are per request and worker under load (2 workers / requests per second) in
the SQLite run of 2026-11-27 on 2 CPUs shared with wrk; a static file takes 0.4 ms.
"""

NOTES: dict[str, str] = {
    "list": (
        "Cold, about 15 ms a page: 5 indexed queries (the same at 10 rows as at 10,000) "
        "and the rendering of 25 rows with their coalitions, the filter form and the "
        "layout. 15% of the static file would need 3 ms. Filtered, searched and page 200 "
        "keep pace with it (indexes, one COUNT). Warm, the page cache serves it at the "
        "static file's rate."
    ),
    "organisation": (
        "Cold, about 11 ms: 7 indexed queries and a template of every fact with its "
        "citation link; 30% of the static file would need 1.5 ms. Warm and 304: met."
    ),
    "article": (
        "Cold, about 21 ms: every paragraph drawn with each cited passage marked in it "
        "(alliance.public.passages). Warm: met."
    ),
    "api-list": (
        "Cold, about 260 ms: 50 organisations each with its places, roles, positions and "
        "systems, every fact with its citation and absolute links, so about 450 nested "
        "positions and 830 KB of JSON. The 7 queries are indexed; the time is DRF "
        "serialisation (some 3,500 URL reversals, a holder serializer built per position). "
        "Warm, copying 830 KB out of the cache per answer keeps it under 70%. The remedy "
        "is a lighter list (summaries linking to the detail): an API change, left for a "
        "new API version."
    ),
    "api-list-filtered": (
        "As the plain list, with a heavier first page: companies hold more positions than "
        "the average organisation, so its 50 rows carry more nested facts."
    ),
    "api-list-searched": (
        "Warm only, and only just: the answer is large (see the plain list). The search "
        "is indexed on PostgreSQL (trigram GIN) and a scan of search_text on SQLite."
    ),
    "api-list-page-200": "Warm: the answer is large (see the plain list).",
    "api-detail-304": (
        "The API's ETag is a digest of the body, so a conditional request renders the "
        "whole answer before it can say 304, where the public pages date theirs from the "
        "record's last change and answer first. With the page cache on, a kept answer "
        "carries its ETag and the 304 costs no rendering."
    ),
    "home": (
        "Warm, 65%: the largest HTML page (its chart draws up to 40 holders per leaning, "
        "for organisations and for people). Cold, about 140 ms: counting every "
        "coalition's members on record and drawing the chart. No cold target."
    ),
}

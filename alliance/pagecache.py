"""Whole responses kept for anonymous readers, and never one that is out of date.

A public page or an API answer to an anonymous GET is kept in the `pages` cache (each
process's memory, bounded in entries and in each entry's size: `PAGE_CACHE_ENTRIES`,
`PAGE_CACHE_ENTRY_BYTES`, compressed) under a key made of the address, the language, and the
record's version (`alliance.freshness`: the moment the record last changed, read from the
database in one query, the same one that dates the pages' and the API's `Last-Modified`,
with the release's digest). Any change to what a page
shows, however it is made (an admin edit, a revert, a CSV import, a fixture load, a
deletion), moves that moment, so the next request looks under a new key: an old answer
can only expire, never be served while the database answers.

The address in the key is the path and the query as the answer depends on it. A public
page is drawn from its canonical query, which the middleware puts in place of the one
sent, whether or not the cache is on: only the parameters the pages read (the filters,
`page`, `q`, `as_of`), sorted, without empty values, with `page=1` dropped. So
`?utm_source=…`, a reordered or an empty parameter is answered from the entry of the
address without it, and files no new one. The API refuses unknown parameters (400), so
its key is its query sorted. An answer to an address with a query is kept apart from
those without (`page-variants`, bounded on its own): a stream of `?page=` or `?q=` values
costs one answer each, and can push out only other such answers, never the plain pages.
A public page that answers 400 (an unknown filter value) is kept too: drawing it costs
a whole list.

When the database cannot be read, the last answer kept for the address is served
whatever its version, so readers still get the pages the cache holds; anything else
goes on to the view, and the database error answers 503 (`alliance.ops.server_error`).

The middleware sits above the security and CSP middleware, so a kept answer is the
exact one the reader would otherwise get. An answer whose Content-Security-Policy
carries a nonce is never kept: every reader must get a nonce of their own. Kept answers
still answer conditional requests with 304.

A 304 is remembered too, whether or not the page cache is on (`KEPT_PAGES`): once the
whole stack has answered an address 304 at a version, the next reader sending a validator
for that address at that version is answered at once, with the same headers, against the
same ETag and Last-Modified (`remembered_not_modified`). Any edit moves the version, and
the next conditional request goes down the stack again.

Never cached: the admin and anything outside the public pages and the API, anyone with
a session (signed-in editors), any method but GET, any answer but a 200 (or a public
page's 400), an answer that
sets a cookie or says it is private, or one larger than the entry bound. A kept API
answer still counts against the client's request budget. `PAGE_CACHE=0` turns it off.
"""

import functools
import hashlib
import logging
import time
from urllib.parse import urlencode

import lz4.frame
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language_from_request

from alliance import freshness

KEY_PREFIX = "page"
LATEST_PREFIX = "page-latest"
NOT_MODIFIED_PREFIX = "page-304"
#: Query parameters that change a public page (the API refuses any other with a 400).
PAGE_PARAMETERS_ALWAYS = ("page", "q")

log = logging.getLogger("alliance.pagecache")


def page_cache(request=None):
    """The answers to plain addresses; those to addresses with a query live apart."""
    if request is not None and canonical_query(request):
        return caches["page-variants"]
    return caches["pages"]


@functools.cache
def page_parameters():
    """Every query parameter a public page reads: its filters, `page` and `q`."""
    from django_filters import FilterSet

    from alliance.public import filters

    names = set(PAGE_PARAMETERS_ALWAYS)
    for value in vars(filters).values():
        if isinstance(value, type) and issubclass(value, FilterSet) and value is not FilterSet:
            names.update(value.base_filters)
    return frozenset(names)


def canonical_query(request):
    """The query as the answer depends on it, sorted.

    On the public pages: only the parameters they read, without empty values, a page
    number as a plain number and `page=1` (the first page) dropped. The API refuses
    unknown or empty parameters with a 400, so all of its query counts.
    """
    pairs = [(name, value) for name, values in request.GET.lists() for value in values]
    if not request.path.startswith("/api/"):
        pairs = [
            (name, plain_page(value) if name == "page" else value)
            for name, value in pairs
            if name in page_parameters() and value.strip()
        ]
        pairs = [(name, value) for name, value in pairs if (name, value) != ("page", "1")]
    return urlencode(sorted(pairs))


def plain_page(value):
    value = value.strip()
    return str(int(value)) if value.isdecimal() and len(value) < 10 else value


def use_canonical_query(request):
    """Draw a public page from its canonical query, whatever else the address carried."""
    if request.method not in ("GET", "HEAD") or not request.path.startswith(language_prefixes()):
        return
    query = canonical_query(request)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def language_prefixes():
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


def cacheable_prefixes():
    return ("/api/", *language_prefixes())


def address_key(request):
    """Address and language; and what else the answer depends on (Accept, CORS)."""
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        canonical_query(request),
        get_language_from_request(request, check_path=True) or settings.LANGUAGE_CODE,
        request.headers.get("Accept", "") if request.path.startswith("/api/") else "",
        "cors" if "Origin" in request.headers else "",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cache_key(request, version):
    return f"{KEY_PREFIX}:{address_key(request)}:{version}"


def latest_key(request):
    """Where the key of the last answer kept for this address is filed, whatever its version."""
    return f"{LATEST_PREFIX}:{address_key(request)}"


def is_cacheable_request(request):
    return (
        request.method == "GET"
        and request.path.startswith(cacheable_prefixes())
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def not_modified_key(request, version):
    return f"{NOT_MODIFIED_PREFIX}:{address_key(request)}:{version}"


def is_conditional(request):
    return "If-None-Match" in request.headers or "If-Modified-Since" in request.headers


def is_cacheable_response(request, response):
    kept_statuses = (200,) if request.path.startswith("/api/") else (200, 400)
    return response.status_code in kept_statuses and is_shareable(response)


def is_shareable(response):
    """Whether the next anonymous reader may get this very answer, headers and all."""
    if response.streaming or response.cookies:
        return False
    if "'nonce-" in response.get("Content-Security-Policy", ""):
        # Its inline scripts carry that nonce: every reader must get one of their own.
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store"))


def freeze(response):
    # Compressed: the home page and the API's positions, 130 and 210 KB, keep in 18 to
    # 25 KB, under the entry bound, and the bound on memory holds more. LZ4, because
    # each warm answer is decompressed: 40 to 60 µs for those two, where zlib took 350.
    return (response.status_code, list(response.items()), lz4.frame.compress(response.content))


def thaw(kept):
    status, headers, content = kept
    response = HttpResponse(lz4.frame.decompress(content), status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def kept_response(request, draw):
    """The response `draw()` makes (rendered), kept for an anonymous reader until a part of
    the record it read changes (`alliance.freshness.kept`), in the store and under the
    address this cache would keep it at, whether or not the page cache is on.

    The pages (`alliance.public.caching.record_page`) and the API's JSON answers
    (`alliance.api.viewsets`) are kept through here. Someone signed in, or KEPT_PAGES=0,
    gets every answer drawn.
    """
    if not settings.KEPT_PAGES or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return draw()
    drawn = None

    def make():
        nonlocal drawn
        drawn = draw()
        keep = is_cacheable_response(request, drawn)
        return (freeze(drawn) if keep else None), keep

    # The language as the view chose it: the API's may come from `?lang=`.
    key = ("kept", address_key(request), translation.get_language())
    kept = freshness.kept(page_cache(request), key, make, shared=shared_drawings())
    return drawn if drawn is not None else thaw(kept)


def shared_drawings():
    """The store the processes of this server share their drawings in, if there is one."""
    return caches["drawings"] if settings.SHARED_DRAWINGS_DIR else None


def within_api_budget(request):
    """A kept API answer still counts against the client's request budget.

    Over budget, the request goes on to the view, whose throttle answers the 429.
    """
    if not request.path.startswith("/api/"):
        return True
    from rest_framework.request import Request

    from alliance.api.throttling import AnonymousRateThrottle

    return AnonymousRateThrottle().allow_request(Request(request, authenticators=()), None)


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages and the API from the cache, keyed by version."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 600)

    def __call__(self, request):
        use_canonical_query(request)
        if not is_cacheable_request(request):
            return self.get_response(request)
        if not is_conditional(request) or not settings.KEPT_PAGES:
            return self.answer(request)
        try:
            version = freshness.current().version
        except DatabaseError:
            return self.answer(request)
        remembered = self.remembered_not_modified(request, version)
        if remembered is not None:
            return remembered
        response = self.answer(request)
        self.remember_not_modified(request, version, response)
        return response

    def remembered_not_modified(self, request, version):
        """The 304 the stack gave this address at this version, if the request earns it."""
        remembered = page_cache(request).get(not_modified_key(request, version))
        if remembered is None:
            return None
        etag, last_modified, headers = remembered
        verdict = get_conditional_response(request, etag=etag, last_modified=last_modified)
        # Anything but a 304 (a 412 to If-Match, a full answer) is the stack's to give.
        if verdict is None or verdict.status_code != 304 or not within_api_budget(request):
            return None
        response = HttpResponseNotModified()
        for name, value in headers:
            response.headers[name] = value
        return response

    def remember_not_modified(self, request, version, response):
        if response.status_code != 304 or "ETag" not in response or not is_shareable(response):
            return
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        remembered = (response["ETag"], last_modified, list(response.items()))
        page_cache(request).set(not_modified_key(request, version), remembered, self.timeout)

    def answer(self, request):
        if not getattr(settings, "PAGE_CACHE", False):
            return self.get_response(request)
        cache = page_cache(request)
        try:
            key = cache_key(request, freshness.current().version)
        except DatabaseError:
            # The record's version cannot be read: the last answer kept for this address
            # is better than none. Without one, the view's own database error answers 503.
            kept_key = cache.get(latest_key(request))
            kept = cache.get(kept_key) if kept_key else None
            if kept is not None and within_api_budget(request):
                self.report_kept_answer()
                return self.serve(request, kept)
            return self.get_response(request)
        kept = cache.get(key)
        if kept is not None and within_api_budget(request):
            return self.serve(request, kept)
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            cache.set(key, freeze(response), self.timeout)
            if cache.has_key(key):  # not if it was larger than an entry may be
                cache.set(latest_key(request), key, self.timeout)
        return response

    def report_kept_answer(self):
        """Say so at most every OUTAGE_LOG_SECONDS, with a count, not once per request."""
        from alliance.ops import OUTAGE_LOG_SECONDS

        self.kept_served = getattr(self, "kept_served", 0) + 1
        now = time.monotonic()
        if now - getattr(self, "kept_logged_at", -OUTAGE_LOG_SECONDS) >= OUTAGE_LOG_SECONDS:
            log.warning(
                "record's version unreadable (database down): %d kept answer(s) served",
                self.kept_served,
            )
            self.kept_logged_at, self.kept_served = now, 0

    def serve(self, request, kept):
        response = thaw(kept)
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=last_modified,
            response=response,
        )

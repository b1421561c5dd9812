"""Whole responses kept for anonymous readers, and never one that is out of date.

A public page or an API answer to an anonymous GET is kept in Django's cache (each
process's memory, or Redis when REDIS_URL is set) under a key made of the address (path
and the whole query string), the language, and the record's version: the moment the
record last changed, read from the database in one query (`alliance.public.caching`,
the same one that dates the pages' `Last-Modified`), with the digest of the templates,
catalogues and styles. Any change to what a page shows, however it is made (an admin
edit, a revert, a CSV import, a fixture load, a deletion), moves that moment, so the
next request looks under a new key: an old answer can only expire, never be served.

The middleware sits above the security and CSP middleware, so a kept answer is the
exact one the reader would otherwise get: the same headers, above all the same
Content-Security-Policy, whose nonce the page's inline scripts carry. Kept answers still
answer conditional requests with 304.

Never cached: the admin and anything outside the public pages and the API, anyone with
a session (signed-in editors), any method but GET, any answer but a 200, an answer that
sets a cookie or says it is private. A kept API answer still counts against the
client's request budget. `PAGE_CACHE=0` turns it all off.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language_from_request

from alliance.public import caching

KEY_PREFIX = "page"


def cacheable_prefixes():
    return ("/api/", *(f"/{code}/" for code, _name in settings.LANGUAGES))


def record_version(request):
    """The record's version: its last change (one query) and the presentation digest.

    The moment is left on the request, where the page views' validators find it, so a
    page made afresh does not ask the database a second time.
    """
    changed = caching.last_change()
    presented = caching.presentation()[1]
    request._record_last_change = changed
    request._record_changed = max((m for m in (changed, presented) if m), default=None)
    return caching.version(changed)


def cache_key(request, version):
    """Address, language and version; and what else the answer depends on (Accept, CORS)."""
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        get_language_from_request(request, check_path=True) or settings.LANGUAGE_CODE,
        request.headers.get("Accept", "") if request.path.startswith("/api/") else "",
        "cors" if "Origin" in request.headers else "",
        version,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


def is_cacheable_request(request):
    return (
        request.method == "GET"
        and request.path.startswith(cacheable_prefixes())
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def is_cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def freeze(response):
    return (response.status_code, list(response.items()), response.content)


def thaw(kept):
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


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
        if not getattr(settings, "PAGE_CACHE", False) or not is_cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request, record_version(request))
        kept = cache.get(key)
        if kept is not None and within_api_budget(request):
            response = thaw(kept)
            last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=last_modified,
                response=response,
            )
        response = self.get_response(request)
        if is_cacheable_response(response):
            cache.set(key, freeze(response), self.timeout)
        return response

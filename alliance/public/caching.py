"""Conditional GET for every public page: `Last-Modified` and `ETag` from the record's
freshness (`alliance.freshness`).

Any edit to the record moves its last change, so one cheap query tells whether a
reader's copy is still good. A deploy that changes templates, translations or styles
changes the tags too. So does midnight: a page drawn "as of today" says who is a member
today, which a period that starts or ends that day changes without any edit.

Only a 2xx answer carries validators or becomes a 304 (RFC 9110, 13.2.1): a 404 or a
400 page is always sent whole. The tag names the address as well as the version, and
only 200s carry it, so a matching `If-None-Match` proves that this address answered
200 at this version: it gets its 304 before the page is drawn. `If-Modified-Since`
names no address, so it is only weighed once the page turns out to be a 2xx.

For an anonymous reader a page is drawn once, typeset, and kept until a part of the record
it read changes (`alliance.pagecache.kept_response`): an edit to a person's title leaves
the article pages and the lists of positions kept, whether or not the page cache is on.
Someone signed in always gets the page drawn afresh.
"""

import functools
import hashlib

from django.utils import translation
from django.utils.cache import get_conditional_response

from alliance import freshness
from alliance.pagecache import kept_response
from alliance.public.typography import typeset_response


def page_etag(request, *args, **kwargs):
    # The language is in the URL, but the same view renders both: keep the tags apart.
    stamp = f"{translation.get_language()}-{freshness.current().version}"
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16]
    return f'"{stamp}-{address}"'


def record_page(view):
    """Decorate a view (or `method_decorator(record_page, name="dispatch")`) for 304s."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        etag = page_etag(request)
        fresh = freshness.current()
        if request.headers.get("If-None-Match", "*").strip() != "*":
            early = get_conditional_response(request, etag=etag)
            if early is not None and early.status_code == 304:
                return validated(early, etag, fresh)
        response = drawn(request, view, *args, **kwargs)
        if not 200 <= response.status_code < 300:
            return response
        validated(response, etag, fresh)
        return get_conditional_response(
            request, etag=etag, last_modified=fresh.timestamp, response=response
        )

    return answer


def validated(response, etag, fresh):
    response.headers.setdefault("ETag", etag)
    if fresh.last_modified_http:
        response.headers.setdefault("Last-Modified", fresh.last_modified_http)
    return response


def drawn(request, view, *args, **kwargs):
    """The view's answer, typeset; for an anonymous reader, kept until what it read
    changes (`alliance.pagecache.kept_response`)."""

    def draw():
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        # Kept typeset, so that a kept page is not typeset again at each request.
        return typeset_response(request, response)

    response = kept_response(request, draw)
    response.typeset = True
    return response

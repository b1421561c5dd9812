"""HTTP rules for every answer: which methods, what a malformed address gets, and how
public answers may be cached and compressed.

- A NUL anywhere in the path or the query string answers 400: PostgreSQL refuses it in
  text with an error. (The API refuses it itself, in JSON, naming the parameter.)
- TRACE (and CONNECT, TRACK) answer 405 everywhere. The public pages, the sitemap and
  robots.txt answer GET and HEAD; OPTIONS there answers with `Allow` and no body; any
  other method answers 405. (The API and the admin answer for their own methods.)
- Public answers (the pages, feeds, sitemap, robots.txt and the API) say
  `Cache-Control: no-cache`: a browser or proxy may keep them but must ask again, which
  costs a 304 when nothing changed, so an edit shows at once.
- Public answers are compressed with gzip when the client accepts it, unless they carry
  a secret (a cookie set, or an answer that varies with the cookie), and never under
  /admin/: compressing a CSRF token beside text an attacker chooses leaks it (BREACH).
  What was compressed is kept under a digest of the answer (the `gzipped` cache), since
  compressing a 130 KB page costs many times more than taking a kept answer: a kept
  page is not compressed again at each request.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

NEVER = frozenset({"TRACE", "TRACK", "CONNECT"})
PAGE_METHODS = ("GET", "HEAD", "OPTIONS")
ROOT_PUBLIC = ("/sitemap.xml", "/robots.txt")


def is_public_page(path):
    languages = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    return path in ROOT_PUBLIC or path.startswith(languages)


def is_public(path):
    return is_public_page(path) or path.startswith("/api/")


def has_nul(request):
    return "\x00" in request.path or any(
        "\x00" in part for name, values in request.GET.lists() for part in (name, *values)
    )


class RequestShapeMiddleware:
    """400 for a NUL in the address; 405 for methods no public page answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and has_nul(request):
            return HttpResponseBadRequest(
                "The address holds a NUL character.\n", content_type="text/plain; charset=utf-8"
            )

        method = request.method
        if method in NEVER:
            return HttpResponseNotAllowed(PAGE_METHODS if is_public_page(request.path) else [])
        if is_public_page(request.path_info):
            if method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Allow"] = ", ".join(PAGE_METHODS)
                return response
            if method not in PAGE_METHODS:
                return HttpResponseNotAllowed(PAGE_METHODS)
        return self.get_response(request)


class PublicAnswerMiddleware(GZipMiddleware):
    """`Cache-Control: no-cache` on public answers; gzip for those that hold no secret."""

    def process_response(self, request, response):
        if not is_public(request.path):
            return response
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-cache"
        if response.cookies or "cookie" in response.get("Vary", "").lower():
            return response
        if (
            response.streaming
            or len(response.content) < 200
            or response.has_header("Content-Encoding")
            or not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        ):
            return super().process_response(request, response)
        # It holds no secret, so one random padding per answer is as good as one per
        # request: the padding is there against BREACH, which needs a secret to find.
        store = caches["gzipped"]
        key = hashlib.sha256(response.content).hexdigest()
        compressed = store.get(key)
        if compressed is None:
            response = super().process_response(request, response)
            if response.get("Content-Encoding") == "gzip":
                store.set(key, response.content)
            return response
        # As GZipMiddleware would have compressed it.
        patch_vary_headers(response, ("Accept-Encoding",))
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response

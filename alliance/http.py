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
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.middleware.gzip import GZipMiddleware

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
        return super().process_response(request, response)

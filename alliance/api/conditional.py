"""`ETag` and `Last-Modified` on every API response, and 304 when nothing changed.

Last-Modified and the record's version come from `alliance.freshness`, as for the pages:
the last change anywhere in the record (one query per request), the release, or this
morning's midnight if that is later, since an answer drawn as of today (who is a member
today) can change at midnight without an edit.

The resources' ETag is known before the answer is made: a digest of that moment, of
the code and templates that draw answers, and of everything else the body depends on
(address, query, host, format, language). A client that sends it back gets its 304
without the answer being made again. Only a 200 carries such a tag, so a client can
only hold one for an answer that was a 200. Other answers (errors, the docs page,
whose inline script carries a fresh CSP nonce) are tagged with a digest of the body.
"""

import hashlib

from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from alliance import freshness
from alliance.api.languages import choose_language

CONDITIONAL_METHODS = ("GET", "HEAD")


def record_etag(request):
    """The ETag of a 200 answer to this request at the record's current version."""
    parts = [
        freshness.current().version,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.accepted_media_type or "",
        translation.get_language() or "",
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f'"{digest[:32]}"'


class NotModified(APIException):
    status_code = 304


class ConditionalMixin:
    """For DRF views: validators on every response, 304 for a GET that is still fresh.

    And a plain `OPTIONS` answers 204 with `Allow` alone, as `Allow` promises: the
    schema describes the rest. (A CORS preflight is answered before the view.)
    """

    #: Tag a 200 by the record's version (and answer a matching If-None-Match before
    #: making the answer) rather than by a digest of its body.
    etag_from_record = False
    #: Whether `?lang=` chooses the language of the answer (the schema's means its own).
    language_from_query = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Before the ETag: answers in two languages never share one.
        if self.language_from_query:
            choose_language(request)
        # "*" matches any answer there is, and there may be none (a 404): left to the end.
        if (
            self.etag_from_record
            and request.method in CONDITIONAL_METHODS
            and request.headers.get("If-None-Match", "*").strip() != "*"
        ):
            answer = get_conditional_response(request, etag=record_etag(request))
            if answer is not None and answer.status_code == NotModified.status_code:
                raise NotModified()

    def options(self, request, *args, **kwargs):
        return HttpResponse(status=204)

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return Response(status=NotModified.status_code)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if self.etag_from_record and response.status_code in (200, NotModified.status_code):
            response.headers["ETag"] = record_etag(request)
        else:
            set_response_etag(response)
        # The language the texts were written in (`alliance.api.languages`); without
        # `?lang=`, it came from Accept-Language, whatever the answer.
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language",))
        # Answers drawn as of today change at midnight too.
        fresh = freshness.current()
        if fresh.last_modified_http:
            response.headers["Last-Modified"] = fresh.last_modified_http
        if request.method in CONDITIONAL_METHODS and response.status_code == 200:
            return get_conditional_response(
                request,
                etag=response.headers["ETag"],
                last_modified=fresh.timestamp,
                response=response,
            )
        return response

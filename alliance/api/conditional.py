"""`ETag` and `Last-Modified` on every API response, and 304 when nothing changed.

The ETag is a digest of the body as sent, so it changes whenever any part of it does.
Last-Modified is the last change anywhere in the record: the latest `updated_at` of the
content tables and the latest history entry (which also dates deletions), one query.
"""

from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date

from alliance.public.caching import last_change

CONDITIONAL_METHODS = ("GET", "HEAD")


def record_last_modified(request=None):
    """The moment the record last changed, or None when it is empty.

    The same one query as the public pages' (`alliance.public.caching.last_change`); the
    page cache leaves its answer on the request, so a request asks only once.
    """
    if request is not None and hasattr(request, "_record_last_change"):
        return request._record_last_change
    return last_change()


class ConditionalMixin:
    """For DRF views: validators on every response, 304 for a GET that is still fresh."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        set_response_etag(response)
        last_modified = record_last_modified(request._request)
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        if request.method in CONDITIONAL_METHODS and response.status_code == 200:
            timestamp = int(last_modified.timestamp()) if last_modified else None
            return get_conditional_response(
                request,
                etag=response.headers["ETag"],
                last_modified=timestamp,
                response=response,
            )
        return response

"""`ETag` and `Last-Modified` on every API response, and 304 when nothing changed.

The ETag is a digest of the body as sent, so it changes whenever any part of it does.
Last-Modified is the last change anywhere in the record: the latest `updated_at` of the
content tables and the latest history entry (which also dates deletions), one query.
"""

import datetime

from django.apps import apps
from django.db import connection
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

CONDITIONAL_METHODS = ("GET", "HEAD")


def record_last_modified():
    """The moment the record last changed, or None when it is empty."""
    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_app_config("alliance").get_models():
        columns = {field.column for field in model._meta.concrete_fields}
        column = "history_date" if "history_date" in columns else "updated_at"
        if column in columns and not model._meta.proxy:
            parts.append(
                f"SELECT MAX({quote(column)}) AS latest FROM {quote(model._meta.db_table)}"
            )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(latest) FROM ({' UNION ALL '.join(parts)}) AS changes")
        (latest,) = cursor.fetchone()
    if isinstance(latest, str):
        # SQLite hands back its text form, in UTC.
        latest = parse_datetime(latest).replace(tzinfo=datetime.UTC)
    return latest


class ConditionalMixin:
    """For DRF views: validators on every response, 304 for a GET that is still fresh."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        set_response_etag(response)
        last_modified = record_last_modified()
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

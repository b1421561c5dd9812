"""Conditional GET for every public page: `Last-Modified` and `ETag` from the last edit.

Any edit to the record (a save bumps `updated_at`; a deletion leaves a history row)
moves the timestamp, so one cheap query tells whether a reader's copy is still good.
A deploy that changes templates, translations or styles changes the tags too. So does
midnight: a page drawn "as of today" says who is a member today, which a period that
starts or ends that day changes without any edit.

Only a 2xx answer carries validators or becomes a 304 (RFC 9110, 13.2.1): a 404 or a
400 page is always sent whole. The tag names the address as well as the version, and
only 200s carry it, so a matching `If-None-Match` proves that this address answered
200 at this version: it gets its 304 before the page is drawn. `If-Modified-Since`
names no address, so it is only weighed once the page turns out to be a 2xx.
"""

import datetime
import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from alliance.models import (
    AISystem,
    Article,
    Citation,
    Claim,
    ExternalIdentifier,
    Membership,
    Organisation,
    Paragraph,
    Person,
    Position,
    Relation,
    Role,
    Source,
    Topic,
)

CONTENT_MODELS = (
    AISystem,
    Article,
    Citation,
    Claim,
    ExternalIdentifier,
    Membership,
    Organisation,
    Paragraph,
    Person,
    Position,
    Relation,
    Role,
    Source,
    Topic,
)


#: What pages and API answers are drawn with besides the record: a deploy that changes
#: them changes their tags and the page cache's keys.
PRESENTATION = (
    "templates",
    "alliance/locale",
    "alliance/static",
    "alliance/public",
    "alliance/api",
)


@functools.cache
def presentation():
    """(digest, last change) of the templates, catalogues, styles and view code, once."""
    digest = hashlib.sha256()
    latest = 0.0
    for folder in PRESENTATION:
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*")):
            if path.is_file() and path.suffix in {".html", ".mo", ".css", ".svg", ".py"}:
                digest.update(path.read_bytes())
                latest = max(latest, path.stat().st_mtime)
    changed = datetime.datetime.fromtimestamp(latest, tz=datetime.UTC) if latest else None
    return digest.hexdigest()[:12], changed


def _latest_sql():
    # Built once per database backend: reaching a history model through its manager costs
    # more than the query itself.
    vendor = connection.vendor
    if vendor not in _LATEST_SQL:
        _LATEST_SQL[vendor] = _build_latest_sql()
    return _LATEST_SQL[vendor]


_LATEST_SQL = {}


def _build_latest_sql():
    quote = connection.ops.quote_name
    selects = []
    for model in CONTENT_MODELS:
        selects.append(f"SELECT MAX(updated_at) AS changed FROM {quote(model._meta.db_table)}")
        # Deletions only show in the history tables.
        history_table = model.history.model._meta.db_table
        selects.append(f"SELECT MAX(history_date) AS changed FROM {quote(history_table)}")
    return f"SELECT MAX(changed) FROM ({' UNION ALL '.join(selects)}) AS latest"


def last_change():
    """When the record last changed, or None for an empty record: one query."""
    with connection.cursor() as cursor:
        cursor.execute(_latest_sql())
        (value,) = cursor.fetchone()
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back text for an aggregate over a union.
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def _cached_last_change(request):
    if not hasattr(request, "_record_changed"):
        moments = [last_change(), presentation()[1]]
        request._record_changed = max((m for m in moments if m), default=None)
    return request._record_changed


def day_began():
    """Midnight, this morning, where the site is: when "today" last changed."""
    midnight = datetime.datetime.combine(timezone.localdate(), datetime.time())
    return timezone.make_aware(midnight)


def as_of_today(changed):
    """The later of `changed` and this morning's midnight: the moment a page drawn as of
    today last changed, edit or not."""
    return max((m for m in (changed, day_began()) if m), default=None)


def page_last_modified(request, *args, **kwargs):
    return as_of_today(_cached_last_change(request))


def version(changed):
    """The record's version as text: its last change, the presentation's digest, and the
    day (pages and answers show the record as of today).

    Microseconds: two edits in one second still make two versions (Last-Modified cannot).
    """
    stamp = changed.strftime("%Y%m%d%H%M%S%f") if changed else "empty"
    return f"{stamp}-{presentation()[0]}-{timezone.localdate():%Y%m%d}"


def page_etag(request, *args, **kwargs):
    # The language is in the URL, but the same view renders both: keep the tags apart.
    stamp = f"{translation.get_language()}-{version(_cached_last_change(request))}"
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16]
    return f'"{stamp}-{address}"'


def record_page(view):
    """Decorate a view (or `method_decorator(record_page, name="dispatch")`) for 304s."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        etag = page_etag(request)
        changed = page_last_modified(request)
        if request.headers.get("If-None-Match", "*").strip() != "*":
            early = get_conditional_response(request, etag=etag)
            if early is not None and early.status_code == 304:
                return validated(early, etag, changed)
        response = view(request, *args, **kwargs)
        if not 200 <= response.status_code < 300:
            return response
        validated(response, etag, changed)
        timestamp = int(changed.timestamp()) if changed else None
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )

    return answer


def validated(response, etag, changed):
    response.headers.setdefault("ETag", etag)
    if changed is not None:
        response.headers.setdefault("Last-Modified", http_date(changed.timestamp()))
    return response

"""How fresh the record is, worked out in one place for the pages, the API and the page cache.

- The record's **last change**: the latest `updated_at` of the content tables and the
  latest history entry (which also dates deletions), in one query. Any change to what a
  page shows, however it is made (an admin edit, a revert, a CSV import, a fixture load, a
  deletion), moves it.
- The **release**: a digest of what answers are drawn with besides the record (templates,
  catalogues, styles, view code), and when those last changed. A deploy moves it.
- The record's **version**: the last change, the release and the day, as text. Pages and
  answers show the record as of today, so midnight makes a new version without an edit.
- **Last-Modified**: the later of the last change, the release's and this morning's midnight.

`current()` reads the last change once per request (`FreshnessMiddleware` opens a slot
for it); the page cache, the pages' and the API's validators and the per-version stores
all ask it, so a request costs at most one query for it, and nobody passes it around.
On PostgreSQL with FRESHNESS_LISTEN, a request reads it only after a change was announced
(`alliance.listening`), so a warm request costs none. Outside a request (a command, a test
calling a function) it is read afresh each time.
"""

import contextvars
import datetime
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from alliance import listening

#: What pages and API answers are drawn with besides the record: a deploy that changes
#: them changes the release, hence the tags and the page cache's keys.
PRESENTATION = (
    "templates",
    "alliance/locale",
    "alliance/static",
    "alliance/public",
    "alliance/api",
)


def content_models():
    from alliance import models

    return (
        models.AISystem,
        models.Article,
        models.Citation,
        models.Claim,
        models.ExternalIdentifier,
        models.Membership,
        models.Organisation,
        models.Paragraph,
        models.Person,
        models.Position,
        models.Relation,
        models.Role,
        models.Source,
        models.Topic,
    )


@dataclass(frozen=True)
class Release:
    digest: str
    changed: datetime.datetime | None


@functools.cache
def release():
    """The digest and last change of the templates, catalogues, styles and view code, once."""
    digest = hashlib.sha256()
    latest = 0.0
    for folder in PRESENTATION:
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*")):
            if path.is_file() and path.suffix in {".html", ".mo", ".css", ".svg", ".py"}:
                digest.update(path.read_bytes())
                latest = max(latest, path.stat().st_mtime)
    changed = datetime.datetime.fromtimestamp(latest, tz=datetime.UTC) if latest else None
    return Release(digest.hexdigest()[:12], changed)


_LATEST_SQL = {}


def _latest_sql():
    # Built once per database backend: reaching a history model through its manager costs
    # more than the query itself.
    vendor = connection.vendor
    if vendor not in _LATEST_SQL:
        quote = connection.ops.quote_name
        selects = []
        for model in content_models():
            selects.append(f"SELECT MAX(updated_at) AS changed FROM {quote(model._meta.db_table)}")
            # Deletions only show in the history tables.
            history_table = model.history.model._meta.db_table
            selects.append(f"SELECT MAX(history_date) AS changed FROM {quote(history_table)}")
        _LATEST_SQL[vendor] = f"SELECT MAX(changed) FROM ({' UNION ALL '.join(selects)}) AS latest"
    return _LATEST_SQL[vendor]


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


def day_began():
    """Midnight, this morning, where the site is: when "today" last changed."""
    midnight = datetime.datetime.combine(timezone.localdate(), datetime.time())
    return timezone.make_aware(midnight)


def latest(*moments):
    return max((m for m in moments if m), default=None)


def as_of_today(changed):
    """The later of `changed` and this morning's midnight: the moment an answer drawn as
    of today last changed, edit or not."""
    return latest(changed, day_began())


def version(changed):
    """The record's version as text: its last change, the release and the day.

    Microseconds: two edits in one second still make two versions (Last-Modified cannot).
    """
    stamp = changed.strftime("%Y%m%d%H%M%S%f") if changed else "empty"
    return f"{stamp}-{release().digest}-{timezone.localdate():%Y%m%d}"


@dataclass(frozen=True)
class Freshness:
    """The record's freshness as one request sees it."""

    #: The record's last change (None for an empty record).
    changed: datetime.datetime | None

    @property
    def version(self):
        return version(self.changed)

    @property
    def last_modified(self):
        """When an answer drawn from the record as of today last changed, or None."""
        return as_of_today(latest(self.changed, release().changed))

    @property
    def last_modified_http(self):
        moment = self.last_modified
        return http_date(moment.timestamp()) if moment else None

    @property
    def timestamp(self):
        moment = self.last_modified
        return int(moment.timestamp()) if moment else None


class _Slot:
    value = None

    def __init__(self, signed_in=False):
        self.signed_in = signed_in


_request_slot = contextvars.ContextVar("alliance_freshness", default=None)


def current():
    """The record's freshness: read once per request, afresh outside one."""
    slot = _request_slot.get()
    if slot is None:
        return Freshness(last_change())
    if slot.value is None:
        # Someone signed in may have just saved through another process, whose notice can
        # be a moment behind (alliance.listening): they always get the record as it is.
        if listening.enabled() and not slot.signed_in:
            slot.value = Freshness(listening.last_change(last_change))
        else:
            slot.value = Freshness(last_change())
    return slot.value


class FreshnessMiddleware:
    """Give each request its own slot, so the last change is read at most once in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_slot.set(_Slot(settings.SESSION_COOKIE_NAME in request.COOKIES))
        try:
            return self.get_response(request)
        finally:
            _request_slot.reset(token)


def once_per_version(key, compute):
    """`compute()` once per record version and process, kept under `key` until it moves.

    For what costs a query over the whole record or a render of the same widgets on every
    request: a list's count, a filter form's options. The version is part of the key,
    so an edit can only make it be computed again, never serve it out of date.
    """
    from django.core.cache import caches

    store = caches["per-version"]
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    name = f"{current().version}:{digest}"
    value = store.get(name, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(name, value)
    return value


_MISSING = object()

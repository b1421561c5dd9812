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
- A **part's version**: the same, from the last change of only the tables a result reads
  (a list's count reads positions and articles, not organisations' descriptions), so
  what is kept per part outlives an edit elsewhere.
- **Kept answers** (`kept`): a page or an API answer kept with the parts its drawing was
  seen to read (`reading`: the tables its SQL named, and those of what it took from a
  per-version store), served while their version stands.

`current()` reads the last change once per request (`FreshnessMiddleware` opens a slot
for it); the page cache, the pages' and the API's validators and the per-version stores
all ask it, so a request costs at most one query for it, and nobody passes it around.
With FRESHNESS_LISTEN, a request reads it only after a change was announced on PostgreSQL,
or after SQLite's `data_version` moved (`alliance.listening`), so a warm request costs no
query. Outside a request (a command, a test
calling a function) it is read afresh each time.
"""

import contextlib
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
#: The parts of the record read by the answer being drawn (`reading`), if one is.
_reads = contextvars.ContextVar("alliance_reads", default=None)


def _latest_sql():
    # Built once per database backend: reaching a history model through its manager costs
    # more than the query itself.
    vendor = connection.vendor
    if vendor not in _LATEST_SQL:
        quote = connection.ops.quote_name
        selects = []
        for model in content_models():
            table = model._meta.db_table
            selects.append(
                f"SELECT '{table}' AS part, MAX(updated_at) AS changed FROM {quote(table)}"
            )
            # Deletions only show in the history tables.
            history_table = model.history.model._meta.db_table
            selects.append(
                f"SELECT '{table}' AS part, MAX(history_date) AS changed FROM {quote(history_table)}"
            )
        _LATEST_SQL[vendor] = (
            f"SELECT part, MAX(changed) FROM ({' UNION ALL '.join(selects)}) AS latest "
            "GROUP BY part"
        )
    return _LATEST_SQL[vendor]


def _moment(value):
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back text for an aggregate over a union.
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def changes():
    """When each content table last changed (its rows or its history), by table name:
    one query. A table never written is absent."""
    # The record's clock, not a read of what it holds (`reading`).
    token = _reads.set(None)
    try:
        with connection.cursor() as cursor:
            cursor.execute(_latest_sql())
            rows = cursor.fetchall()
    finally:
        _reads.reset(token)
    return {part: moment for part, value in rows if (moment := _moment(value)) is not None}


def last_change():
    """When the record last changed, or None for an empty record: one query."""
    return latest(*changes().values())


@functools.cache
def _parts_by_table():
    """{table name: its part}: each content table and its history table are one part."""
    parts = {}
    for model in content_models():
        parts[model._meta.db_table] = model._meta.db_table
        parts[model.history.model._meta.db_table] = model._meta.db_table
    return parts


def tables_in(sql):
    """The parts of the record a query's SQL reads (its subqueries' included), by the
    content or history tables it names; None when it names none of them, so that what
    it computes follows the whole record's version."""
    parts = frozenset(part for table, part in _parts_by_table().items() if f'"{table}"' in sql)
    return parts or None


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

    #: When each content table last changed, by table name (`changes()`).
    parts: dict

    @property
    def changed(self):
        """The record's last change (None for an empty record)."""
        return latest(*self.parts.values())

    @property
    def version(self):
        return version(self.changed)

    def version_of(self, tables):
        """The version of what reads only `tables`: it moves with their changes alone."""
        return version(latest(*(self.parts.get(table) for table in tables)))

    def stamp(self, tables):
        """The version of what reads `tables`, or of the whole record for None."""
        return self.version if tables is None else self.version_of(sorted(tables))

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
        return Freshness(changes())
    if slot.value is None:
        # Someone signed in may have just saved through another process, whose notice can
        # be a moment behind (alliance.listening): they always get the record as it is.
        if listening.enabled() and not slot.signed_in:
            slot.value = Freshness(listening.last_change(changes))
        else:
            slot.value = Freshness(changes())
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


def once_per_version(key, compute, tables=None):
    """`compute()` once per record version and process, kept under `key` until it moves.

    For what costs a query over the whole record or a render of the same widgets on every
    request: a list's count, a filter's widgets. The version is part of the key, so an
    edit can only make it be computed again, never serve it out of date. Given the
    `tables` it reads (`tables_in(sql)`), only a change to one of them does.
    """
    from django.core.cache import caches

    store = caches["per-version"]
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    fresh = current()
    name = f"{fresh.stamp(tables)}:{digest}"
    value = store.get(name, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(name, value)
    _noted(tables)
    return value


_MISSING = object()


class Reads:
    """The parts of the record read while one answer is drawn: the tables its SQL named,
    and those of what it took from a per-version store. `tables` is None once something
    it read follows the whole record."""

    def __init__(self):
        self.parts = set()
        self.whole = False

    def add(self, tables):
        if tables is None:
            self.whole = True
        else:
            self.parts.update(tables)

    @property
    def tables(self):
        return None if self.whole else frozenset(self.parts)


def _noted(tables):
    reads = _reads.get()
    if reads is not None:
        reads.add(tables)


@contextlib.contextmanager
def reading():
    """Note the parts of the record read inside the block (`Reads`); an enclosing block
    reads them too."""
    reads = Reads()
    token = _reads.set(reads)

    def note(execute, sql, params, many, context):
        # Whichever block is innermost now: none while the record's clock is read.
        _noted(tables_in(sql))
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(note):
            yield reads
    finally:
        _reads.reset(token)
        _noted(reads.tables)


def kept(store, key, draw):
    """What `draw()` makes, kept in the cache `store` under `key` until a part of the
    record it read changes.

    `draw()` returns the value and whether to keep it. The parts it read are found as it
    runs (`reading`), so nothing has to list them, and a change to any other part leaves
    the value kept. The key holds what else the value depends on (the address, the
    language); the parts' version holds the release and the day.
    """
    fresh = current()
    name = "kept:" + hashlib.sha256(repr(key).encode()).hexdigest()
    entry = store.get(name)
    if entry is not None:
        tables, stamp, value = entry
        if stamp == fresh.stamp(tables):
            _noted(tables)
            return value
    with reading() as reads:
        value, keep = draw()
    if keep:
        store.set(name, (reads.tables, fresh.stamp(reads.tables), value))
    return value

"""How fresh the record is, worked out in one place for the pages, the API and the page cache.

- The record's **last change**: the latest `updated_at` of the content tables and the
  latest history entry (which also dates deletions), in one query. Any change to what a
  page shows, however it is made (an admin edit, a revert, a CSV import, a fixture load, a
  deletion), moves it.
- The **release**: a digest of what answers are drawn with besides the record (templates,
  catalogues, styles, code), and when those last changed. A deploy moves it.
- The record's **version**: the last change, the release and the day, as text. Pages and
  answers show the record as of today, so midnight makes a new version without an edit.
- **Last-Modified**: the later of the last change, the release's and this morning's midnight.
- A **part's version**: the same, from the last change of only the tables a result reads
  (a list's count reads positions and articles, not organisations' descriptions), so
  what is kept per part outlives an edit elsewhere.
- **Kept answers** (`kept`): a page or an API answer kept with the parts its drawing was
  seen to read (`reading`: the tables its SQL named, and those of what it took from a
  per-version store), served while their version stands. When it has moved, the
  queries the drawing ran are run again (`Proof`): the same rows, the same answer.

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
import pickle
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from alliance import listening

#: What pages and API answers are drawn with besides the record: a deploy that changes
#: them changes the release, hence the tags and the keys of everything kept. All of the
#: code: the models draw facts too, and what the workers of a server share outlives
#: them (alliance.caches.SharedDrawingsCache), so its form must change with the code.
PRESENTATION = ("templates", "alliance")


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
    """The digest and last change of the templates, catalogues, styles and code, once."""
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
    kept = store.get(name)
    if kept is None:
        # Its own queries, to check it by when its version has moved (`Proof`).
        with reading(enclosed=False) as reads:
            value = compute()
        kept = (value, Proof.queries_of(reads, fresh) or None)
        store.set(name, kept)
    value, checks = kept
    _took(tables, checks)
    return value


#: A statement that only reads (a union's parts come in brackets on some databases).
SELECT = re.compile(r"\s*\(*\s*SELECT\b", re.IGNORECASE)


class Query:
    """One SELECT run while an answer was drawn, and a digest of the rows it fetched."""

    def __init__(self, sql, params, tables):
        self.sql, self.params, self.tables = sql, params, tables
        self.digest = hashlib.sha256()
        self.fetched = 0
        self.exhausted = False
        self.called = False

    def watch(self, cursor):
        """Digest the rows as the caller fetches them from `cursor` (Django's wrapper)."""
        fetchone, fetchmany, fetchall = cursor.fetchone, cursor.fetchmany, cursor.fetchall

        def one():
            row = fetchone()
            self.rows([] if row is None else [row], exhausted=row is None)
            return row

        def many(size=None):
            rows = fetchmany() if size is None else fetchmany(size)
            self.rows(rows, exhausted=not rows or (size is not None and len(rows) < size))
            return rows

        def every():
            rows = fetchall()
            self.rows(rows, exhausted=True)
            return rows

        cursor.fetchone, cursor.fetchmany, cursor.fetchall = one, many, every

    def rows(self, rows, exhausted):
        self.called = True
        self.fetched += len(rows)
        self.exhausted = self.exhausted or exhausted
        _digest(rows, self.digest)

    def proof(self, fresh):
        """What `holds()` checks later: picklable, None if the rows were not all seen."""
        if not self.called:
            return None
        stamp = fresh.stamp(self.tables)
        digest = self.digest.digest()
        return (self.sql, self.params, self.tables, self.fetched, self.exhausted, digest, stamp)


def _digest(rows, digest):
    for row in rows:
        digest.update(repr(tuple(row)).encode())
    return digest


def holds(proof, fresh):
    """Whether a query run again now fetches the same rows as when its answer was drawn:
    without running it, if none of the tables it reads has changed since."""
    sql, params, tables, fetched, exhausted, digest, stamp = proof
    if fresh.stamp(tables) == stamp:
        return True
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall() if exhausted else cursor.fetchmany(fetched)
    return len(rows) == fetched and _digest(rows, hashlib.sha256()).digest() == digest


class Reads:
    """The parts of the record read while one answer is drawn: the tables its SQL named,
    and those of what it took from a per-version store. `tables` is None once something
    it read follows the whole record.

    Also, to check the answer later without drawing it (`Proof`): each SELECT it ran with
    a digest of its rows (`queries`), and the parts of what it took from a store
    (`stored`). `checkable` is False once it ran anything else.
    """

    def __init__(self):
        self.parts = set()
        self.whole = False
        self.queries = []
        self.stored = []
        self.checkable = True

    def add(self, tables):
        if tables is None:
            self.whole = True
        else:
            self.parts.update(tables)

    def ran(self, sql, params, many, cursor, tables):
        if many or not SELECT.match(sql):
            self.checkable = False
            return
        query = Query(sql, tuple(params) if params is not None else None, tables)
        query.watch(cursor)
        self.queries.append(query)

    def absorb(self, inner):
        self.add(inner.tables)
        self.queries += inner.queries
        self.stored += inner.stored
        self.checkable = self.checkable and inner.checkable

    @property
    def tables(self):
        return None if self.whole else frozenset(self.parts)


def _noted(tables):
    reads = _reads.get()
    if reads is not None:
        reads.add(tables)


def _took(tables, checks=None):
    """A value taken from a store, drawn from `tables` (None: the whole record), with
    the proofs of the queries that made it, if they can check it."""
    reads = _reads.get()
    if reads is not None:
        reads.add(tables)
        reads.stored.append((tables, checks))


@contextlib.contextmanager
def reading(enclosed=True):
    """Note the parts of the record read inside the block (`Reads`), and the queries run
    in it; an enclosing block reads them too, unless not `enclosed`."""
    reads = Reads()
    token = _reads.set(reads)

    def note(execute, sql, params, many, context):
        # Whichever block is innermost now: none while the record's clock is read.
        tables = tables_in(sql)
        _noted(tables)
        result = execute(sql, params, many, context)
        if _reads.get() is reads:  # the enclosing blocks' wrappers see it too
            reads.ran(sql, params, many, context["cursor"], tables)
        return result

    try:
        with connection.execute_wrapper(note):
            yield reads
    finally:
        _reads.reset(token)
        outer = _reads.get()
        if outer is not None and enclosed:
            outer.absorb(reads)


def drawn_with():
    return (release().digest, timezone.localdate())


@dataclass(frozen=True)
class Proof:
    """How a kept answer is checked when a part it read has changed: the queries it ran,
    each with a digest of its rows, and the version of what it took from a store.

    If each query fetches the same rows again, and each stored value is still the one of
    its parts' version (or its own queries fetch the same rows again), the answer would be
    drawn the same (what else it is drawn with, the release, the day, the language and
    the address, is in its key and stamp): an edit to a row it never showed leaves it
    standing, at the price of its queries alone, without building a model or rendering a
    template. A query that reads none of the tables changed since is not run again.
    Kept compressed: the SQL is most of it.
    """

    packed: bytes
    #: The release and the day it was drawn in: a check vouches for the rows, not for
    #: the code and the day they are drawn with.
    drawn_with: tuple

    @staticmethod
    def queries_of(reads, fresh):
        """The proofs of the queries run in a block, or None if they cannot check what it
        made (it ran anything but SELECTs, or a query's rows were not all seen)."""
        if not reads.checkable:
            return None
        queries = tuple(query.proof(fresh) for query in reads.queries)
        return None if None in queries else queries

    @classmethod
    def of(cls, reads, fresh):
        """The proof of what was read in a block, or None if it cannot be checked."""
        queries = cls.queries_of(reads, fresh)
        if queries is None:
            return None
        stored = tuple((tables, fresh.stamp(tables), checks) for tables, checks in reads.stored)
        try:
            return cls(zlib.compress(pickle.dumps((queries, stored)), 1), drawn_with())
        except (pickle.PicklingError, TypeError, AttributeError):
            return None

    def holds(self, fresh):
        if self.drawn_with != drawn_with():
            return False
        queries, stored = pickle.loads(zlib.decompress(self.packed))
        token = _reads.set(None)  # a check reads nothing on the answer's behalf
        try:
            return all(
                fresh.stamp(tables) == stamp
                or (checks and all(holds(check, fresh) for check in checks))
                for tables, stamp, checks in stored
            ) and all(holds(query, fresh) for query in queries)
        finally:
            _reads.reset(token)


def kept(store, key, draw, shared=None):
    """What `draw()` makes, kept in the cache `store` under `key` until a part of the
    record it read changes, and what it read with it (`Proof`).

    `draw()` returns the value and whether to keep it. The parts it read are found as it
    runs (`reading`), so nothing has to list them, and a change to any other part leaves
    the value kept. After a change to a part it read, it is checked before being drawn
    again (`Proof`). The key holds what else the value depends on (the address, the
    language); the parts' version holds the release and the day.

    With a `shared` store (`alliance.caches.SharedDrawingsCache`), what one process drew
    or checked serves the others: one process at a time draws a given value, and the
    others wait, then take it from there, checked against the record as they see it.
    """
    fresh = current()
    # The release and the database too: a shared store outlives a deploy, whose code may
    # keep another form, and may see another database (a test run's).
    database = [connection.settings_dict.get(part) for part in ("NAME", "HOST", "PORT")]
    name = "kept:" + hashlib.sha256(repr((release().digest, database, key)).encode()).hexdigest()
    entry = store.get(name)
    if _stands(entry, fresh):
        return entry[2]
    if shared is None:
        return _check_or_draw(entry, draw, fresh, name, store)
    with shared.drawing(name):
        found = shared.get(name)
        if _stands(found, fresh):
            store.set(name, found)
            return found[2]
        return _check_or_draw(found or entry, draw, fresh, name, store, shared)


def _stands(entry, fresh):
    """Whether a kept entry was drawn from the parts of the record as they are now."""
    if entry is None:
        return False
    tables, stamp = entry[0], entry[1]
    if stamp != fresh.stamp(tables):
        return False
    _took(tables)
    return True


def _check_or_draw(entry, draw, fresh, name, *stores):
    if entry is not None:
        tables, stamp, value, proof = entry
        if stamp != fresh.stamp(tables) and proof is not None and proof.holds(fresh):
            checked = (tables, fresh.stamp(tables), value, proof)
            for store in stores:
                store.set(name, checked)
            _took(tables)
            return value
    with reading() as reads:
        value, keep = draw()
    if keep:
        entry = (reads.tables, fresh.stamp(reads.tables), value, Proof.of(reads, fresh))
        for store in stores:
            store.set(name, entry)
    return value

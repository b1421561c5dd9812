"""The record's last change, kept by each process and read again only once it moved.

When FRESHNESS_LISTEN is on. On SQLite, each connection asks `PRAGMA data_version`
(a counter in the file's header, no table read), which moves whenever another
connection commits: the last change is read again only when it did, or when a write of
this process committed (which the counter does not show to its own connection). The rest
of this is PostgreSQL's.

On PostgreSQL: Every statement that changes a content or
history table sends a notice when its transaction commits (migration 0011). Each process
listens on a connection of its own. A request first takes the notices already received,
without waiting for any: if none came, the last change it knows still holds and costs no
query; if one did, it reads the last change again (the usual query), once.

What keeps it from serving a page older than a committed edit:
- the process listens before it first reads, so no change in between goes unnoticed;
- it takes the notices in the request's own thread, so no background thread that has
  not run yet can leave a request behind;
- its own writes mark the known value out of date when they commit, so an editor's next
  page in the same process is fresh before the notice even comes back;
- a read made inside a transaction is not kept: it may hold writes that roll back;
- while the listening connection is down, every request reads the last change, as
  without listening, and a new connection is tried every RETRY_SECONDS at most;
- after a fork (gunicorn's workers), each process makes its own connection.

What it cannot close: PostgreSQL wakes the listening sessions as a transaction commits,
and each writes the notice to its socket a moment later (microseconds; up to a few
milliseconds on a busy machine). A request that another process takes in that moment
still gets the previous version. Only someone signed in can have just seen the commit
(an editor who saved through another process): their requests always read the last
change (`alliance.freshness.current`).
"""

import os
import threading
import time

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver

#: The channel the migration's triggers announce on.
CHANNEL = "alliance_record_changed"
#: How long, once the listening connection is lost, before another is tried.
RETRY_SECONDS = 5.0
WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "COPY")
#: The databases whose changes a process can learn of without reading the last change.
WATCHED = ("postgresql", "sqlite")


def enabled():
    return settings.FRESHNESS_LISTEN and connection.vendor in WATCHED


class Listener:
    """This process's listening connection, and the last change it knows."""

    def __init__(self):
        self.lock = threading.Lock()
        self.connection = None
        self.lost = False
        # Each notice, and each commit of this process's writes, counts a change; the known
        # value holds while no change was counted after the read that gave it.
        self.changes = 0
        self.known = None
        self.known_after = None
        self.retry_at = 0.0

    def last_change(self, read):
        """The record's last change: `read()` (one query) only if it may have moved."""
        with self.lock:
            if not self.listening():
                return read()
            try:
                for _notice in self.connection.notifies(timeout=0):
                    self.changes += 1
            except psycopg.Error:
                self.lost = True
            if self.lost:
                self.stop()
                return read()
            if self.known_after == self.changes:
                return self.known
            # Counted before the read: a change that lands during it is counted after.
            changes = self.changes
            value = read()
            if not connection.in_atomic_block:
                self.known, self.known_after = value, changes
            return value

    def count_a_change(self):
        self.changes += 1

    def listening(self):
        """Whether this process listens; connects first if none is open and it is time to try."""
        if self.connection is not None and not self.connection.broken:
            return True
        if self.connection is not None:
            self.stop()
        if time.monotonic() < self.retry_at:
            return False
        self.retry_at = time.monotonic() + RETRY_SECONDS
        params = connection.get_connection_params()
        # The request that tries waits no longer than this for a server that does not answer.
        params.setdefault("connect_timeout", 2)
        try:
            self.connection = psycopg.connect(
                **params,
                autocommit=True,
                application_name="alliance-freshness",
                # A connection a firewall dropped in silence is found out within a minute.
                keepalives_idle=30,
                keepalives_interval=10,
                keepalives_count=3,
            )
            self.connection.add_notice_handler(self.heed_farewell)
            self.connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            self.stop()
            return False
        self.changes += 1
        return True

    def heed_farewell(self, diagnostic):
        # A session that is ending (terminated, the server shutting down) says so first; it
        # then hears nothing more, though the socket may not show it closed until later.
        if diagnostic.severity_nonlocalized in {"FATAL", "PANIC"}:
            self.lost = True

    def stop(self):
        """Close the listening connection (the next request tries again, after a while)."""
        if self.connection is not None:
            self.connection.close()
        self.connection = None
        self.lost = False
        self.changes += 1
        self.retry_at = time.monotonic() + RETRY_SECONDS

    def forget(self):
        """In a child after a fork: the parent's connection stays the parent's."""
        self.__init__()


listener = Listener()
os.register_at_fork(after_in_child=listener.forget)


class DataVersionWatch:
    """SQLite's: the last change each connection read, kept while neither the file's
    `data_version` (moved by other connections' commits) nor this process's own commits
    moved."""

    def __init__(self):
        self.changes = 0

    def count_a_change(self):
        self.changes += 1

    def last_change(self, read):
        connection.ensure_connection()
        raw = connection.connection
        # Straight on the driver's connection: a header read, not a query on the record.
        data_version = raw.execute("PRAGMA data_version").fetchone()[0]
        known = getattr(connection, "alliance_last_change", None)
        if known is not None and known[0] is raw and known[1:3] == (data_version, self.changes):
            return known[3]
        # Counted before the read: a commit that lands during it is counted after.
        changes = self.changes
        value = read()
        if not connection.in_atomic_block:
            connection.alliance_last_change = (raw, data_version, changes, value)
        return value


data_versions = DataVersionWatch()


def last_change(read):
    if connection.vendor == "sqlite":
        return data_versions.last_change(read)
    return listener.last_change(read)


def count_a_change():
    listener.count_a_change()
    data_versions.count_a_change()


def note_writes(execute, sql, params, many, context):
    """Mark the known last change out of date when a write of this process commits."""
    result = execute(sql, params, many, context)
    if sql.lstrip()[:8].upper().startswith(WRITES):
        transaction.on_commit(count_a_change, using=context["connection"].alias)
    return result


def watch_writes(database):
    # First in the list: `connection.execute_wrapper()` takes the last one off when done.
    if note_writes not in database.execute_wrappers:
        database.execute_wrappers.insert(0, note_writes)


@receiver(connection_created)
def _watch_new_connections(sender, connection, **kwargs):
    if connection.vendor in WATCHED and settings.FRESHNESS_LISTEN:
        watch_writes(connection)

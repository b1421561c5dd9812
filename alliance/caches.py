"""Cache backends that keep the site serving when Redis is down, hangs or is full.

`ResilientRedisCache` is Django's Redis cache with short socket timeouts and no retries,
that never lets a Redis error reach a request. When Redis cannot be reached it answers
from its fallback: each process's own memory (`FALLBACK: "memory"`, the counters: the
API budget then counts per process, as without REDIS_URL) or nothing at all
(`FALLBACK: "none"`: a miss, and a write that keeps nothing). After a failure it leaves
Redis alone for `RETRY_SECONDS`, so a Redis that hangs costs one timeout per process
every few seconds rather than one per request; the next call after that tries again,
so Redis comes back without a restart. Each outage is logged once per process when it
starts and once when it ends, never once per request.

`BoundedMemoryCache` is each process's memory, holding at most `MAX_ENTRIES` answers of
at most `MAX_ENTRY_BYTES` each: a memory bound that no number of addresses can push past.

`SharedDrawingsCache` is a directory that the processes of one server share: what one
of them drew, the others read instead of drawing it again, and `drawing(key)` lets one
process at a time draw a given answer while the others wait for it.
"""

import contextlib
import fcntl
import hashlib
import logging
import os
import pickle
import threading
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("alliance.cache")

#: Seconds to wait for Redis to accept a connection, and for each answer.
SOCKET_TIMEOUT = 0.25
_UNREACHABLE = object()


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that degrades to a fallback instead of raising."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        fallback = options.pop("FALLBACK", "none")
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.alias = params.get("ALIAS", server)
        self.fallback = (
            LocMemCache(f"fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
            if fallback == "memory"
            else None
        )
        self._down_since = None
        self._retry_at = 0.0
        self._lock = threading.Lock()

    @property
    def degraded(self):
        """Whether the last call found Redis unreachable."""
        return self._down_since is not None

    def _call(self, name, *args, default=None, **kwargs):
        if time.monotonic() >= self._retry_at:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except (RedisError, OSError) as error:
                self._went_down(error)
            else:
                self._came_back()
                return result
        if self.fallback is not None:
            return getattr(self.fallback, name)(*args, **kwargs)
        return default

    def _went_down(self, error):
        with self._lock:
            self._retry_at = time.monotonic() + self.retry_seconds
            if self._down_since is None:
                self._down_since = time.monotonic()
                log.error(
                    "cache %s is unreachable (%s: %s); serving without it, retrying every %g s",
                    self.alias,
                    type(error).__name__,
                    error,
                    self.retry_seconds,
                )

    def _came_back(self):
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is not None:
                log.warning(
                    "cache %s is back after %.1f s", self.alias, time.monotonic() - self._down_since
                )
                self._down_since = None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version, default=False)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version, default=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version, default=False)

    def delete(self, key, version=None):
        return self._call("delete", key, version, default=False)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version, default={})

    def has_key(self, key, version=None):
        return self._call("has_key", key, version, default=False)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", key, delta, version, default=_UNREACHABLE)
        if result is _UNREACHABLE:
            raise ValueError(f"Key '{key}' not found: the cache is unreachable")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version, default=list(data))

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        if self.fallback is not None:
            self.fallback.clear()
        return self._call("clear")


class BoundedMemoryCache(LocMemCache):
    """Each process's memory, with a bound on each entry's size as well as their number."""

    def __init__(self, name, params):
        options = dict(params.get("OPTIONS") or {})
        self.max_entry_bytes = int(options.pop("MAX_ENTRY_BYTES", 1 << 20))
        super().__init__(name, {**params, "OPTIONS": options})

    def _fits(self, value):
        return len(pickle.dumps(value, self.pickle_protocol)) <= self.max_entry_bytes

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._fits(value):
            return False
        return super().add(key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._fits(value):
            return
        super().set(key, value, timeout, version)


class SharedDrawingsCache(FileBasedCache):
    """Django's file cache in a private directory, for what the processes of one server
    draw (`alliance.freshness.kept`); bounded by `MAX_ENTRIES` like any Django cache.

    It never lets a disk error reach a request: a read that fails is a miss, a write that
    fails keeps nothing. Its values are pickles, so it refuses (and keeps nothing in) a
    directory that another user owns or may write to.
    """

    #: Locks are striped by key: a bounded number of lock files, whatever the addresses.
    LOCK_STRIPES = 256
    #: How long a process waits for another to finish drawing before drawing it itself.
    WAIT_SECONDS = 5.0
    POLL_SECONDS = 0.002

    def __init__(self, directory, params):
        super().__init__(directory, params)
        self.usable = self._private_directory()
        self._held = threading.local()

    def _private_directory(self):
        try:
            self._createdir()
            status = os.stat(self._dir)
        except OSError as error:
            log.error("shared drawings off: %s cannot be made (%s)", self._dir, error)
            return False
        if status.st_uid != os.getuid() or status.st_mode & 0o077:
            log.error(
                "shared drawings off: %s is not private to this user (owner %d, mode %o)",
                self._dir,
                status.st_uid,
                status.st_mode & 0o777,
            )
            return False
        return True

    def get(self, key, default=None, version=None):
        if not self.usable:
            return default
        try:
            return super().get(key, default, version)
        except (OSError, EOFError, pickle.UnpicklingError, zlib.error):
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self.usable:
            return
        try:
            super().set(key, value, timeout, version)
        except OSError as error:
            log.warning("shared drawings: %s not kept (%s)", key, error)

    @contextlib.contextmanager
    def drawing(self, key):
        """Hold the lock of `key` while drawing it: another process of this server asking
        for the same answer waits (at most WAIT_SECONDS), then finds it here."""
        stripe = int(hashlib.sha256(key.encode()).hexdigest(), 16) % self.LOCK_STRIPES
        held = self._held.__dict__.setdefault("stripes", set())
        if not self.usable or stripe in held:  # a drawing inside a drawing: already held
            yield
            return
        try:
            lock = open(os.path.join(self._dir, f"{stripe}.lock"), "a")  # noqa: SIM115
        except OSError:
            yield
            return
        with lock:
            locked = self._acquire(lock)
            held.add(stripe)
            try:
                yield
            finally:
                held.discard(stripe)
                if locked:
                    fcntl.flock(lock, fcntl.LOCK_UN)

    def _acquire(self, lock):
        give_up_at = time.monotonic() + self.WAIT_SECONDS
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= give_up_at:
                    return False
                time.sleep(self.POLL_SECONDS)
            except OSError:
                return False

"""gunicorn's settings for production: `gunicorn -c python:alliance.gunicorn alliance.wsgi`.

`make serve` runs exactly that. Each value can be changed from the environment:
GUNICORN_BIND (or PORT), WEB_CONCURRENCY, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS,
FORWARDED_ALLOW_IPS.
"""

import logging
import multiprocessing
import os
import sys

from gunicorn import glogging

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: the pages are short database reads; more processes, not threads.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
# Recycled workers bound any slow growth of memory. Each keeps its own pages
# (alliance.pagecache), so a recycled worker starts cold: not too often. 0: never.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
# Django loads once, before the workers fork: a settings error stops the server at once.
preload_app = True
# Addresses whose X-Forwarded-Proto is believed: the load balancer's.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The app logs one line per request itself (alliance.ops); gunicorn adds none.
accesslog = None
# Its default path is per user, so two servers on one machine would fight over it.
control_socket_disable = True
if os.path.isdir("/dev/shm"):
    # Heartbeat files in memory: a slow disk never makes a worker look dead.
    worker_tmp_dir = "/dev/shm"


class StdoutLogger(glogging.Logger):
    """gunicorn's own messages (start, workers, errors) on standard output, like the app's."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if type(handler) is logging.StreamHandler:
                handler.setStream(sys.stdout)


logger_class = StdoutLogger


def unshared_counts(workers):
    """Why these workers cannot run together, or None.

    Each process would keep its own API request counts without Redis: with two workers a
    client gets twice its budget. (The login lockout counts in the database.)
    """
    from django.conf import settings

    if workers > 1 and not settings.REDIS_URL and settings.API_ANONYMOUS_RATE:
        return (
            f"{workers} workers without REDIS_URL: each would count the API's request budget "
            "for itself. Set REDIS_URL (README, Deployment), or run one worker "
            "(WEB_CONCURRENCY=1)."
        )
    return None


def on_starting(server):
    # The app is loaded (preload_app), so the settings are read; the worker count is
    # final here, command line included.
    import django

    django.setup()
    reason = unshared_counts(server.cfg.workers)
    if reason:
        server.log.error("refusing to start: %s", reason)
        sys.exit(f"refusing to start: {reason}")

"""What operators and load balancers see: one log line per request, `/healthz`, and a
503 with `Retry-After` rather than a 500 while the database cannot be reached."""

import logging
import secrets
import sys
import time

from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

request_log = logging.getLogger("alliance.requests")
health_log = logging.getLogger("alliance.health")

HEALTH_PATH = "/healthz"
#: Seconds a client is asked to wait when the database cannot be reached.
DATABASE_RETRY_AFTER = 10
#: An outage is logged at most once in this many seconds per process, with a count.
OUTAGE_LOG_SECONDS = 10
_outage = {"logged_at": None, "refused": 0}


class RequestLogMiddleware:
    """Log one line per request: method, path, status and duration in milliseconds.

    The path is logged without its query string, which may carry search terms.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        request_log.info(
            "method=%s path=%s status=%s duration_ms=%.1f",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
        )
        return response


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    cache = caches["counters"]
    key = f"healthz:{secrets.token_hex(8)}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was just written")
    cache.delete(key)
    if getattr(cache, "degraded", False):
        # alliance.caches answered from its fallback: Redis is unreachable.
        raise ConnectionError("Redis is unreachable; each process counts for itself")


#: What each part's failure means for the site: the database is needed to serve,
#: the cache is not (pages are then made afresh, counts kept per process).
FAILURES = {"database": "error", "cache": "degraded"}


def health():
    """Return ({component: "ok" | "error" | "degraded"}, serving)."""
    report = {}
    for name, failure in FAILURES.items():
        try:
            globals()[f"check_{name}"]()
        except Exception:
            health_log.exception("health check: %s is unreachable", name)
            report[name] = failure
        else:
            report[name] = "ok"
    return report, "error" not in report.values()


class HealthCheckMiddleware:
    """Answer `/healthz` before anything else runs.

    Load balancers call it with their own Host header and over plain HTTP, so it comes
    before host validation and the HTTPS redirect; it never reads or writes a session
    or a cookie. 200 while the database answers, even with the cache down ("degraded":
    the site serves without it); 503 when the database does not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        report, ok = health()
        response = JsonResponse(report, status=200 if ok else 503)
        response["Cache-Control"] = "no-store"
        return response


def is_database_unreachable(error):
    return isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and isinstance(error.__cause__, OSError)
    )


def server_error(request, *args, **kwargs):
    """handler500: 503 with Retry-After when the database is unreachable, else Django's 500.

    Django calls it while the exception is being handled, so it is still at hand.
    """
    error = sys.exc_info()[1]
    if error is None or not is_database_unreachable(error):
        return django_server_error(request, *args, **kwargs)
    message = _("The site cannot reach its database. Please try again in a few seconds.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            f"{message}\n", status=503, content_type="text/plain; charset=utf-8"
        )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    log_outage(error)
    # Logged above, once in a while; not once per request with its traceback.
    response._has_been_logged = True
    return response


def log_outage(error):
    _outage["refused"] += 1
    now = time.monotonic()
    if _outage["logged_at"] is None or now - _outage["logged_at"] >= OUTAGE_LOG_SECONDS:
        health_log.error(
            "database unreachable: %d request(s) answered 503 since the last report (%s)",
            _outage["refused"],
            str(error).splitlines()[0] if str(error) else type(error).__name__,
        )
        _outage["logged_at"], _outage["refused"] = now, 0

"""What operators and load balancers see: one log line per request, and `/healthz`."""

import logging
import secrets
import time

from django.core.cache import cache
from django.db import connections
from django.http import HttpResponseNotAllowed, JsonResponse

request_log = logging.getLogger("alliance.requests")
health_log = logging.getLogger("alliance.health")

HEALTH_PATH = "/healthz"


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
    key = f"healthz:{secrets.token_hex(8)}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was just written")
    cache.delete(key)


def health():
    """Return ({component: "ok" | "error"}, all_ok)."""
    report = {}
    for name, check in (("database", check_database), ("cache", check_cache)):
        try:
            check()
        except Exception:
            health_log.exception("health check: %s is unreachable", name)
            report[name] = "error"
        else:
            report[name] = "ok"
    return report, all(value == "ok" for value in report.values())


class HealthCheckMiddleware:
    """Answer `/healthz` before anything else runs.

    Load balancers call it with their own Host header and over plain HTTP, so it comes
    before host validation and the HTTPS redirect; it never reads or writes a session
    or a cookie. 200 when the database and the cache answer, 503 otherwise.
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

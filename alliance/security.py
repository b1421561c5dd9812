"""Admin login lockout: repeated failures for one username from one address answer 429.

Failures are counted in the cache, so every process behind the load balancer shares the
count when the cache is Redis. `manage.py unlock_logins` lifts a lockout early.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

PREFIX = "login-lockout"
ALL_GENERATION = f"{PREFIX}:generation"


def _digest(*parts):
    # Hashed so that any username makes a valid, short cache key.
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _user_generation_key(username):
    return f"{PREFIX}:generation:{_digest(username.strip().casefold())}"


def client_ip(request):
    """The client's address: behind PROXY_COUNT proxies, taken from X-Forwarded-For."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def attempt_key(username, ip):
    """The cache key counting failures for this username from this address.

    It carries two generation numbers, one for everyone and one per username: raising
    either (unlock) makes every older count unreachable at once.
    """
    username = username.strip().casefold()
    user_generation_key = _user_generation_key(username)
    generations = cache.get_many([ALL_GENERATION, user_generation_key])
    return ":".join(
        (
            PREFIX,
            str(generations.get(ALL_GENERATION, 0)),
            str(generations.get(user_generation_key, 0)),
            _digest(username, ip),
        )
    )


def failures(key):
    return cache.get(key, 0)


def record_failure(key):
    cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, count := 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    if count >= settings.LOGIN_FAILURE_LIMIT:
        # The lockout lasts its full time from the last failure.
        cache.set(key, count, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    return count


def _bump(generation_key):
    cache.add(generation_key, 0, timeout=None)
    cache.incr(generation_key)


def unlock(username=None, ip=None):
    """Lift lockouts: one username from one address, one username anywhere, or all."""
    if username and ip:
        cache.delete(attempt_key(username, ip))
    elif username:
        _bump(_user_generation_key(username))
    else:
        _bump(ALL_GENERATION)


def is_admin_login(request):
    match = request.resolver_match
    return match is not None and match.app_name == "admin" and match.url_name == "login"


class AdminLoginLockoutMiddleware:
    """Count failed admin logins per username and address; refuse with 429 past the limit.

    A failed login is the admin answering a POST with its form again (200); a success
    is its redirect, which clears the count.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_login_attempt_key", None)
        if key is not None:
            if response.status_code == 200:
                record_failure(key)
            elif 300 <= response.status_code < 400:
                cache.delete(key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not is_admin_login(request):
            return None
        key = attempt_key(request.POST.get("username", ""), client_ip(request))
        if failures(key) >= settings.LOGIN_FAILURE_LIMIT:
            minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
            response = HttpResponse(
                f"Too many failed logins. Try again in {minutes} minutes, or ask an "
                "administrator to run `manage.py unlock_logins`.\n",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
            return response
        request._login_attempt_key = key
        return None

"""Who the client is, and the admin login lockout (django-axes).

django-axes counts failed logins per username and client address in the database, so
every process and server shares the counts, no cache eviction can drop them, and they
hold while Redis is down. The username is counted as the login form reads it (Unicode
NFKC, as Django's `UsernameField` normalises it) and without case, so `ED1`, or `ed1`
typed in full-width letters, count against `ed1`. Past `LOGIN_FAILURE_LIMIT` failures the login answers 429 with
`Retry-After`; `manage.py unlock_logins` lifts a lockout early.

The client address is the connection's, unless the connection comes from a proxy listed
in `FORWARDED_ALLOW_IPS`: then it is read `PROXY_COUNT` entries from the end of
`X-Forwarded-For`, the entry the trusted proxy appended. Anyone else's header is ignored.
"""

import datetime
import ipaddress
import unicodedata

from django.conf import settings
from django.http import HttpResponse


def _networks():
    allowed = getattr(settings, "FORWARDED_ALLOW_IPS", [])
    if "*" in allowed:
        return None
    networks = []
    for entry in allowed:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def is_trusted_proxy(address):
    """Whether this peer may tell us who the client is (FORWARDED_ALLOW_IPS, `*`: any)."""
    networks = _networks()
    if networks is None:
        return True
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in networks)


def client_ip(request):
    """The client's address; X-Forwarded-For counts only from a trusted proxy."""
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    if proxies and is_trusted_proxy(peer):
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return peer


def normalise_username(username):
    """The username as the login form reads it (NFKC), without case."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def lockout_username(request, credentials=None):
    """django-axes' AXES_USERNAME_CALLABLE."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return normalise_username(username)


def failure_limit(request, credentials=None):
    """django-axes' AXES_FAILURE_LIMIT, read at each login."""
    return settings.LOGIN_FAILURE_LIMIT


def lockout_time(request=None):
    """django-axes' AXES_COOLOFF_TIME, read at each login."""
    return datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: 429, how long to wait, and who can help."""
    minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
    response = HttpResponse(
        f"Too many failed logins. Try again in {minutes} minutes, or ask an "
        "administrator to run `manage.py unlock_logins`.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
    return response


def unlock(username=None, ip=None):
    """Lift lockouts: one username from one address, one username anywhere, or all.

    Returns how many counts were removed.
    """
    from axes.utils import reset

    if username:
        return reset(username=normalise_username(username), ip=ip or None)
    return reset()

"""A request budget for anonymous clients (every client: the API has no accounts).

The rate is the `API_ANONYMOUS_RATE` setting ("120/minute"; None turns it off), read at
each request so it can change without a restart of the class. Over budget: 429 with
`Retry-After`. The counts live in the `counters` cache (Redis, shared by every process;
each process's memory while Redis is unreachable), never beside the kept pages. The
client is its address as `alliance.security.client_ip` reads it: X-Forwarded-For counts
only from a proxy in FORWARDED_ALLOW_IPS.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle

from alliance.security import client_ip


class AnonymousRateThrottle(AnonRateThrottle):
    def __init__(self):
        self.cache = caches["counters"]
        super().__init__()

    def get_rate(self):
        return getattr(settings, "API_ANONYMOUS_RATE", None)

    def get_ident(self, request):
        return client_ip(request)

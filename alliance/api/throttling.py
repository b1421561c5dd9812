"""A request budget for anonymous clients (every client: the API has no accounts).

The rate is the `API_ANONYMOUS_RATE` setting ("120/minute"; None turns it off), read at
each request so it can change without a restart of the class. Over budget: 429 with
`Retry-After`.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    def get_rate(self):
        return getattr(settings, "API_ANONYMOUS_RATE", None)

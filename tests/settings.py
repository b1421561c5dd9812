"""Settings for the test suite: the real settings, with a throwaway key and fast hashing."""

import os
import secrets

# Never the developer's `.env` (DEBUG=1 after `make run`), here or in the processes the
# tests start, which inherit this environment.
os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", f"test-{secrets.token_urlsafe(40)}")
# Production settings (DEBUG off) refuse to start without ALLOWED_HOSTS; the test
# servers speak plain HTTP, so no redirect to HTTPS.
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from alliance.settings import *  # noqa: F403

# Hashing with the real hasher makes every login in the suite slow, and proves nothing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The manifest needs collectstatic; tests that check hashed names run it themselves.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise indexes STATIC_ROOT at start-up and warns (an error here) when collectstatic has
# not run: serve from the app folders instead, as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Every API answer the suite produces is checked against the OpenAPI schema (openapi-core).
MIDDLEWARE = ["tests.contract.ResponseContractMiddleware", *MIDDLEWARE]  # noqa: F405

# Each test runs in a transaction that is rolled back, and so never announces a change:
# the last change is read at every request. tests/test_listening.py turns it on.
FRESHNESS_LISTEN = False

"""The environment of a production process, for tests that start one in a subprocess."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Set by tests/settings.py or for Playwright in the test process; never in production.
TEST_ONLY = {
    "DJANGO_SETTINGS_MODULE",
    "SECURE_SSL_REDIRECT",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(**overrides):
    """This process's environment as production would set it: DEBUG off, a strong key.

    Values in `overrides` replace it; a value of None removes the variable.
    """
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env.update(
        DJANGO_SETTINGS_MODULE="alliance.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="alliance.example.org",
        CSRF_TRUSTED_ORIGINS="https://alliance.example.org",
        REDIS_URL="redis://127.0.0.1:6379/7",
        PYTHONUNBUFFERED="1",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args, env, timeout=120):
    """Run manage.py in a fresh process; return the CompletedProcess (never raises)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )

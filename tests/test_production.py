"""Running in production: start-up refusals, the deployment checklist, /healthz, logs."""

import json
import logging
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance import ops
from tests.production_env import manage, production_env

HEALTHZ = "/healthz"


# Start-up ---------------------------------------------------------------------------


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        # Empty rather than unset, so that a developer's .env cannot fill it in.
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "password" * 7}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "correcthorse" * 5 + "x9"}, "SECRET_KEY is too weak"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS=* accepts any Host header"),
        ({"ALLOWED_HOSTS": "alliance.example.org,*"}, "ALLOWED_HOSTS=* accepts any Host header"),
    ],
    ids=[
        "missing-secret-key",
        "short-secret-key",
        "insecure-secret-key",
        "repeated-word-secret-key",
        "repeated-words-secret-key",
        "no-allowed-hosts",
        "any-host",
        "any-host-among-others",
    ],
)
def test_unsafe_production_settings_stop_start_up_with_a_clear_message(overrides, message):
    result = manage("check", env=production_env(**overrides))
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    "key",
    [secrets.token_urlsafe(50), secrets.token_hex(32), secrets.token_hex(25)],
    ids=["urlsafe", "hex-64", "hex-50"],
)
def test_random_secret_keys_are_accepted(key):
    result = manage("check", env=production_env(SECRET_KEY=key))
    assert result.returncode == 0, result.stderr


def test_debug_runs_without_a_secret_key_or_hosts():
    result = manage("check", env=production_env(DEBUG="1", SECRET_KEY="", ALLOWED_HOSTS=""))
    assert result.returncode == 0, result.stderr


def test_logs_go_to_standard_output():
    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('alliance.requests').info('hello from a worker')",
        env=production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert "hello from a worker" in result.stdout
    assert "hello from a worker" not in result.stderr


# /healthz ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_database_and_cache_ok(client):
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_touches_no_session_and_sets_no_cookie(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert not [query for query in queries if "session" in query["sql"].lower()]
    assert len(queries) == 1  # SELECT 1


@pytest.mark.django_db
def test_healthz_answers_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("public:home")).status_code == 301
    assert client.get(HEALTHZ).status_code == 200


@pytest.mark.django_db
def test_healthz_answers_a_load_balancer_using_an_address_as_host(client):
    # Load balancers often probe each server by its private address.
    response = client.get(HEALTHZ, headers={"host": "10.0.3.17:8000"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch, caplog):
    def down():
        raise ConnectionError("database is down")

    monkeypatch.setattr(ops, "check_database", down)
    with caplog.at_level(logging.ERROR, logger="alliance.health"):
        response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "error", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_answers_200_with_the_cache_degraded_when_only_the_cache_is_down(
    client, monkeypatch, caplog
):
    # The site serves without its cache: a balancer must not drain every server for it.
    def down():
        raise ConnectionError("cache is down")

    monkeypatch.setattr(ops, "check_cache", down)
    with caplog.at_level(logging.ERROR, logger="alliance.health"):
        response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "degraded"}


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post(HEALTHZ).status_code == 405


# Request log ------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_request_logs_one_line_with_method_path_status_and_duration(client, caplog):
    url = reverse("public:home")
    with caplog.at_level(logging.INFO, logger="alliance.requests"):
        client.get(url, {"q": "private search"})
        client.get("/no-such-page/")
    lines = [record.getMessage() for record in caplog.records if record.name == "alliance.requests"]
    assert len(lines) == 2
    assert lines[0].startswith(f"method=GET path={url} status=200 duration_ms=")
    assert "private search" not in lines[0]
    assert lines[1].startswith("method=GET path=/no-such-page/ status=404 duration_ms=")
    # Only that line: Django's own "Not Found" warning would be a second one.
    assert [record.name for record in caplog.records] == ["alliance.requests"] * 2
    float(lines[0].rsplit("duration_ms=", 1)[1])


# Headers and cookies ----------------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get(reverse("public:home"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("public:home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_https_is_recognised_behind_the_load_balancer(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(reverse("public:home"), headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(client, admin_user):
    login_url = reverse("admin:login")
    client.get(login_url, secure=True)
    response = client.post(
        login_url,
        {"username": admin_user.username, "password": "password", "next": "/admin/"},
        secure=True,
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


# gunicorn ---------------------------------------------------------------------------


def gunicorn(env, timeout=60):
    import subprocess
    import sys
    from pathlib import Path

    from tests.production_env import ROOT

    return subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "python:alliance.gunicorn",
            "--bind",
            "127.0.0.1:0",
            "alliance.wsgi",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_serve_refuses_several_workers_without_redis(tmp_path):
    env = production_env(REDIS_URL=None, WEB_CONCURRENCY="2", STATIC_ROOT=str(tmp_path))
    result = gunicorn(env)
    assert result.returncode != 0
    assert "2 workers without REDIS_URL" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("workers", "redis_url", "rate", "refused"),
    [
        (1, "", "120/minute", False),
        (2, "redis://cache:6379/0", "120/minute", False),
        (2, "", None, False),
        (3, "", "120/minute", True),
    ],
)
def test_only_shared_counts_let_several_workers_run(settings, workers, redis_url, rate, refused):
    from alliance.gunicorn import unshared_counts

    settings.REDIS_URL = redis_url
    settings.API_ANONYMOUS_RATE = rate
    assert bool(unshared_counts(workers)) is refused

"""The site keeps serving when Redis is down or hangs, and says 503 when the database is.

These run in the test process against a Redis address where nothing answers (a closed
port) or where something accepts and never answers (a hanging Redis), and against a
database whose every query fails. `tests/test_fault_processes.py` does the same with real
gunicorn, Redis and PostgreSQL processes, stopped under load.
"""

import logging
import socket
import threading
import time

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.usefixtures("record")


def fr(name, **kwargs):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HangingServer:
    """Accepts connections and never answers, like a Redis that is stuck."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()
        self.thread.join(timeout=5)


def use_redis(settings, port):
    counters = {
        "BACKEND": "alliance.caches.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"FALLBACK": "memory"},
    }
    settings.CACHES = {**settings.CACHES, "default": counters, "counters": counters}


@pytest.fixture
def redis_down(settings):
    use_redis(settings, closed_port())
    settings.API_ANONYMOUS_RATE = "100/minute"


@pytest.fixture
def redis_hanging(settings):
    server = HangingServer()
    use_redis(settings, server.port)
    settings.API_ANONYMOUS_RATE = "100/minute"
    yield server
    server.close()


READER_URLS = [
    lambda: fr("public:home"),
    lambda: fr("public:organisation-detail", slug="ibm"),
    lambda: reverse("api:organisation-list"),
    lambda: reverse("api:organisation-detail", kwargs={"slug": "ibm"}),
]


# Redis down ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", READER_URLS)
def test_pages_and_api_answer_while_redis_is_down(client, redis_down, url):
    assert client.get(url()).status_code == 200


def test_admin_login_works_while_redis_is_down(client, admin_user, redis_down):
    response = client.post(
        reverse("admin:login"),
        {"username": admin_user.username, "password": "password", "next": "/admin/"},
    )
    assert response.status_code == 302


def test_healthz_says_the_cache_is_degraded_but_answers_200(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "degraded"}


def test_the_api_budget_still_holds_per_process_while_redis_is_down(client, redis_down, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    url = reverse("api:organisation-detail", kwargs={"slug": "ibm"})
    statuses = [client.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_an_outage_is_logged_once_not_at_every_request(client, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="alliance.cache"):
        for _ in range(10):
            client.get(reverse("api:organisation-list"))
    lines = [record for record in caplog.records if record.name == "alliance.cache"]
    assert len(lines) == 1
    assert "unreachable" in lines[0].getMessage()


# Redis hanging ---------------------------------------------------------------------------


def test_a_hanging_redis_is_tried_once_with_a_short_timeout_then_left_alone(client, redis_hanging):
    started = time.monotonic()
    statuses = [client.get(url()).status_code for url in READER_URLS * 3]
    elapsed = time.monotonic() - started
    assert set(statuses) == {200}
    # One connection, whose first command timed out (0.25 s); the other requests did not
    # wait for Redis at all. Without timeouts the first request would never end.
    assert len(redis_hanging.accepted) == 1
    assert elapsed < 10


def test_healthz_answers_200_quickly_with_a_hanging_redis(client, redis_hanging):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "degraded"


# The database down -----------------------------------------------------------------------


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


@pytest.mark.parametrize(
    "url", [lambda: fr("public:organisation-detail", slug="meta"), lambda: fr("public:home")]
)
def test_a_page_not_kept_answers_503_with_retry_after_when_the_database_is_down(
    client, url, settings
):
    settings.PAGE_CACHE = True
    caches["pages"].clear()
    anonymous = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_every_query):
        response = anonymous.get(url())
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "base de données" in response.content.decode()  # French: the /fr/ pages


def test_the_api_answers_503_in_json_when_the_database_is_down(client, settings):
    settings.API_ANONYMOUS_RATE = None
    caches["pages"].clear()
    anonymous = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_every_query):
        response = anonymous.get(reverse("api:organisation-detail", kwargs={"slug": "meta"}))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()


@pytest.mark.parametrize("url", READER_URLS)
def test_a_kept_page_is_still_served_when_the_database_is_down(client, settings, url):
    settings.PAGE_CACHE = True
    settings.API_ANONYMOUS_RATE = None
    caches["pages"].clear()
    before = client.get(url())
    assert before.status_code == 200
    anonymous = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_every_query):
        response = anonymous.get(url())
    assert response.status_code == 200
    assert response.content == before.content


def test_healthz_answers_503_when_the_database_is_down(client):
    anonymous = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_every_query):
        response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_other_server_errors_still_answer_500(rf):
    from alliance import ops

    request = rf.get("/fr/")
    try:
        raise ValueError("a bug, not the database")
    except ValueError:
        response = ops.server_error(request)
    assert response.status_code == 500

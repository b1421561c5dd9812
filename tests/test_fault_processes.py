"""Faults under load, with real processes: a Redis and a PostgreSQL of the test's own.

The test starts redis-server and a PostgreSQL cluster (initdb, as the `postgres` user
when run as root) on free ports in a temporary folder, serves the record with gunicorn
(two workers, production settings) and sends requests from several threads while it:

1. makes Redis hang (SIGSTOP), then kills it: every answer is still a 200, and
   `/healthz` says the cache is degraded with a 200;
2. starts Redis again: `/healthz` says the cache is ok, without restarting gunicorn;
3. stops PostgreSQL: kept pages are still served, anything else answers 503 with
   `Retry-After`, never a 500;
4. starts PostgreSQL again: everything answers 200, without restarting gunicorn.

It skips, saying why, only where redis-server or PostgreSQL's server binaries are
missing (`apt-get install redis-server postgresql`); CI has them.
"""

import collections
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.production_env import ROOT, manage, production_env

pytestmark = pytest.mark.multiprocess

PG_BIN_DIRS = [
    Path("/usr/lib/postgresql/15/bin"),
    *sorted(Path("/usr/lib/postgresql").glob("*/bin")),
]
REQUEST_TIMEOUT = 10
# Pages and API answers readers ask for: kept by the page cache once served.
WARM = [
    "/fr/",
    "/en/",
    "/fr/organisations/ibm/",
    "/fr/coalitions/ai-alliance/",
    "/api/v1/organisations/",
]
# Asked for the first time while the database is down: nothing kept to serve.
COLD = ["/fr/people/dario-gil/", "/api/v1/people/dario-gil/"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin():
    for folder in PG_BIN_DIRS:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


def missing_binaries():
    missing = []
    if not shutil.which("redis-server"):
        missing.append("redis-server (apt-get install redis-server)")
    if postgres_bin() is None:
        missing.append("PostgreSQL's initdb and pg_ctl (apt-get install postgresql)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        missing.append("runuser, to run PostgreSQL as a user other than root")
    return missing


class Redis:
    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def hang(self):
        self.process.send_signal(signal.SIGSTOP)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.kill()


class Postgres:
    """A cluster of the test's own, run as `postgres` when the test runs as root."""

    def __init__(self, folder):
        self.bin = postgres_bin()
        self.port = free_port()
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(folder, "postgres")

    def run(self, *command):
        result = subprocess.run(
            [*self.as_user, *command], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def init(self):
        self.run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        self.run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log),
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode="fast"):
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database="alliance"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')


def wait_for_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def get(port, path):
    """(status, headers, body) of a GET as the load balancer forwards it."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Load:
    """Threads asking for `paths` in turn until stopped; every answer is recorded."""

    def __init__(self, port, paths, threads=4):
        self.port = port
        self.paths = paths
        self.answers = collections.defaultdict(list)  # path -> [(status, retry_after)]
        self.errors = []
        self.running = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(threads)]

    def run(self, offset):
        turn = offset
        deadline = time.monotonic() + 120  # bounded, whatever happens to the test
        while self.running.is_set() and time.monotonic() < deadline:
            path = self.paths[turn % len(self.paths)]
            turn += 1
            try:
                status, headers, _ = get(self.port, path)
            except Exception as error:  # a dropped connection is a failure to serve too
                self.errors.append(f"{path}: {error!r}")
                continue
            self.answers[path].append((status, headers.get("Retry-After")))

    def __enter__(self):
        self.running.set()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running.clear()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT * 2)

    def statuses(self, paths=None):
        return collections.Counter(
            status for path in (paths or self.answers) for status, _ in self.answers[path]
        )


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def health(port):
    import json

    status, _, body = get(port, "/healthz")
    return status, json.loads(body)


@pytest.fixture(scope="module")
def stack():
    missing = missing_binaries()
    if missing:
        message = f"the fault test needs {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI installs them (.ci/run)")
        pytest.skip(message)
    base = Path(tempfile.mkdtemp(prefix="alliance-faults-"))
    base.chmod(0o755)
    (base / "pg").mkdir()
    redis, postgres = Redis(base), Postgres(base / "pg")
    server, log = None, None
    try:
        redis.start()
        postgres.init()
        postgres.start()
        postgres.create_database("alliance")
        port = free_port()
        env = production_env(
            DATABASE_URL=postgres.url(),
            REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
            ALLOWED_HOSTS="127.0.0.1",
            BEHIND_PROXY="1",
            CONN_MAX_AGE="60",
            STATIC_ROOT=str(base / "static"),
            WEB_CONCURRENCY="2",
            API_ANONYMOUS_RATE="none",
            # A recycled worker starts with no kept pages: not during the test.
            GUNICORN_MAX_REQUESTS="0",
        )
        for command in (
            ["migrate", "--noinput"],
            ["collectstatic", "--noinput"],
            ["loaddata", "alliance"],
        ):
            result = manage(*command, env=env, timeout=300)
            assert result.returncode == 0, result.stdout + result.stderr
        log = (base / "gunicorn.log").open("w+")
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--config",
                "python:alliance.gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "alliance.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if not wait_until(lambda: health_ok(port), timeout=60):
            log.seek(0)
            raise AssertionError(f"gunicorn did not become healthy:\n{log.read()}")
        yield {"port": port, "redis": redis, "postgres": postgres, "log": log}
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        if log is not None:
            log.close()
        redis.stop()
        if postgres.data.exists():
            subprocess.run(
                [*postgres.as_user, str(postgres.bin / "pg_ctl"), "-D", str(postgres.data),
                 "-m", "immediate", "stop"],
                capture_output=True, timeout=60,
            )  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


def health_ok(port):
    try:
        return health(port)[0] == 200
    except (OSError, ValueError):
        return False


def test_redis_hanging_then_down_under_load_serves_every_page_then_recovers(stack):
    port, redis = stack["port"], stack["redis"]
    with Load(port, [*WARM, "/healthz"]) as load:
        time.sleep(1)
        redis.hang()
        time.sleep(3)
        assert health(port) == (200, {"database": "ok", "cache": "degraded"})
        redis.kill()
        time.sleep(3)
        assert health(port) == (200, {"database": "ok", "cache": "degraded"})
    assert not load.errors, load.errors[:5]
    statuses = load.statuses()
    assert set(statuses) == {200}, statuses
    assert statuses[200] > 50

    redis.start()
    # No restart: each process tries Redis again a few seconds after its last failure.
    assert wait_until(lambda: health(port) == (200, {"database": "ok", "cache": "ok"})), health(
        port
    )


def test_database_down_under_load_serves_kept_pages_or_503_then_recovers(stack):
    port, postgres = stack["port"], stack["postgres"]
    # Several threads at once, so both workers keep every page.
    with Load(port, WARM, threads=4):
        time.sleep(3)
    with Load(port, WARM) as load:
        time.sleep(1)
        postgres.stop(mode="immediate")
        time.sleep(3)
        status, report = health(port)
        assert (status, report["database"]) == (503, "error")
        # Never asked for before: nothing kept to serve.
        cold = [get(port, path) for path in COLD for _ in range(3)]
    assert not load.errors, load.errors[:5]
    statuses = load.statuses()
    assert set(statuses) <= {200, 503}, statuses
    for path in WARM:
        # Kept answers: served whichever worker takes the request.
        assert {status for status, _ in load.answers[path][-10:]} == {200}, path
    for status, headers, _ in cold:
        assert status == 503
        assert int(headers["Retry-After"]) > 0
    stack["log"].seek(0)
    log = stack["log"].read()
    for message in ("answered 503 since the last report", "kept answer(s) served"):
        lines = [line for line in log.splitlines() if message in line]
        # Each of the two workers says so at most once in 10 s, not at every request.
        assert 0 < len(lines) <= 2, (message, len(lines))

    postgres.start()
    # No restart: the next request reconnects.
    assert wait_until(lambda: health_ok(port)), health(port)
    for path in [*WARM, *COLD]:
        assert get(port, path)[0] == 200, path

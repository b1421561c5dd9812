"""The README's quick start, and the steps `make run` takes on an empty database."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = settings.BASE_DIR


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def empty_database(tmp_path):
    """A DATABASE_URL for a new, empty database: an SQLite file, or a new PostgreSQL database."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'quickstart.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"quickstart_{uuid.uuid4().hex[:12]}"
    admin_url = f"postgresql://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_migrate_and_load_on_an_empty_database(empty_database):
    env = {**os.environ, "DATABASE_URL": empty_database, "DEBUG": "1", "SECRET_KEY": "x" * 50}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    migrate = manage("migrate", "--noinput", env=env)
    assert migrate.returncode == 0, migrate.stderr
    load = manage("load_record", env=env)
    assert load.returncode == 0, load.stderr
    rows = len(json.loads((settings.BASE_DIR / "fixtures" / "alliance.json").read_text("utf-8")))
    assert f"Added {rows} rows" in load.stdout
    again = manage("load_record", env=env)
    assert again.returncode == 0, again.stderr
    assert f"Skipped {rows} rows already in the database" in again.stdout
    count = manage(
        "shell",
        "-c",
        "from alliance.models import Organisation; print(Organisation.objects.count())",
        env=env,
    )
    assert count.stdout.strip().splitlines()[-1] == "20"


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        cwd=BASE_DIR / "tests",  # away from a developer's .env
        env={**env, "DJANGO_SETTINGS_MODULE": "alliance.settings", "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# The README's quick start, as a newcomer runs it ------------------------------------------

# A fresh virtualenv, filled from the package cache: well under a minute on a quiet machine.
SET_UP_TIMEOUT = 600
# This machine's pip configuration names local package folders that do not all exist; pip
# says so for each package it looks up. That is the machine, not the project.
MACHINE_PIP_NOTICE = re.compile(r"^WARNING: Location '.*' is ignored: it is neither a file nor")
# Variables of this test run that a newcomer's shell does not have: the suite's settings,
# its database (the quick start makes its own SQLite file), and make's own (a make started
# by `make test` would otherwise print "Entering directory" lines).
NOT_A_NEWCOMERS = {
    "DJANGO_SETTINGS_MODULE",
    "ENV_FILE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "PORT",
    "HOST",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def newcomers_env():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in NOT_A_NEWCOMERS and not key.startswith(("MAKE", "MFLAGS", "PYTEST_"))
    }
    # runserver's lines reach the pipe as they are written, as they reach a terminal.
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Output:
    """The lines a process prints, gathered while the test goes on."""

    def __init__(self, stream):
        self.lines = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    @property
    def text(self):
        return "\n".join(self.lines)


def first_answer(url, process, deadline):
    """The first answer from `url`, asked until the server is up, or None if it never is."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with opener.open(url, timeout=10) as response:
                return response.status, response.geturl(), response.read().decode()
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    return None


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def fresh_clone(tmp_path):
    """A clone of this repository's last commit, as a newcomer gets it (no .venv, no .env)."""
    clone = tmp_path / "alliance"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(BASE_DIR), str(clone)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    yield clone
    shutil.rmtree(clone, ignore_errors=True)  # its virtualenv is a few hundred megabytes


@pytest.mark.slow
def test_make_run_in_a_fresh_clone_serves_on_the_chosen_port_quietly(fresh_clone):
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    with subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=fresh_clone,
        env=newcomers_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        output = Output(process.stdout)
        try:
            answer = first_answer(f"{site}/", process, time.monotonic() + SET_UP_TIMEOUT)
            assert answer, f"make run never answered on port {port}:\n{output.text}"
            status, final_url, page = answer
            assert status == 200
            assert final_url == f"{site}/fr/"
            assert "AI Alliance" in page

            # A second `make run` on the same port stops at once and names a free one.
            taken = subprocess.run(
                ["make", "run", f"PORT={port}"],
                cwd=fresh_clone,
                env=newcomers_env(),
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert taken.returncode != 0
            assert f"Port {port} is already in use" in taken.stderr
            suggested = re.search(r"make run PORT=(\d+)", taken.stderr)
            assert suggested, taken.stderr
            assert int(suggested.group(1)) != port
            assert not (fresh_clone / ".venv" / "bin" / "pytest").exists(), "test tools installed"
        finally:
            stop(process)
            output.thread.join(timeout=10)

    lines = output.lines
    text = output.text
    # The set-up ends with where to go and how to get an account.
    for address in (f"{site}/", f"{site}/api/docs/", f"{site}/admin/"):
        assert address in text
    assert "manage.py create_editor" in text
    assert f"Starting WSGI development server at {site}/" in text
    # Nothing to worry a newcomer: no warning from pip, setuptools, Django or Python.
    warnings = [
        line for line in lines if "warn" in line.lower() and not MACHINE_PIP_NOTICE.match(line)
    ]
    assert not warnings, text
    assert "Traceback" not in text
    assert sum("Watching for file changes" in line for line in lines) == 1, text
    # One line per request, the request log's: runserver's own does not repeat it.
    served = [line for line in lines if "GET" in line]
    assert len(served) == 2, text
    assert "method=GET path=/ status=302" in served[0]
    assert "method=GET path=/fr/ status=200" in served[1]

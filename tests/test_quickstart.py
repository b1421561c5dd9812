"""The steps `make run` takes, on an empty database of the kind the suite runs on."""

import os
import subprocess
import sys
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


def test_migrate_and_load_on_an_empty_database(empty_database):
    env = {**os.environ, "DATABASE_URL": empty_database, "DEBUG": "1", "SECRET_KEY": "x" * 50}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    migrate = manage("migrate", "--noinput", env=env)
    assert migrate.returncode == 0, migrate.stderr
    load = manage("load_record", env=env)
    assert load.returncode == 0, load.stderr
    assert "Added 92 rows" in load.stdout
    again = manage("load_record", env=env)
    assert again.returncode == 0, again.stderr
    assert "Skipped 92 rows already in the database" in again.stdout
    count = manage(
        "shell",
        "-c",
        "from alliance.models import Organisation; print(Organisation.objects.count())",
        env=env,
    )
    assert count.stdout.strip().splitlines()[-1] == "19"


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

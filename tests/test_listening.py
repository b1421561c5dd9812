"""A process reads the record's last change only after a change is announced (PostgreSQL)
or after SQLite's `data_version` moved.

These tests commit (a rolled-back test transaction never announces anything), so they turn
FRESHNESS_LISTEN on themselves; the rest of the suite reads the last change every request.
"""

import importlib
import json
import select
import threading

import pytest
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from alliance import freshness, listening
from alliance.models import Organisation, Position

MIGRATION = importlib.import_module("alliance.migrations.0011_record_changes_are_announced")

postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="LISTEN/NOTIFY is PostgreSQL's: run with DATABASE_URL=postgres://...",
)


def tables_the_last_change_reads():
    return sorted(
        table
        for model in freshness.content_models()
        for table in (model._meta.db_table, model.history.model._meta.db_table)
    )


def test_the_announcing_tables_are_the_ones_the_last_change_reads():
    assert sorted(MIGRATION.TABLES) == tables_the_last_change_reads()
    assert MIGRATION.CHANNEL == listening.CHANNEL


@postgresql_only
@pytest.mark.django_db
def test_every_table_the_last_change_reads_announces_its_changes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [MIGRATION.FUNCTION],
        )
        announcing = sorted(name for (name,) in cursor.fetchall())
    assert announcing == tables_the_last_change_reads()


@pytest.fixture
def listener(settings, record):
    settings.FRESHNESS_LISTEN = True
    settings.PAGE_CACHE = True
    settings.API_ANONYMOUS_RATE = None
    listening.listener.forget()
    listening.watch_writes(connection)
    yield listening.listener
    listening.listener.stop()
    listening.listener.forget()
    connection.execute_wrappers.remove(listening.note_writes)


def rename_ibm(name):
    ibm = Organisation.objects.get(slug="ibm")
    ibm.name = name
    ibm.save()


def elsewhere(change):
    """Run `change()` as another process would: on its own connection, unwatched, committed."""
    from django.db import connection as its_connection

    failures = []

    def run():
        try:
            its_connection.ensure_connection()
            its_connection.execute_wrappers.remove(listening.note_writes)
            change()
        except Exception as failure:
            failures.append(failure)
        finally:
            if its_connection.vendor == "sqlite" and its_connection.connection is not None:
                # Django keeps an in-memory database's connection open: this one goes.
                its_connection.connection.close()
            its_connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def wait_for_the_notice(listener):
    """The notice reaches the listening socket a moment after the commit (alliance.listening)."""
    ready, _, _ = select.select([listener.connection.fileno()], [], [], 5)
    assert ready, "no notice within 5 seconds"


def french(name, **kwargs):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


def ibm_page():
    return french("public:organisation-detail", slug="ibm")


def committing(test):
    """A test whose edits commit, so that they are announced: PostgreSQL only."""
    return postgresql_only(pytest.mark.django_db(transaction=True)(test))


def assert_warm_without_a_query(client, addresses, django_assert_num_queries):
    """Each address answered once, then again without a single query."""
    for address in addresses:
        assert client.get(address).status_code == 200
    for address in addresses:
        with django_assert_num_queries(0):
            assert client.get(address).status_code == 200


@committing
def test_a_warm_request_runs_no_query_when_nothing_changed(
    client, listener, django_assert_num_queries
):
    addresses = [
        french("public:home"),
        ibm_page(),
        reverse("api:organisation-list"),
        reverse("api:organisation-detail", kwargs={"slug": "ibm"}),
    ]
    assert_warm_without_a_query(client, addresses, django_assert_num_queries)


@committing
def test_an_edit_committed_elsewhere_shows_on_the_next_request(
    client, listener, django_assert_num_queries
):
    assert "Big Blue Renamed" not in client.get(ibm_page()).content.decode()

    elsewhere(lambda: rename_ibm("Big Blue Renamed"))
    wait_for_the_notice(listener)
    assert "Big Blue Renamed" in client.get(ibm_page()).content.decode()
    with django_assert_num_queries(0):
        client.get(ibm_page())


@committing
def test_a_raw_update_elsewhere_shows_on_the_next_request(client, listener):
    before = client.get(ibm_page())

    def rename():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE alliance_organisation SET name = %s, updated_at = %s WHERE slug = 'ibm'",
                ["IBM Renommée", timezone.now()],
            )

    elsewhere(rename)
    wait_for_the_notice(listener)
    after = client.get(ibm_page())
    assert after["ETag"] != before["ETag"]
    assert "IBM Renommée" in after.content.decode()


@committing
def test_a_deletion_elsewhere_shows_on_the_next_request(client, listener):
    url = reverse("api:position-list")
    count = client.get(url).json()["count"]
    elsewhere(lambda: Position.objects.public().first().delete())
    wait_for_the_notice(listener)
    assert client.get(url).json()["count"] == count - 1


@committing
def test_a_fixture_loaded_elsewhere_shows_on_the_next_request(client, listener, tmp_path):
    client.get(ibm_page())
    [row] = json.loads(serializers.serialize("json", Organisation.objects.filter(slug="ibm")))
    row["fields"].update(name="IBM chargée", updated_at=timezone.now().isoformat())
    fixture = tmp_path / "ibm.json"
    fixture.write_text(json.dumps([row]))
    elsewhere(lambda: call_command("loaddata", str(fixture), verbosity=0))
    wait_for_the_notice(listener)
    assert "IBM chargée" in client.get(ibm_page()).content.decode()


@committing
def test_an_edit_of_this_process_counts_as_a_change_when_it_commits(client, listener):
    client.get(ibm_page())
    changes = listener.changes
    ibm = Organisation.objects.get(slug="ibm")
    ibm.name = "IBM ici"
    ibm.save()
    # Counted here, before the notice comes back: the editor's next page is fresh.
    assert listener.changes > changes
    assert "IBM ici" in client.get(ibm_page()).content.decode()


def terminate_the_listening_session():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'alliance-freshness' AND datname = current_database()"
        )
        assert cursor.fetchall() == [(True,)]


@committing
def test_a_lost_listening_connection_falls_back_to_reading_every_request(
    client, listener, django_assert_num_queries
):
    client.get(ibm_page())
    terminate_the_listening_session()
    wait_for_the_notice(listener)  # here, the session's farewell

    elsewhere(lambda: rename_ibm("IBM sans écoute"))
    assert "IBM sans écoute" in client.get(ibm_page()).content.decode()
    assert listener.connection is None
    # Read each time, and no new connection tried before RETRY_SECONDS.
    with django_assert_num_queries(1):
        client.get(ibm_page())
    assert listener.connection is None
    listener.retry_at = 0
    client.get(ibm_page())
    assert listener.connection is not None
    with django_assert_num_queries(0):
        client.get(ibm_page())


@committing
def test_someone_signed_in_reads_the_last_change_before_its_notice_comes(
    client, admin_client, listener
):
    client.get(ibm_page())
    listener.connection.execute("UNLISTEN *")  # as if the notice were still on its way

    elsewhere(lambda: rename_ibm("IBM vu par son éditeur"))
    assert "IBM vu par son éditeur" in admin_client.get(ibm_page()).content.decode()
    # The window that remains: a reader's request that comes before the notice.
    assert "IBM vu par son éditeur" not in client.get(ibm_page()).content.decode()


# SQLite: PRAGMA data_version ------------------------------------------------------------

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="PRAGMA data_version is SQLite's",
)


def committing_on_sqlite(test):
    return sqlite_only(pytest.mark.django_db(transaction=True)(test))


@pytest.fixture
def data_versions(settings, record):
    settings.FRESHNESS_LISTEN = True
    settings.PAGE_CACHE = True
    settings.API_ANONYMOUS_RATE = None
    listening.watch_writes(connection)
    yield listening.data_versions
    connection.execute_wrappers.remove(listening.note_writes)
    vars(connection).pop("alliance_last_change", None)


@committing_on_sqlite
def test_on_sqlite_a_warm_request_runs_no_query_when_nothing_changed(
    client, data_versions, django_assert_num_queries
):
    addresses = [french("public:home"), ibm_page(), reverse("api:organisation-list")]
    assert_warm_without_a_query(client, addresses, django_assert_num_queries)


@committing_on_sqlite
def test_on_sqlite_an_edit_committed_on_another_connection_shows_on_the_next_request(
    client, data_versions
):
    assert "Big Blue Renamed" not in client.get(ibm_page()).content.decode()
    elsewhere(lambda: rename_ibm("Big Blue Renamed"))
    assert "Big Blue Renamed" in client.get(ibm_page()).content.decode()


@committing_on_sqlite
def test_on_sqlite_an_edit_committed_by_this_process_shows_on_the_next_request(
    client, data_versions
):
    assert "Big Blue Again" not in client.get(ibm_page()).content.decode()
    rename_ibm("Big Blue Again")
    assert "Big Blue Again" in client.get(ibm_page()).content.decode()

"""`manage.py load_record`: the fixture loads into an empty database or adds only what is
missing, never overwriting an editor's work, and its rows' history names the load."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from alliance.admin.history import LOADED, tracked_models
from alliance.models import Membership, Organisation, Person

# Each test starts from an empty record: the load is what is under test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_record")]

FIXTURE_ROWS = len(
    json.loads((settings.BASE_DIR / "fixtures" / "alliance.json").read_text("utf-8"))
)


def load(*args):
    out = io.StringIO()
    call_command("load_record", *args, stdout=out)
    return out.getvalue()


def content_rows():
    return sum(model._default_manager.count() for model in tracked_models())


def test_loading_into_an_empty_database_adds_every_row_with_history_credited_to_the_load():
    report = load()

    assert content_rows() == FIXTURE_ROWS
    assert f"Added {FIXTURE_ROWS} rows" in report
    for model in tracked_models():
        history = model.history.all()
        assert history.count() == model._default_manager.count(), model
        assert set(history.values_list("history_type", "history_change_reason")) <= {("+", LOADED)}
        assert not history.exclude(history_user=None).exists()


def test_loading_twice_adds_nothing_and_says_what_it_skipped():
    load()
    history = sum(model.history.count() for model in tracked_models())

    report = load()

    assert report.startswith("Added 0 rows")
    assert f"Skipped {FIXTURE_ROWS} rows already in the database" in report
    assert sum(model.history.count() for model in tracked_models()) == history


def test_an_edited_row_is_never_overwritten(django_user_model):
    editor = django_user_model.objects.create_user("ada")
    load()
    ibm = Organisation.objects.get(slug="ibm")
    ibm.name, ibm._history_user = "IBM Corporation", editor
    ibm.save()
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    oracle.status, oracle.correction = "corrected", "A founder after all."
    oracle.correction_source = "https://example.org/oracle"
    oracle.correction_source_title = "Oracle"
    oracle.save()

    load()

    ibm.refresh_from_db()
    oracle.refresh_from_db()
    assert (ibm.name, ibm.version) == ("IBM Corporation", 2)
    assert (oracle.status, oracle.version) == ("corrected", 2)
    assert ibm.history.latest("history_date").history_user == editor


def test_a_row_an_editor_deleted_is_not_brought_back():
    load()
    Person.objects.create(name="Temporary", slug="temporary")  # history: "+"
    membership = Membership.objects.get(slug="oracle-ai-alliance")
    membership.delete()

    report = load()

    assert not Membership.objects.filter(slug="oracle-ai-alliance").exists()
    assert "Skipped 1 rows that editors deleted (1 alliance.Membership)" in report


def test_only_the_missing_rows_are_added(tmp_path):
    load()
    fixture = tmp_path / "more.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "alliance.organisation",
                    "fields": {"slug": "ibm", "name": "Renamed", "kind": "company"},
                },
                {
                    "model": "alliance.organisation",
                    "fields": {"slug": "hugging-face", "name": "Hugging Face", "kind": "company"},
                },
            ]
        )
    )

    report = load(str(fixture))

    assert "Added 1 rows" in report
    assert Organisation.objects.get(slug="ibm").name == "IBM"
    added = Organisation.objects.get(slug="hugging-face")
    assert added.history.get().history_change_reason == LOADED


def test_a_broken_fixture_is_refused_and_nothing_is_written(tmp_path):
    fixture = tmp_path / "broken.json"
    fixture.write_text(
        json.dumps(
            [
                {"model": "alliance.person", "fields": {"slug": "someone", "name": "Someone"}},
                {"model": "alliance.role", "fields": {"slug": "x", "person": ["nobody"]}},
            ]
        )
    )
    with pytest.raises(CommandError, match=r"could not be loaded.*Nothing was written"):
        load(str(fixture))
    assert not Person.objects.exists()

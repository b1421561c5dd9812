"""Deleted records are listed and restored with their citation; the Activity page lists
every change by everyone; dates are typed as YYYY-MM-DD in both languages."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from alliance.admin.history import RESTORED
from alliance.models import Citation, Membership, Organisation, Person, Role
from tests.admin.helpers import change_form_data, errors_of

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:alliance_{obj._meta.model_name}_change", args=[obj.pk])


def delete(client, obj, reason="", **extra):
    url = reverse(f"admin:alliance_{obj._meta.model_name}_delete", args=[obj.pk])
    return client.post(url, {"post": "yes", "reason": reason, **extra})


def deleted_rows(client, **params):
    return client.get(reverse("admin:alliance_deleted"), params).context["rows"]


# Deleting asks why; the deleted list says who, when and why ----------------------------


def test_deleting_a_fact_without_a_reason_is_refused(record, editor_client):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    response = delete(editor_client, oracle)
    assert response.status_code == 302
    assert Membership.objects.filter(pk=oracle.pk).exists()
    page = editor_client.get(response["Location"])
    assert "Dites pourquoi vous le supprimez" in page.content.decode()
    assert 'name="reason"' in page.content.decode()


def test_a_deleted_fact_is_listed_with_who_when_and_why(record, editor_client):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    assert delete(editor_client, oracle, "Duplicate of a later report.").status_code == 302

    [row] = deleted_rows(editor_client)
    assert row["record"].history_user.username == "ada"
    assert row["record"].history_change_reason == "Duplicate of a later report."
    assert row["text"] == "Oracle — AI Alliance (contributeur clé)"
    assert row["can_restore"]


def test_restoring_brings_the_fact_back_with_its_citation_and_history(record, editor_client):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    before = {f.attname: getattr(oracle, f.attname) for f in Membership._meta.concrete_fields}
    delete(editor_client, oracle, "By mistake.")
    [row] = deleted_rows(editor_client)

    response = editor_client.post(row["restore_url"])

    assert response.status_code == 302
    assert response["Location"] == change_url(oracle)
    restored = Membership.objects.get(pk=oracle.pk)
    after = {f.attname: getattr(restored, f.attname) for f in Membership._meta.concrete_fields}
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    latest = restored.history.latest("history_date")
    assert (latest.history_type, latest.history_change_reason) == ("+", RESTORED)
    assert latest.history_user.username == "ada"
    assert deleted_rows(editor_client) == []


def test_a_fact_whose_citation_was_deleted_too_comes_back_with_it(record, editor_client):
    role = Role.objects.get(slug__startswith="sriram")
    citation = role.citation
    other_facts = [
        fact
        for related in ("memberships", "roles", "positions", "aisystems", "declared_counts")
        for fact in getattr(citation, related).exclude(pk=role.pk)
    ]
    assert not other_facts  # only this role cites it
    delete(editor_client, role, "Wrong title.")
    assert delete(editor_client, citation).status_code == 302
    assert not Citation.objects.filter(pk=citation.pk).exists()

    [row] = [r for r in deleted_rows(editor_client) if r["entry"].model is Role]
    editor_client.post(row["restore_url"])

    assert Role.objects.get(pk=role.pk).citation == Citation.objects.get(pk=citation.pk)


def test_restoring_a_fact_whose_organisation_is_gone_is_refused_naming_it(record, editor_client):
    newcomer = Organisation.objects.create(name="Newcomer", slug="newcomer", kind="company")
    person = Person.objects.get(slug="yann-lecun")
    role = Role.objects.create(
        person=person,
        organisation=newcomer,
        title="adviser",
        citation=Role.objects.get(person=person).citation,
    )
    delete(editor_client, role, "Not in the source.")
    delete(editor_client, newcomer)
    [row] = [r for r in deleted_rows(editor_client) if r["entry"].model is Role]

    response = editor_client.post(row["restore_url"], follow=True)

    [message] = [str(m) for m in response.context["messages"]]
    assert "ne peut pas être restauré" in message
    assert "Newcomer" in message
    assert not Role.objects.filter(pk=role.pk).exists()


def test_restore_needs_the_add_permission(record, client, staff, editor):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    client.force_login(editor)
    delete(client, oracle, "Test.")
    [row] = deleted_rows(client)
    client.force_login(staff)
    assert client.post(row["restore_url"]).status_code == 403
    assert client.get(reverse("admin:alliance_deleted")).status_code == 403
    assert not Membership.objects.filter(pk=oracle.pk).exists()


def test_bulk_deleting_facts_asks_why_and_keeps_the_reason(record, editor_client):
    roles = list(Role.objects.filter(person__slug="dario-gil"))
    url = reverse("admin:alliance_role_changelist")
    data = {"action": "delete_selected", "_selected_action": [r.pk for r in roles], "post": "yes"}
    editor_client.post(url, data)
    assert Role.objects.filter(person__slug="dario-gil").count() == 2

    editor_client.post(url, {**data, "reason": "Outdated titles."})

    assert not Role.objects.filter(person__slug="dario-gil").exists()
    reasons = {row["record"].history_change_reason for row in deleted_rows(editor_client)}
    assert reasons == {"Outdated titles."}


def test_a_deleted_coalition_is_listed_and_restored(record, editor_client):
    coalition = Organisation.objects.create(
        name="Short-lived", slug="short-lived", kind="coalition"
    )
    url = reverse("admin:alliance_coalition_delete", args=[coalition.pk])
    editor_client.post(url, {"post": "yes", "reason": "Created by mistake."})
    [row] = deleted_rows(editor_client)
    assert row["text"] == "Short-lived"
    editor_client.post(row["restore_url"])
    assert Organisation.objects.get(slug="short-lived").kind == "coalition"


# Activity --------------------------------------------------------------------------


def activity(client, **params):
    response = client.get(reverse("admin:alliance_activity"), params)
    assert response.status_code == 200
    return [
        (row["action"], row["record"].history_user, row["text"]) for row in response.context["rows"]
    ]


def test_activity_lists_every_change_newest_first_with_its_action(
    record, client, editor, second_editor
):
    call_command("load_record", verbosity=0)  # nothing new: the record is there
    client.force_login(editor)
    person = Person.objects.get(slug="yann-lecun")
    data = change_form_data(client.get(change_url(person)))
    data["name"] = "Yann Le Cun"
    client.post(change_url(person), data)
    client.force_login(second_editor)
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    delete(client, oracle, "Duplicate.")
    [row] = deleted_rows(client)
    client.post(row["restore_url"])

    rows = activity(client)

    assert [(action, user and user.username) for action, user, _ in rows[:4]] == [
        ("restored", "grace"),
        ("deleted", "grace"),
        ("changed", "ada"),
        ("added", None),  # the baseline kept before the first edit of a loaded row
    ]
    assert activity(client, editor=editor.pk) == [("changed", editor, "Yann Le Cun")]
    assert [a for a, _, _ in activity(client, action="deleted")] == ["deleted"]
    assert [t for _, _, t in activity(client, model="alliance.person")] == [
        "Yann Le Cun",
        "Yann LeCun",
    ]


def test_activity_links_each_entry_to_its_history_and_public_page(record, editor_client):
    person = Person.objects.get(slug="yann-lecun")
    data = change_form_data(editor_client.get(change_url(person)))
    data["name"] = "Yann Le Cun"
    editor_client.post(change_url(person), data)

    row = editor_client.get(reverse("admin:alliance_activity")).context["rows"][0]

    assert row["history_url"] == reverse("admin:alliance_person_history", args=[person.pk])
    assert row["public_url"] == person.get_absolute_url()


def test_activity_filters_loaded_and_imported_rows(no_record, editor_client):
    call_command("load_record", verbosity=0)
    loaded = activity(editor_client, action="loaded")
    assert len(loaded) == 50  # one page
    assert {user for _, user, _ in loaded} == {None}
    response = editor_client.get(reverse("admin:alliance_activity"), {"action": "loaded"})
    assert response.context["page"].paginator.count == len(
        json.loads((settings.BASE_DIR / "fixtures" / "alliance.json").read_text("utf-8"))
    )


def test_activity_runs_a_fixed_number_of_queries(db, editor_client, django_assert_max_num_queries):
    call_command("load_record", verbosity=0)
    with django_assert_max_num_queries(40):
        editor_client.get(reverse("admin:alliance_activity"))


def test_activity_refuses_accounts_without_content_permissions(record, client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:alliance_activity")).status_code == 403


# Dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_date_not_in_iso_form_is_refused_naming_the_format_in_both_languages(
    record, editor_client, language
):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    data = change_form_data(editor_client.get(change_url(oracle)))
    data["started_on"] = "06/02/2024"
    response = editor_client.post(change_url(oracle), data, headers={"accept-language": language})
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["started_on"]
    expected = {"fr": "AAAA-MM-JJ", "en": "YYYY-MM-DD"}[language]
    assert expected in message
    oracle.refresh_from_db()
    assert oracle.started_on == datetime.date(2023, 12, 1)  # as it was


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "6 décembre 2023"), ("en", "6 December 2023")]
)
def test_an_iso_date_is_saved_and_shown_in_words_beside_the_field(
    record, editor_client, language, words
):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    data = change_form_data(editor_client.get(change_url(oracle)))
    data["started_on"] = "2023-12-06"
    headers = {"accept-language": language}
    response = editor_client.post(change_url(oracle), data, headers=headers)
    assert response.status_code == 302, errors_of(response)
    oracle.refresh_from_db()
    assert str(oracle.started_on) == "2023-12-06"

    page = editor_client.get(change_url(oracle), headers=headers).content.decode()
    assert 'value="2023-12-06"' in page
    assert f'aria-live="polite">{words}</span>' in page
    assert "vDateField" not in page  # no calendar, no "you are N hours behind" note
    assert "alliance/admin-dates.js" in page


def test_the_site_time_zone_is_said_once_on_a_page_that_shows_times(record, editor_client):
    person = Person.objects.get(slug="yann-lecun")
    with translation.override("fr"):
        page = editor_client.get(change_url(person)).content.decode()
    assert page.count("fuseau horaire") == 1
    assert "fuseau horaire du site, Europe/Paris." in page


def test_a_deletion_in_recent_actions_links_to_the_deleted_list(record, editor_client):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    delete(editor_client, oracle, "Duplicate.")
    page = editor_client.get(reverse("admin:index")).content.decode()
    deleted_url = reverse("admin:alliance_deleted")
    assert f'<a href="{deleted_url}">Oracle — AI Alliance (contributeur clé)</a>' in page
    assert reverse("admin:alliance_activity") in page

"""Editors' work survives every path: shared new citations, coalition history, conflicts
checked row by row, and saves that change nothing."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse

from alliance.models import Article, Citation, Coalition, Membership, Organisation, Person
from tests.admin.helpers import change_form_data, errors_of

pytestmark = pytest.mark.django_db

NEW_PASSAGE = "d’autres organisations se joignent à l’avenir"


def change_url(obj):
    return reverse(f"admin:alliance_{obj._meta.model_name}_change", args=[obj.pk])


def add_rows(data, *rows):
    """Add new membership rows (member, role, passage) to a coalition page's data."""
    index = int(data["memberships-TOTAL_FORMS"])
    article = str(Article.objects.get().pk)
    for offset, (member, role, passage) in enumerate(rows):
        prefix = f"memberships-{index + offset}"
        data.update(
            {
                f"{prefix}-member": str(member.pk),
                f"{prefix}-role": role,
                f"{prefix}-article": article,
                f"{prefix}-passage": passage,
            }
        )
    data["memberships-TOTAL_FORMS"] = str(index + len(rows))
    return data


def new_organisation(name):
    return Organisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), kind="company"
    )


def test_two_new_members_citing_one_new_passage_share_one_new_citation(record, editor_client):
    alliance = Coalition.objects.get(slug="ai-alliance")
    hugging, stability = new_organisation("Hugging Face"), new_organisation("Stability AI")
    data = change_form_data(editor_client.get(change_url(alliance)))
    add_rows(data, (hugging, "member", NEW_PASSAGE), (stability, "member", NEW_PASSAGE))
    citations = Citation.objects.count()

    response = editor_client.post(change_url(alliance), data)

    assert response.status_code == 302, errors_of(response)
    assert Citation.objects.count() == citations + 1
    joined = Membership.objects.filter(coalition=alliance, member__in=[hugging, stability])
    assert joined.count() == 2
    assert {membership.citation.passage for membership in joined} == {NEW_PASSAGE}


# Coalitions keep their organisation's history ----------------------------------------


def test_a_coalition_edit_is_in_its_history_with_the_editor_and_can_be_reverted(
    record, editor_client
):
    alliance = Coalition.objects.get(slug="ai-alliance")
    data = change_form_data(editor_client.get(change_url(alliance)))
    data["declared_member_count"] = "80"
    assert editor_client.post(change_url(alliance), data).status_code == 302

    history_url = reverse("admin:alliance_coalition_history", args=[alliance.pk])
    page = editor_client.get(history_url)
    assert page.status_code == 200
    newest, baseline = page.context["page_obj"].object_list
    assert newest.history_user.username == "ada"
    assert [(c["old"], c["new"]) for c in newest.history_delta_changes] == [("50", "80")]
    assert baseline.history_user is None  # the state as loaded is nobody's edit

    revert_url = reverse(
        "admin:alliance_coalition_simple_history", args=[alliance.pk, baseline.history_id]
    )
    data = change_form_data(editor_client.get(revert_url))
    assert editor_client.post(revert_url, data).status_code == 302
    alliance.refresh_from_db()
    assert alliance.declared_member_count == 50
    assert alliance.history.count() == 3


def test_the_coalition_history_page_answers_for_every_coalition(record, editor_client):
    for coalition in Coalition.objects.all():
        url = reverse("admin:alliance_coalition_history", args=[coalition.pk])
        assert editor_client.get(url).status_code == 200


# Two editors, one coalition ---------------------------------------------------------


def test_two_editors_adding_different_members_to_one_coalition_both_succeed(
    record, client, editor, second_editor
):
    alliance = Coalition.objects.get(slug="ai-alliance")
    hugging, stability = new_organisation("Hugging Face"), new_organisation("Stability AI")
    client.force_login(editor)
    first = add_rows(
        change_form_data(client.get(change_url(alliance))), (hugging, "member", NEW_PASSAGE)
    )
    client.force_login(second_editor)
    second = add_rows(
        change_form_data(client.get(change_url(alliance))), (stability, "member", NEW_PASSAGE)
    )

    client.force_login(editor)
    assert client.post(change_url(alliance), first).status_code == 302
    client.force_login(second_editor)
    response = client.post(change_url(alliance), second)

    assert response.status_code == 302, errors_of(response)
    assert set(
        Membership.objects.filter(coalition=alliance).values_list("member__slug", flat=True)
    ) >= {"hugging-face", "stability-ai"}


def test_a_save_that_changes_nothing_writes_no_history_and_keeps_the_version(record, editor_client):
    alliance = Coalition.objects.get(slug="ai-alliance")
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    data = change_form_data(editor_client.get(change_url(alliance)))
    assert editor_client.post(change_url(alliance), data).status_code == 302
    data = change_form_data(editor_client.get(change_url(oracle)))
    assert editor_client.post(change_url(oracle), data).status_code == 302

    alliance.refresh_from_db()
    oracle.refresh_from_db()
    assert (alliance.version, oracle.version) == (1, 1)
    assert not alliance.history.exists()
    assert not oracle.history.exists()


def test_a_refused_editor_keeps_their_input_sees_what_changed_and_can_save_again(
    record, client, editor, second_editor
):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    client.force_login(editor)
    first = change_form_data(client.get(change_url(oracle)))
    client.force_login(second_editor)
    second = change_form_data(client.get(change_url(oracle)))

    client.force_login(editor)
    first["started_on"] = "2023-12-05"
    assert client.post(change_url(oracle), first).status_code == 302

    client.force_login(second_editor)
    second["correction"] = "Oracle only observes, says a later report."
    second["status"] = "disputed"
    refused = client.post(change_url(oracle), second)

    assert refused.status_code == 200
    [message] = errors_of(refused)
    assert "ada" in message
    assert "2023-12-05" in message  # what the other editor changed
    form = refused.context["adminform"].form
    assert form["correction"].value() == "Oracle only observes, says a later report."
    assert form["opened_version"].value() == "2"

    again = client.post(change_url(oracle), change_form_data(refused))

    assert again.status_code == 302, errors_of(again)
    oracle.refresh_from_db()
    assert (oracle.status, str(oracle.started_on), oracle.version) == ("disputed", "2023-12-05", 3)


@pytest.mark.django_db(transaction=True)
def test_a_save_refused_by_a_busy_sqlite_database_says_so_and_writes_nothing(record, editor_client):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the whole database")
    person = Person.objects.get(slug="yann-lecun")
    data = change_form_data(editor_client.get(change_url(person)))
    data["name"] = "Yann Le Cun"
    holding, release = threading.Event(), threading.Event()

    def other_editor_saving():
        # Another connection to the same database, in the middle of a write.
        with transaction.atomic():
            Person.objects.filter(slug="dario-gil").update(name="Darío Gil (saving)")
            holding.set()
            release.wait(10)
        # Django keeps in-memory SQLite connections open; this thread's must close.
        BaseDatabaseWrapper.close(connections["default"])

    other = threading.Thread(target=other_editor_saving)
    other.start()
    try:
        assert holding.wait(10)
        response = editor_client.post(change_url(person), data)
    finally:
        release.set()
        other.join()

    assert response.status_code == 302
    page = editor_client.get(response["Location"])
    [message] = [str(m) for m in page.context["messages"]]
    assert message.startswith("Un autre enregistrement occupait la base")
    person.refresh_from_db()
    assert (person.name, person.version) == ("Yann LeCun", 1)
    assert not person.history.exists()

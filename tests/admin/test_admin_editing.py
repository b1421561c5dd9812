"""Editing through the admin: search, facts with their citations, conflicts, history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.models import (
    Article,
    Citation,
    Coalition,
    Membership,
    MembershipRole,
    Organisation,
    Paragraph,
    Person,
    Role,
)
from tests.admin.helpers import NBSP, change_form_data, errors_of, not_found, quoted

pytestmark = pytest.mark.django_db

WRONG_PASSAGE = "Google a rejoint l’AI Alliance"
GOOGLE_PASSAGE = "le Frontier Model Forum, composé de Meta, Microsoft, Google et Anthropic"
#: The empty "further sources" inline of a fact's add page, as the browser posts it.
NO_FURTHER_SOURCES = {
    "alliance-source-content_type-object_id-TOTAL_FORMS": "0",
    "alliance-source-content_type-object_id-INITIAL_FORMS": "0",
}


def change_url(obj):
    return reverse(f"admin:alliance_{obj._meta.model_name}_change", args=[obj.pk])


def changelist(model_name):
    return reverse(f"admin:alliance_{model_name}_changelist")


# Search ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["dario", "Darío", "DARIO gil"])
def test_person_search_finds_dario_gil_with_or_without_accents(record, editor_client, query):
    response = editor_client.get(changelist("person"), {"q": query})
    assert [person.name for person in response.context["cl"].result_list] == ["Darío Gil"]


def test_organisation_search_finds_by_alias_free_words_without_accents(record, editor_client):
    response = editor_client.get(changelist("organisation"), {"q": "universite cornell"})
    assert [org.slug for org in response.context["cl"].result_list] == ["cornell"]


def test_role_search_finds_titles_through_the_person(record, editor_client):
    response = editor_client.get(changelist("role"), {"q": "dario"})
    assert {role.person.name for role in response.context["cl"].result_list} == {"Darío Gil"}
    assert len(response.context["cl"].result_list) == 2


def test_autocomplete_search_is_accent_insensitive_too(record, editor_client):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "universite",
            "app_label": "alliance",
            "model_name": "membership",
            "field_name": "member",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Université de Cornell"]


# Facts with their citations ----------------------------------------------------


def add_member_data(response, member, passage, role=MembershipRole.MEMBER):
    data = change_form_data(response)
    index = int(data["memberships-INITIAL_FORMS"])
    data.update(
        {
            f"memberships-{index}-member": str(member.pk),
            f"memberships-{index}-role": role,
            f"memberships-{index}-article": str(Article.objects.get().pk),
            f"memberships-{index}-passage": passage,
        }
    )
    data["memberships-TOTAL_FORMS"] = str(index + 1)
    return data


def test_adding_a_member_with_its_citation_on_the_coalition_page(record, editor_client):
    forum = Coalition.objects.get(slug="frontier-model-forum")
    openai = Organisation.objects.get(slug="openai")
    page = editor_client.get(change_url(forum))
    passage = "OpenAI et ses homologues comme Anthropic et Cohere"

    response = editor_client.post(change_url(forum), add_member_data(page, openai, passage))

    assert response.status_code == 302, errors_of(response)
    membership = Membership.objects.get(member=openai, coalition=forum)
    assert membership.role == MembershipRole.MEMBER
    assert membership.citation.passage == passage
    assert membership.citation.paragraph.number == 3
    assert membership.slug == "openai-frontier-model-forum"
    assert membership.history.get().history_user.username == "ada"


def test_an_existing_citation_is_reused_not_duplicated(record, editor_client):
    forum = Coalition.objects.get(slug="frontier-model-forum")
    openai = Organisation.objects.get(slug="openai")
    page = editor_client.get(change_url(forum))
    citations = Citation.objects.count()

    editor_client.post(change_url(forum), add_member_data(page, openai, GOOGLE_PASSAGE[3:]))
    response = editor_client.post(
        reverse("admin:alliance_role_add"),
        {
            "person": Person.objects.get(slug="yann-lecun").pk,
            "organisation": Organisation.objects.get(slug="meta").pk,
            "title": "critique du lobbying",
            "article": Article.objects.get().pk,
            "passage": GOOGLE_PASSAGE[3:],
            "status": "as_reported",
            **NO_FURTHER_SOURCES,
        },
    )

    assert response.status_code == 302, errors_of(response)
    assert Citation.objects.count() == citations + 1
    assert Role.objects.get(title="critique du lobbying").citation == (
        Membership.objects.get(member__slug="openai").citation
    )


def test_a_wrong_passage_on_the_coalition_page_is_refused_and_nothing_is_saved(
    record, editor_client
):
    alliance = Coalition.objects.get(slug="ai-alliance")
    google = Organisation.objects.get(slug="google")
    page = editor_client.get(change_url(alliance))
    data = add_member_data(page, google, WRONG_PASSAGE)
    data["name"] = "AI Alliance (renamed)"
    counts = (Citation.objects.count(), Membership.objects.count())

    response = editor_client.post(change_url(alliance), data)

    assert response.status_code == 200
    [message] = [error for error in errors_of(response) if "mot pour mot" in error]
    assert message.endswith(not_found("rejoint"))
    assert WRONG_PASSAGE in response.content.decode()  # the editor's text is kept to fix
    assert (Citation.objects.count(), Membership.objects.count()) == counts
    assert Coalition.objects.get(pk=alliance.pk).name == "AI Alliance"


def test_a_wrong_passage_on_a_role_is_refused_with_the_missing_words(record, editor_client):
    response = editor_client.post(
        reverse("admin:alliance_role_add"),
        {
            "person": Person.objects.get(slug="yann-lecun").pk,
            "organisation": Organisation.objects.get(slug="meta").pk,
            "title": "directeur scientifique",
            "article": Article.objects.get().pk,
            "passage": "Yann LeCun, directeur scientifique de Meta",
            "status": "as_reported",
        },
    )
    assert response.status_code == 200
    title = (
        "Meta et IBM créent l’AI Alliance, regroupant plus de 50 entités pour stimuler "
        "l’innovation en IA ouverte"
    )
    assert response.context["adminform"].form.errors["passage"] == [
        f"Ce passage n’est pas mot pour mot dans {quoted(title)}. "
        + not_found("directeur scientifique de Meta")
    ]
    assert not Role.objects.filter(title="directeur scientifique").exists()


def test_marking_a_fact_disputed_keeps_the_claim_and_its_citation(record, editor_client):
    membership = Membership.objects.get(slug="oracle-ai-alliance")
    citation = membership.citation
    page = editor_client.get(change_url(membership))
    data = change_form_data(page)
    data.update(
        status="disputed",
        correction="Oracle says it only observes.",
        correction_source="https://example.org/oracle",
        correction_source_title="Oracle",
    )

    response = editor_client.post(change_url(membership), data)

    assert response.status_code == 302, errors_of(response)
    membership.refresh_from_db()
    assert membership.status == "disputed"
    assert membership.role == MembershipRole.KEY_CONTRIBUTOR
    assert membership.citation == citation


def test_a_dispute_without_a_note_is_refused(record, editor_client):
    membership = Membership.objects.get(slug="oracle-ai-alliance")
    data = change_form_data(editor_client.get(change_url(membership)))
    data["status"] = "disputed"
    response = editor_client.post(change_url(membership), data)
    assert response.status_code == 200
    assert any(
        "Un fait contesté ou corrigé demande une note" in error for error in errors_of(response)
    )


# Two editors, one record ---------------------------------------------------------


def test_the_second_of_two_editors_sees_a_conflict_and_the_first_edit_survives(
    record, client, editor, second_editor
):
    membership = Membership.objects.get(slug="oracle-ai-alliance")
    client.force_login(editor)
    first = change_form_data(client.get(change_url(membership)))
    client.force_login(second_editor)
    second = change_form_data(client.get(change_url(membership)))

    client.force_login(editor)
    first["started_on"] = "2023-12-05"
    assert client.post(change_url(membership), first).status_code == 302

    client.force_login(second_editor)
    second["role"] = MembershipRole.MEMBER
    response = client.post(change_url(membership), second)

    assert response.status_code == 200
    [message] = errors_of(response)
    assert message.startswith(
        f"Conflit de modification{NBSP}: ada a enregistré cette fiche (appartenance{NBSP}: "
    )
    assert (
        f"Vous aviez ouvert la version 1{NBSP}; elle en est maintenant à la version 2." in message
    )
    assert "Vos modifications n’ont PAS été enregistrées." in message
    membership.refresh_from_db()
    assert (membership.role, str(membership.started_on)) == ("key_contributor", "2023-12-05")
    assert membership.version == 2


def test_a_conflict_on_an_inline_row_refuses_the_whole_coalition_page(
    record, client, editor, second_editor
):
    alliance = Coalition.objects.get(slug="ai-alliance")
    client.force_login(second_editor)
    stale = change_form_data(client.get(change_url(alliance)))
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    oracle.role = MembershipRole.MEMBER
    oracle.save()  # the first editor's save, meanwhile

    index = next(
        key.split("-")[1]
        for key, value in stale.items()
        if key.endswith("-id") and value == str(oracle.pk)
    )
    stale[f"memberships-{index}-started_on"] = "2023-12-05"
    stale["description"] = "Changed by the second editor."
    response = client.post(change_url(alliance), stale)

    assert response.status_code == 200
    assert any(error.startswith("Conflit de modification") for error in errors_of(response))
    oracle.refresh_from_db()
    assert (oracle.role, oracle.started_on) == (MembershipRole.MEMBER, datetime.date(2023, 12, 1))
    assert Coalition.objects.get(pk=alliance.pk).description == ""


def test_untouched_inline_rows_do_not_conflict(record, client, editor):
    alliance = Coalition.objects.get(slug="ai-alliance")
    client.force_login(editor)
    data = change_form_data(client.get(change_url(alliance)))
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    oracle.save()
    data["description"] = "La coalition lancée par Meta et IBM."
    response = client.post(change_url(alliance), data)
    assert response.status_code == 302, errors_of(response)


# History, diff and revert ---------------------------------------------------------


def test_history_lists_who_changed_what_and_revert_restores_an_old_version(record, editor_client):
    person = Person.objects.get(slug="dario-gil")
    for name in ("Dario Gil", "Darío Gil Jr."):
        data = change_form_data(editor_client.get(change_url(person)))
        data["name"] = name
        assert editor_client.post(change_url(person), data).status_code == 302

    page = editor_client.get(reverse("admin:alliance_person_history", args=[person.pk]))
    newest, middle, loaded = page.context["page_obj"].object_list

    def changes(record):
        # Only the name changed: version and timestamps are left out of the diff.
        return [(c["old"], c["new"]) for c in record.history_delta_changes]

    assert changes(newest) == [("Dario Gil", "Darío Gil Jr.")]
    assert changes(middle) == [("Darío Gil", "Dario Gil")]
    assert (newest.history_user.username, loaded.history_change_reason) == ("ada", "as loaded")

    revert_url = reverse(
        "admin:alliance_person_simple_history", args=[person.pk, loaded.history_id]
    )
    data = change_form_data(editor_client.get(revert_url))
    assert data["name"] == "Darío Gil"
    assert data["opened_version"] == "3"
    response = editor_client.post(revert_url, data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.version) == ("Darío Gil", 4)
    assert person.history.count() == 4


def test_a_revert_opened_before_another_save_is_refused(record, editor_client):
    person = Person.objects.get(slug="yann-lecun")
    person.name = "Yann Le Cun"
    person.save()
    revert_url = reverse(
        "admin:alliance_person_simple_history",
        args=[person.pk, person.history.earliest("history_date").history_id],
    )
    data = change_form_data(editor_client.get(revert_url))
    person.name = "Y. LeCun"
    person.save()

    response = editor_client.post(revert_url, data)

    assert response.status_code == 200
    assert errors_of(response)[0].startswith("Conflit de modification")
    person.refresh_from_db()
    assert person.name == "Y. LeCun"


# Delete protection -----------------------------------------------------------------


def test_deleting_a_cited_organisation_is_refused_listing_what_cites_it(record, editor_client):
    ibm = Organisation.objects.get(slug="ibm")
    response = editor_client.get(reverse("admin:alliance_organisation_delete", args=[ibm.pk]))
    protected = " ".join(str(item) for item in response.context["protected"])
    assert "IBM — AI Alliance" in protected
    assert "Darío Gil, vice-président principal (IBM)" in protected
    assert "Watsonx" in protected

    response = editor_client.post(
        reverse("admin:alliance_organisation_delete", args=[ibm.pk]), {"post": "yes"}
    )
    assert response.status_code in {200, 403}
    assert Organisation.objects.filter(pk=ibm.pk).exists()


def test_bulk_deleting_cited_people_is_refused_listing_what_cites_them(record, editor_client):
    people = Person.objects.all()
    response = editor_client.post(
        changelist("person"),
        {
            "action": "delete_selected",
            "_selected_action": [person.pk for person in people],
            "post": "yes",
        },
    )
    protected = " ".join(str(item) for item in response.context["protected"])
    assert "Yann LeCun, responsable scientifique pour l’IA (Meta)" in protected
    assert Person.objects.count() == 3


def test_deleting_an_uncited_organisation_works(record, editor_client):
    newcomer = Organisation.objects.create(name="Newcomer", slug="newcomer", kind="company")
    response = editor_client.post(
        reverse("admin:alliance_organisation_delete", args=[newcomer.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(slug="newcomer").exists()


def test_every_change_page_links_to_the_public_page(record, editor_client):
    alliance = Coalition.objects.get(slug="ai-alliance")
    response = editor_client.get(change_url(alliance))
    assert response.context["has_absolute_url"]
    assert reverse("admin:view_on_site", args=[response.context["content_type_id"], alliance.pk])


# Coalitions, citations and paragraphs ---------------------------------------------------


def test_a_new_coalition_takes_its_declared_member_count(record, editor_client):
    citation = Citation.objects.get(passage__startswith="une coalition composée de plus de 50")
    response = editor_client.post(
        reverse("admin:alliance_coalition_add"),
        {
            "name": "Open Coalition",
            "slug": "open-coalition",
            "declared_member_count": "74",
            "declared_member_count_qualifier": "exactly",
            "declared_member_count_citation": citation.pk,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "identifiers-TOTAL_FORMS": "0",
            "identifiers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, errors_of(response)
    coalition = Coalition.objects.get(slug="open-coalition")
    assert (coalition.kind, coalition.declared_member_count) == ("coalition", 74)


def test_the_citation_page_refuses_a_passage_the_article_lacks(record, editor_client):
    citation = Citation.objects.get(passage__startswith="une coalition composée de plus de 50")
    data = change_form_data(editor_client.get(change_url(citation)))
    data["passage"] = "une coalition composée de plus de 74 entreprises"
    response = editor_client.post(change_url(citation), data)
    assert response.status_code == 200
    assert not_found("74") in " ".join(errors_of(response))
    citation.refresh_from_db()
    assert "50" in citation.passage


def test_editing_a_paragraph_cannot_drop_a_cited_passage(record, editor_client):
    article = Article.objects.get()
    data = change_form_data(editor_client.get(change_url(article)))
    index = next(
        key.split("-")[1] for key, value in data.items() if key.endswith("-number") and value == "7"
    )
    data[f"paragraphs-{index}-text"] = "Yann LeCun a parlé."
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    [message] = errors_of(response)
    assert message.startswith("Des faits citent ce paragraphe par des passages")
    assert f"«{NBSP}Yann LeCun, responsable scientifique de Meta" in message
    assert Paragraph.objects.get(article=article, number=7).text.startswith("Yann LeCun, resp")


def test_fixing_a_typo_elsewhere_in_a_paragraph_is_saved(record, editor_client):
    article = Article.objects.get()
    data = change_form_data(editor_client.get(change_url(article)))
    index = next(
        key.split("-")[1] for key, value in data.items() if key.endswith("-number") and value == "7"
    )
    data[f"paragraphs-{index}-text"] += " (Source : WSJ.)"
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, errors_of(response)
    assert Paragraph.objects.get(article=article, number=7).text.endswith("(Source : WSJ.)")


def test_fact_lists_show_the_cited_paragraph(record, editor_client):
    response = editor_client.get(changelist("role"), {"q": "lecun"})
    assert '<td class="field-cited_paragraph">¶7</td>' in response.content.decode()


def test_the_version_check_locks_the_row_until_the_save(record, editor_client):
    if not connection.features.has_select_for_update:
        pytest.skip("this database has no row locks (SQLite serialises writes instead)")
    membership = Membership.objects.get(slug="oracle-ai-alliance")
    data = change_form_data(editor_client.get(change_url(membership)))
    data["started_on"] = "2023-12-05"  # a save that changes nothing neither locks nor writes
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.post(change_url(membership), data).status_code == 302
    sql = [query["sql"] for query in queries]
    lock = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s and "alliance_membership" in s)
    update = next(i for i, s in enumerate(sql) if s.startswith('UPDATE "alliance_membership"'))
    assert lock < update

"""Adding an article from its text in the admin, citing it by selection, drafts."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.intake.reading import MAX_BYTES
from alliance.models import Article, Citation, Coalition, Membership, Organisation, Person
from tests.admin.helpers import change_form_data
from tests.intake.articles import ENGLISH, FRENCH

INTAKE = "admin:alliance_article_intake"


def intake(client, action="_review", **fields):
    data = {"text": "", "title": "", "published_on": "", "language": "", **fields, action: "1"}
    # Messages are checked as the English admin words them.
    return client.post(reverse(INTAKE), data, headers={"accept-language": "en"})


def saved_article(client, text=ENGLISH, **fields):
    response = intake(client, "_save", text=text, **fields)
    assert response.status_code == 302, response.context["form"].errors
    return Article.objects.get(pk=response.url.split("/")[-3])


def test_review_shows_numbered_paragraphs_with_mentions_and_saves_nothing(record, editor_client):
    articles = Article.objects.count()
    response = intake(editor_client, text=FRENCH)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="intake-p3"' in page
    assert (
        '<mark class="mention mention-person" title="Darío Gil (person)">Dario Gil</mark>' in page
    )
    assert "Mistral AI" in page
    form = response.context["form"]
    # Read from the text, for the editor to check before saving.
    assert form.data["title"] == "Cohere et Adept rejoignent l’AI Alliance"
    assert form.data["published_on"] == "2024-03-05"
    assert form.data["language"] == "fr"
    assert Article.objects.count() == articles


def test_saving_makes_a_draft_article_with_its_paragraphs(record, editor_client):
    outlet = Organisation.objects.get(slug="techcrunch")
    article = saved_article(
        editor_client,
        outlet=outlet.pk,
        authors="A. Writer",
        source_url="https://example.org/two-more",
    )
    assert article.title == "Two more join the AI Alliance"
    assert (article.published_iso, article.language, article.draft) == ("2024-04", "en", True)
    assert (article.outlet, article.authors) == (outlet, "A. Writer")
    assert article.paragraphs.count() == 3


def test_an_uploaded_page_is_saved_as_text_without_its_scripts(record, editor_client):
    page = (
        "<html><head><title>t</title><script>alert('x')</script></head><body>"
        "<h1>Cohere joins</h1><time datetime='2024-03-05'>5 March</time>"
        "<p>Cohere joined the <b>AI Alliance</b>.</p><p>IBM said so too.</p></body></html>"
    )
    upload = SimpleUploadedFile("cohere.html", page.encode(), content_type="text/html")
    response = editor_client.post(reverse(INTAKE), {"file": upload, "_save": "1"})
    assert response.status_code == 302
    article = Article.objects.get(title="Cohere joins")
    assert [p.text for p in article.paragraphs.all()] == [
        "Cohere joined the AI Alliance.",
        "IBM said so too.",
    ]
    assert article.published_iso == "2024-03-05"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"\x00\x01binary", "binary"),
        ("déjà".encode("latin-1"), "UTF-8"),
        (b"", "Paste the article"),
        (b"Title only\n\nHeading\n", "no paragraphs"),
        (b"x" * (MAX_BYTES + 1), "5 MB"),
    ],
    ids=["binary", "latin-1", "empty", "no-paragraphs", "too-large"],
)
def test_a_bad_upload_gets_a_clear_message_and_nothing_is_saved(
    record, editor_client, upload, message
):
    articles = Article.objects.count()
    response = editor_client.post(
        reverse(INTAKE),
        {"file": SimpleUploadedFile("a.txt", upload), "_save": "1"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].non_field_errors())
    assert Article.objects.count() == articles


def test_an_article_on_record_is_refused_saying_why(record, editor_client):
    saved_article(editor_client, source_url="https://example.org/a")
    again = intake(
        editor_client,
        "_save",
        text=ENGLISH,
        source_url="https://example.org/a",
    )
    assert "same address" in " ".join(again.context["form"].non_field_errors())
    same_text = intake(editor_client, "_save", text=ENGLISH)
    assert "same text" in " ".join(same_text.context["form"].non_field_errors())
    assert Article.objects.filter(title="Two more join the AI Alliance").count() == 1


def test_the_article_page_marks_mentions_and_offers_candidates_and_suggestions(
    record, editor_client
):
    article = saved_article(editor_client)
    response = editor_client.get(reverse("admin:alliance_article_change", args=[article.pk]))
    page = response.content.decode()

    assert '<mark class="mention mention-organisation" title="Cohere (organisation)">' in page
    organisation_add = reverse("admin:alliance_organisation_add")
    assert f'href="{organisation_add}?name=Hugging+Face&amp;slug=hugging-face"' in page
    [confirm] = [
        s["url"]
        for p in response.context["intake_paragraphs"]
        for s in p["suggestions"]
        if s["kind"] == "membership"
    ]
    query = parse_qs(urlsplit(confirm).query)
    cohere = Organisation.objects.get(slug="cohere")
    assert query["member"] == [str(cohere.pk)]
    assert query["passage"] == [
        "Cohere joined the AI Alliance in April, the coalition said on its site."
    ]
    # One click from "create": the add form opens filled in.
    add = editor_client.get(confirm)
    assert add.context["adminform"].form.initial["member"] == str(cohere.pk)


def test_citing_a_selection_opens_the_coalition_with_one_row_per_member(record, editor_client):
    article = saved_article(editor_client, text=FRENCH)
    passage = "Cohere a rejoint l’AI Alliance mardi"
    cite = reverse("admin:alliance_article_cite", args=[article.pk])
    response = editor_client.get(cite, {"kind": "membership", "passage": passage})

    alliance = Coalition.objects.get(slug="ai-alliance")
    assert response.url.startswith(reverse("admin:alliance_coalition_change", args=[alliance.pk]))
    page = editor_client.get(response.url)
    inline = next(
        formset
        for formset in page.context["inline_admin_formsets"]
        if formset.formset.prefix == "memberships"
    )
    new_rows = inline.formset.extra_forms
    cohere = Organisation.objects.get(slug="cohere")
    assert [form.initial["member"] for form in new_rows] == [cohere.pk]
    assert new_rows[0].initial["passage"] == passage


def test_several_memberships_cite_one_passage_in_one_save_and_stay_drafts(record, editor_client):
    article = saved_article(editor_client, text=FRENCH)
    passage = "Adept, membre de l’AI Alliance depuis lundi"
    forum = Coalition.objects.get(slug="frontier-model-forum")
    members = [Organisation.objects.get(slug=slug) for slug in ("cohere", "adept")]
    url = reverse("admin:alliance_coalition_change", args=[forum.pk])
    query = {
        "cite_article": article.pk,
        "cite_passage": passage,
        "cite_members": ",".join(str(m.pk) for m in members),
    }
    data = change_form_data(editor_client.get(url, query))
    response = editor_client.post(url, data)

    assert response.status_code == 302
    added = Membership.objects.filter(coalition=forum, member__in=members)
    assert added.count() == 2
    assert len({m.citation_id for m in added}) == 1
    assert Citation.objects.get(article=article, passage=passage).paragraph.number == 1
    assert all(m.draft for m in added)
    assert not Membership.objects.public().filter(pk__in=added).exists()


def test_citing_a_selection_as_a_role_preselects_the_person_and_organisation(record, editor_client):
    article = saved_article(editor_client, text=FRENCH)
    response = editor_client.get(
        reverse("admin:alliance_article_cite", args=[article.pk]),
        {"kind": "role", "passage": "Dario Gil, directeur d’IBM Research"},
    )
    form = editor_client.get(response.url).context["adminform"].form
    assert form.initial["person"] == str(Person.objects.get(slug="dario-gil").pk)
    assert form.initial["organisation"] == str(Organisation.objects.get(slug="ibm-research").pk)
    assert form.initial["article"] == str(article.pk)


def test_a_selection_not_in_the_article_is_refused(record, editor_client):
    article = saved_article(editor_client)
    response = editor_client.get(
        reverse("admin:alliance_article_cite", args=[article.pk]),
        {"kind": "role", "passage": "words from elsewhere"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "admin:alliance_article_change", args=[article.pk]
    )
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1


def test_an_editor_cannot_publish_a_draft_but_a_publisher_can_with_its_facts(
    record, editor_client, editor
):
    article = saved_article(editor_client, text=FRENCH)
    url = reverse("admin:alliance_article_change", args=[article.pk])
    data = change_form_data(editor_client.get(url))
    data.pop("draft")
    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    assert "draft" in refused.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.draft

    forum = Coalition.objects.get(slug="frontier-model-forum")
    cohere = Organisation.objects.get(slug="cohere")
    forum_url = reverse("admin:alliance_coalition_change", args=[forum.pk])
    query = {
        "cite_article": article.pk,
        "cite_passage": "Cohere a rejoint",
        "cite_members": cohere.pk,
    }
    editor_client.post(forum_url, change_form_data(editor_client.get(forum_url, query)))
    membership = Membership.objects.get(coalition=forum, member=cohere)
    assert membership.draft

    editor.user_permissions.add(Permission.objects.get(codename="publish_article"))
    response = editor_client.post(
        reverse("admin:alliance_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    membership.refresh_from_db()
    assert (article.draft, membership.draft) == (False, False)
    assert Membership.objects.public().filter(pk=membership.pk).exists()


def test_activity_lists_the_drafts_waiting(record, editor_client):
    article = saved_article(editor_client)
    response = editor_client.get(reverse("admin:alliance_activity"))
    assert article in response.context["drafts"]["articles"]
    assert reverse("admin:alliance_article_change", args=[article.pk]) in response.content.decode()


def test_the_french_admin_refuses_a_binary_file_in_french(record, editor_client):
    response = editor_client.post(
        reverse(INTAKE),
        {"file": SimpleUploadedFile("a.pdf", b"%PDF\x00\x01"), "_save": "1"},
        headers={"accept-language": "fr"},
    )
    [message] = response.context["form"].non_field_errors()
    assert message.startswith("Ce fichier est binaire, pas du texte")


def test_the_article_page_runs_as_many_queries_whatever_its_paragraphs(
    record, editor_client, django_assert_max_num_queries
):
    short = saved_article(editor_client)
    url = reverse("admin:alliance_article_change", args=[short.pk])
    with CaptureQueriesContext(connection) as context:
        editor_client.get(url)
    few = len(context)  # now: the next request empties the log it reads

    long_text = "A long one\n\n2024-05-01\n\n" + "\n\n".join(
        f"Cohere and Meta joined the AI Alliance, said Yann LeCun ({n})." for n in range(30)
    )
    long = saved_article(editor_client, text=long_text)
    with django_assert_max_num_queries(few):
        editor_client.get(reverse("admin:alliance_article_change", args=[long.pk]))


def test_facts_from_a_draft_article_show_on_no_public_page_or_api(record, editor_client, client):
    article = saved_article(editor_client, text=FRENCH)
    forum = Coalition.objects.get(slug="frontier-model-forum")
    cohere = Organisation.objects.get(slug="cohere")
    url = reverse("admin:alliance_coalition_change", args=[forum.pk])
    query = {
        "cite_article": article.pk,
        "cite_passage": "Cohere a rejoint",
        "cite_members": cohere.pk,
    }
    editor_client.post(url, change_form_data(editor_client.get(url, query)))
    membership = Membership.objects.get(coalition=forum, member=cohere)
    client.logout()

    api = client.get(reverse("api:membership-list"), {"coalition": forum.slug}).json()
    assert membership.slug not in {row["slug"] for row in api["results"]}
    assert client.get(reverse("api:article-detail", args=[article.slug])).status_code == 404
    page = client.get(forum.get_absolute_url()).content.decode()
    assert "Cohere a rejoint" not in page

"""Each API resource, read against the real record."""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = [
    pytest.mark.usefixtures("record"),
    # WhiteNoise warns that STATIC_ROOT is missing until collectstatic has run.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

FOUNDERS_PASSAGE = (
    "Meta Platforms et International Business Machines (IBM) ont dévoilé conjointement "
    "l’AI Alliance"
)
ABSENTEES_PASSAGE = (
    "Les exclusions notables des membres initiaux de l’AI Alliance, comme Stanford et le MIT, "
    "et les startups d’IA comme Anthropic, Cohere et Adept"
)
ARTICLE = "meta-et-ibm-creent-l-ai-alliance"


@pytest.fixture(autouse=True)
def fresh_request_budget():
    """The throttle counts requests in the cache: each test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()


def get(client, name, **kwargs):
    response = client.get(reverse(f"api:{name}", kwargs=kwargs or None))
    assert response.status_code == 200, response.content
    return response.json()


def by_slug(rows):
    return {row["slug"]: row for row in rows}


def test_root_lists_every_resource(client):
    body = get(client, "api-root")
    assert set(body) == {
        "organisations",
        "coalitions",
        "people",
        "memberships",
        "roles",
        "positions",
        "articles",
        "ai-systems",
        "relations",
        "claims",
        "citations",
    }
    assert body["organisations"] == "http://testserver/api/v1/organisations/"


def test_organisation_list_is_paginated(client):
    body = get(client, "organisation-list")
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 20
    assert body["next"] is None
    assert "ibm" in by_slug(body["results"])


def test_organisation_list_gives_its_own_fields_and_the_detail_adds_the_facts(client):
    listed = by_slug(get(client, "organisation-list")["results"])["ibm"]
    ibm = get(client, "organisation-detail", slug="ibm")
    facts = {
        "identifiers",
        "places",
        "former_places",
        "corrected_places",
        "roles",
        "former_roles",
        "corrected_roles",
        "positions",
        "corrected_positions",
        "ai_systems",
    }
    assert set(ibm) - set(listed) == facts
    assert {key: ibm[key] for key in listed} == listed
    assert listed["full_name"] == "International Business Machines"


def test_organisation_list_carries_the_aliases_the_text_uses(client):
    cornell = by_slug(get(client, "organisation-list")["results"])["cornell"]
    assert cornell["aliases"] == ["Cornell"]


@pytest.mark.parametrize(
    ("resource", "slug", "facts"),
    [
        (
            "coalition",
            "ai-alliance",
            {"members", "former_members", "absentees", "corrected_members"},
        ),
        (
            "person",
            "dario-gil",
            {
                "identifiers",
                "roles",
                "former_roles",
                "corrected_roles",
                "positions",
                "corrected_positions",
            },
        ),
        ("article", ARTICLE, {"paragraphs"}),
    ],
)
def test_lists_leave_the_facts_to_the_detail(client, resource, slug, facts):
    listed = by_slug(get(client, f"{resource}-list")["results"])[slug]
    detail = get(client, f"{resource}-detail", slug=slug)
    assert set(detail) - set(listed) == facts
    assert {key: detail[key] for key in listed} == listed


def test_coalition_list_gives_the_declared_size_and_the_counts_on_record(client):
    alliance = by_slug(get(client, "coalition-list")["results"])["ai-alliance"]
    assert alliance["declared_member_count"]["count"] == 50
    assert alliance["members_on_record"] == 6
    assert alliance["absentees_on_record"] == 5


def test_organisation_carries_api_and_french_public_urls(client):
    ibm = get(client, "organisation-detail", slug="ibm")
    assert ibm["url"] == "http://testserver/api/v1/organisations/ibm/"
    assert ibm["public_url"] == "http://testserver/fr/organisations/ibm/"
    assert ibm["full_name"] == "International Business Machines"


def test_organisation_lists_its_founding_place_with_the_passage(client):
    ibm = get(client, "organisation-detail", slug="ibm")
    (place,) = ibm["places"]
    assert place["role"] == "founder"
    assert place["coalition"] == {
        "slug": "ai-alliance",
        "name": "AI Alliance",
        "url": "http://testserver/api/v1/coalitions/ai-alliance/",
    }
    assert place["status"] == "as_reported"
    assert place["citation"]["passage"] == FOUNDERS_PASSAGE
    assert place["citation"]["paragraph"] == 1
    assert place["citation"]["public_url"] == f"http://testserver/fr/articles/{ARTICLE}/#p1"
    assert place["citation"]["article"]["slug"] == ARTICLE


def test_organisation_lists_the_titles_people_hold_there(client):
    ibm = get(client, "organisation-detail", slug="ibm")
    titles = {(role["person"]["slug"], role["title"]) for role in ibm["roles"]}
    assert ("sriram-raghavan", "vice-président de la division AI Research") in titles
    assert ("dario-gil", "vice-président principal") in titles
    assert {system["slug"] for system in ibm["ai_systems"]} == {"watson", "watsonx"}


def test_absent_organisation_shows_its_absence_with_the_passage(client):
    anthropic = get(client, "organisation-detail", slug="anthropic")
    places = {place["coalition"]["slug"]: place for place in anthropic["places"]}
    assert places["ai-alliance"]["role"] == "absent"
    assert places["ai-alliance"]["citation"]["passage"] == ABSENTEES_PASSAGE
    assert places["frontier-model-forum"]["role"] == "member"


def test_coalition_separates_members_from_absentees(client):
    alliance = get(client, "coalition-detail", slug="ai-alliance")
    members = {m["organisation"]["slug"]: m["role"] for m in alliance["members"]}
    absentees = {m["organisation"]["slug"] for m in alliance["absentees"]}
    assert members == {
        "meta": "founder",
        "ibm": "founder",
        "intel": "key_contributor",
        "oracle": "key_contributor",
        "cornell": "key_contributor",
        "national-science-foundation": "key_contributor",
    }
    assert absentees == {"stanford", "mit", "anthropic", "cohere", "adept"}
    assert alliance["members_on_record"] == 6
    assert alliance["absentees_on_record"] == 5


def test_coalition_declares_more_than_fifty_members_with_its_source(client):
    alliance = get(client, "coalition-detail", slug="ai-alliance")
    declared = alliance["declared_member_count"]
    assert declared["count"] == 50
    assert declared["qualifier"] == "more_than"
    assert "plus de 50 entreprises" in declared["citation"]["passage"]
    assert alliance["public_url"] == "http://testserver/fr/coalitions/ai-alliance/"


def test_coalition_without_a_declared_count_says_null(client):
    forum = get(client, "coalition-detail", slug="frontier-model-forum")
    assert forum["declared_member_count"] is None
    assert {m["organisation"]["slug"] for m in forum["members"]} == {
        "microsoft",
        "google",
        "anthropic",
    }


def test_a_corrected_member_is_listed_apart_with_its_correction_and_not_counted(client):
    forum = get(client, "coalition-detail", slug="frontier-model-forum")
    (meta,) = forum["corrected_members"]
    assert meta["organisation"]["slug"] == "meta"
    assert meta["status"] == "corrected"
    assert meta["in_force"] is False
    assert "Meta n’était pas membre" in meta["correction"]
    assert meta["correction_source"] == "https://www.frontiermodelforum.org/"
    assert meta["correction_source_title"]
    # The claim and its passage stay on record beside the correction.
    assert "composé de Meta" in meta["citation"]["passage"]
    assert forum["members_on_record"] == 3


def test_coalitions_list_holds_only_coalitions(client):
    body = get(client, "coalition-list")
    assert set(by_slug(body["results"])) == {"ai-alliance", "frontier-model-forum"}


def test_organisation_that_is_no_coalition_is_not_found_among_coalitions(client):
    response = client.get(reverse("api:coalition-detail", kwargs={"slug": "ibm"}))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_membership_carries_both_sides_and_its_citation(client):
    membership = get(client, "membership-detail", slug="stanford-ai-alliance")
    assert membership["organisation"]["url"] == "http://testserver/api/v1/organisations/stanford/"
    assert membership["coalition"]["slug"] == "ai-alliance"
    assert membership["role"] == "absent"
    assert membership["is_absence"] is True
    assert membership["started_on"] is None
    assert membership["citation"]["passage"] == ABSENTEES_PASSAGE
    assert membership["citation"]["paragraph"] == 11
    assert membership["public_url"] == "http://testserver/fr/coalitions/ai-alliance/"


def test_person_carries_titles_and_stances(client):
    gil = get(client, "person-detail", slug="dario-gil")
    assert gil["name"] == "Darío Gil"
    assert {(role["title"], role["organisation"]["slug"]) for role in gil["roles"]} == {
        ("vice-président principal", "ibm"),
        ("directeur", "ibm-research"),
    }
    stances = by_slug(gil["positions"])
    quote = stances["dario-gil-open-source-ai"]
    assert quote["leaning"] == "open"
    assert quote["reported_by"]["slug"] == "wall-street-journal"
    assert "moteur ouvert" in quote["citation"]["passage"]


def test_position_names_its_holder_and_quotes_its_passage(client):
    openai = get(client, "position-detail", slug="openai-open-source-ai")
    assert openai["holder"] == {
        "type": "organisation",
        "slug": "openai",
        "name": "OpenAI",
        "kind": "company",
        "url": "http://testserver/api/v1/organisations/openai/",
    }
    assert openai["leaning"] == "closed"
    assert openai["topic"] == "open-source-ai"
    assert openai["citation"]["passage"].startswith("OpenAI et ses homologues")
    assert openai["public_url"] == "http://testserver/fr/positions/#openai-open-source-ai"


def test_position_held_by_a_person_links_to_the_person(client):
    raghavan = get(client, "position-detail", slug="sriram-raghavan-open-source-ai")
    assert raghavan["holder"]["type"] == "person"
    assert raghavan["holder"]["url"] == "http://testserver/api/v1/people/sriram-raghavan/"


def test_article_includes_its_paragraphs_with_anchors(client):
    article = get(client, "article-detail", slug=ARTICLE)
    assert article["language"] == "fr"
    assert article["date_precision"] == "month"
    numbers = [paragraph["number"] for paragraph in article["paragraphs"]]
    assert numbers == list(range(1, len(numbers) + 1))
    eleventh = article["paragraphs"][10]
    assert ABSENTEES_PASSAGE in eleventh["text"]
    assert eleventh["public_url"] == f"http://testserver/fr/articles/{ARTICLE}/#p11"


def test_ai_system_carries_its_owner_and_citation(client):
    llama = get(client, "ai-system-detail", slug="llama-2")
    assert llama["owner"]["slug"] == "meta"
    assert "Llama 2" in llama["citation"]["passage"]
    assert llama["public_url"] == "http://testserver/fr/ai-systems/llama-2/"


def test_citation_lists_the_facts_it_supports(client):
    body = get(client, "citation-list")
    citations = {row["passage"]: row for row in body["results"]}
    absentees = citations[ABSENTEES_PASSAGE]
    supported = {(fact["type"], fact["slug"]) for fact in absentees["supports"]}
    assert supported == {
        ("membership", f"{slug}-ai-alliance")
        for slug in ("stanford", "mit", "anthropic", "cohere", "adept")
    }
    detail = get(client, "citation-detail", slug=absentees["slug"])
    assert detail["paragraph"] == 11


def test_unknown_slug_answers_404_in_json(client):
    response = client.get(reverse("api:organisation-detail", kwargs={"slug": "nobody"}))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/v1/organisations/a.b/", "/api/x/"])
def test_any_other_api_url_answers_404_in_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"]}


def test_detail_refuses_query_parameters(client):
    response = client.get(reverse("api:organisation-detail", kwargs={"slug": "ibm"}), {"kind": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"kind"}


def test_page_size_bounds_the_page(client):
    url = reverse("api:organisation-list")
    body = client.get(url, {"page_size": 5, "page": 2}).json()
    assert len(body["results"]) == 5
    assert body["next"] == "http://testserver/api/v1/organisations/?page=3&page_size=5"
    assert body["previous"] == "http://testserver/api/v1/organisations/?page_size=5"


@pytest.mark.parametrize("page_size", ["0", "101", "-1", "abc", "1e3", " 5", "9" * 5000])
def test_page_size_out_of_bounds_answers_400(client, page_size):
    response = client.get(reverse("api:organisation-list"), {"page_size": page_size})
    assert response.status_code == 400
    assert set(response.json()) == {"page_size"}


@pytest.mark.parametrize("page", ["0", "abc", "-2", "99999999999999999999999999"])
def test_malformed_page_answers_400(client, page):
    response = client.get(reverse("api:organisation-list"), {"page": page})
    assert response.status_code == 400
    assert set(response.json()) == {"page"}


def test_page_past_the_last_answers_404(client):
    response = client.get(reverse("api:organisation-list"), {"page": 2})
    assert response.status_code == 404

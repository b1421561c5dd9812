"""What the sources say that is not a stance: relations and claims, on the pages, in the
API and in search, each with its passage, corrected ones beside their correction."""

import pytest
from django.urls import reverse

from tests.conftest import first_link

pytestmark = pytest.mark.usefixtures("record")

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"


def page(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def section(content, heading_id):
    start = content.index(f'id="{heading_id}"')
    return content[start : content.index("</section>", start)]


def api(client, name, **params):
    response = client.get(reverse(f"api:{name}"), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_google_page_shows_the_lobbying_lecun_criticises_with_its_paragraph(client):
    said = section(page(client, "public:organisation-detail", slug="google"), "said-heading")
    assert 'href="/fr/people/yann-lecun/"' in said
    assert "critique" in said
    assert "lobbying" in said
    assert first_link(said, ARTICLE, 7) >= 0


def test_meta_page_shows_the_center_for_humane_technology_s_criticism(client):
    said = section(page(client, "public:organisation-detail", slug="meta"), "said-heading")
    assert "Center for Humane Technology" in said
    assert "réseaux sociaux" in said
    assert first_link(said, ARTICLE, 9) >= 0


def test_ibm_page_shows_its_competitors_its_revenue_and_the_questions_on_its_motives(client):
    said = section(page(client, "public:organisation-detail", slug="ibm"), "said-heading")
    assert 'href="/fr/organisations/microsoft/"' in said
    assert 'href="/fr/organisations/openai/"' in said
    assert "IA générative" in said
    assert "motivations" in said
    # IBM Research is on record as part of IBM.
    assert 'href="/fr/organisations/ibm-research/"' in said


def test_a_claim_tells_the_article_s_voice_from_a_person_s(client):
    said = section(page(client, "public:coalition-detail", slug="ai-alliance"), "said-heading")
    gil = said[said.index('id="ai-alliance-nee-du-manque-de-diversite"') :]
    gil = gil[: gil.index("</li>")]
    assert 'href="/fr/people/dario-gil/"' in gil
    assert "L’article dit" in said


def test_the_forum_s_chronology_is_shown_with_its_correction_beside_the_claim(client):
    said = section(
        page(client, "public:coalition-detail", slug="frontier-model-forum"), "said-heading"
    )
    assert "en réponse aux critiques de Yann LeCun" in said  # the claim, as the article says
    assert "fondé en juillet 2023" in said  # its correction
    assert "https://www.frontiermodelforum.org/" in said


def test_a_person_page_shows_the_relations_they_are_party_to(client):
    said = section(page(client, "public:person-detail", slug="yann-lecun"), "said-heading")
    for target in ("openai", "google", "anthropic"):
        assert f'href="/fr/organisations/{target}/"' in said


def test_search_finds_titles_systems_relations_and_claims(client):
    def groups(query):
        content = client.get(reverse("public:search"), {"q": query}).content.decode()
        return content

    assert 'id="results-titles"' in groups("IBM Research")
    assert 'id="results-systems"' in groups("watsonx")
    lobbying = groups("lobbying")
    assert 'id="results-said"' in lobbying
    assert "Yann LeCun" in section(lobbying, "results-said")


def test_api_lists_relations_with_both_parties_and_the_passage(client):
    body = api(client, "relation-list", party="google")
    [relation] = body["results"]
    assert relation["subject"]["slug"] == "yann-lecun"
    assert relation["subject"]["type"] == "person"
    assert relation["kind"] == "criticises"
    assert relation["object"] == {
        "type": "organisation",
        "slug": "google",
        "name": "Google",
        "kind": "company",
        "url": "http://testserver/api/v1/organisations/google/",
    }
    assert relation["citation"]["paragraph"] == 7
    competitors = api(client, "relation-list", party="ibm", kind="competes_with")["results"]
    assert {r["object"]["slug"] for r in competitors} == {"microsoft", "openai"}


def test_api_lists_claims_with_who_said_them_and_hides_corrected_ones_by_default(client):
    gil = api(client, "claim-list", said_by="dario-gil")["results"]
    assert [claim["about"]["slug"] for claim in gil] == ["ai-alliance"]
    assert gil[0]["said_by"]["type"] == "person"
    forum = api(client, "claim-list", about="frontier-model-forum")
    assert forum["count"] == 0  # its only claim is corrected: it does not count
    corrected = api(client, "claim-list", about="frontier-model-forum", status="corrected")
    [claim] = corrected["results"]
    assert claim["said_by"] is None
    assert claim["correction_source"] == "https://www.frontiermodelforum.org/"


def test_api_relations_reject_an_unknown_kind_with_a_400_naming_it(client):
    response = client.get(reverse("api:relation-list"), {"kind": "admires"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_a_citation_lists_the_relations_and_claims_it_supports(client):
    citations = api(client, "citation-list", article=ARTICLE, paragraph=7)["results"]
    supported = {(fact["type"], fact["slug"]) for c in citations for fact in c["supports"]}
    assert ("relation", "yann-lecun-criticises-google") in supported

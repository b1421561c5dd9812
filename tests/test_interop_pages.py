"""Identifiers on pages and in the API, sameAs and ClaimReview in JSON-LD, per-party feeds,
and citations portable as W3C Web Annotation selectors."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from alliance.models import (
    ExternalIdentifier,
    Membership,
    Organisation,
    Paragraph,
    Person,
    Scheme,
)
from tests.validators import validate_atom

pytestmark = pytest.mark.usefixtures("record")

JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def no_request_budget(settings):
    settings.API_ANONYMOUS_RATE = None
    cache.clear()


def structured(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [json.loads(block) for block in JSON_LD.findall(response.content.decode())]


def test_pages_show_each_identifier_with_its_register_link(client):
    ibm = Organisation.objects.get(slug="ibm")
    ExternalIdentifier.objects.create(organisation=ibm, scheme=Scheme.ROR, value="03yrm5c26")
    page = client.get(reverse("public:organisation-detail", kwargs={"slug": "ibm"})).content
    assert b'href="https://www.wikidata.org/wiki/Q37156"' in page
    assert b'href="https://ror.org/03yrm5c26"' in page
    person = client.get(reverse("public:person-detail", kwargs={"slug": "yann-lecun"})).content
    assert b'href="https://www.wikidata.org/wiki/Q3571662"' in person


def test_a_party_without_identifiers_shows_none(client):
    page = client.get(reverse("public:person-detail", kwargs={"slug": "dario-gil"})).content
    assert b"wikidata.org" not in page


def test_json_ld_says_same_as_for_every_identifier(client):
    person = Person.objects.get(slug="yann-lecun")
    ExternalIdentifier.objects.create(
        person=person, scheme=Scheme.ORCID, value="0000-0002-1825-0097"
    )
    data = structured(client, reverse("public:person-detail", kwargs={"slug": "yann-lecun"}))
    (described,) = [d for d in data if d["@type"] == "Person"]
    assert described["sameAs"] == [
        "https://www.wikidata.org/wiki/Q3571662",
        "https://orcid.org/0000-0002-1825-0097",
    ]
    data = structured(client, reverse("public:organisation-detail", kwargs={"slug": "meta"}))
    (meta,) = [d for d in data if d["@type"] == "Organization"]
    assert meta["sameAs"] == ["https://www.wikidata.org/wiki/Q380"]


def test_a_corrected_fact_is_a_claim_review_with_the_correction_source(client):
    corrected = Membership.objects.get(slug="meta-frontier-model-forum")
    for url in (
        reverse("public:organisation-detail", kwargs={"slug": "meta"}),
        reverse("public:coalition-detail", kwargs={"slug": "frontier-model-forum"}),
    ):
        # The coalition page also reviews the corrected claim about the Forum itself.
        (review,) = [
            d
            for d in structured(client, url)
            if d["@type"] == "ClaimReview" and d["url"].endswith(f"#{corrected.slug}")
        ]
        assert review["claimReviewed"] == corrected.citation.passage
        assert review["reviewRating"]["alternateName"] == corrected.get_status_display()
        assert review["reviewBody"] == corrected.correction
        assert review["isBasedOn"][0]["url"] == corrected.correction_source
        assert review["itemReviewed"]["appearance"]["url"].endswith(f"#{corrected.citation.slug}")


def test_a_disputed_fact_with_a_passage_on_record_cites_it(client):
    intel = Membership.objects.get(slug="intel-ai-alliance")
    source = Membership.objects.get(slug="ibm-ai-alliance").citation
    intel.status, intel.correction, intel.correction_citation = "disputed", "Douteux.", source
    intel.save()
    url = reverse("public:organisation-detail", kwargs={"slug": "intel"})
    (review,) = [d for d in structured(client, url) if d["@type"] == "ClaimReview"]
    assert review["isBasedOn"] == [
        {
            "@type": "Quotation",
            "text": source.passage,
            "url": f"http://testserver{source.get_absolute_url()}",
        }
    ]


def test_pages_with_claim_reviews_keep_their_query_budget(client, django_assert_max_num_queries):
    url = reverse("public:coalition-detail", kwargs={"slug": "frontier-model-forum"})
    client.get(url)
    cache.clear()
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "slug", "fact"),
    [
        ("organisation-feed", "meta", "meta-frontier-model-forum"),
        ("person-feed", "dario-gil", "dario-gil-open-source-ai"),
        ("coalition-feed", "frontier-model-forum", "meta-frontier-model-forum"),
    ],
)
def test_each_party_has_an_atom_feed_of_its_facts(client, name, slug, fact):
    response = client.get(reverse(f"public:{name}", kwargs={"slug": slug}))
    assert response.status_code == 200
    validate_atom(response.content)
    assert f"#{fact}".encode() in response.content
    page = reverse(f"public:{name.split('-')[0]}-detail", kwargs={"slug": slug})
    assert reverse(f"public:{name}", kwargs={"slug": slug}).encode() in client.get(page).content


def test_a_feed_names_the_correction_and_never_a_draft(client):
    draft = Membership.objects.get(slug="ibm-ai-alliance")
    draft.draft = True
    draft.save()
    body = client.get(reverse("public:coalition-feed", kwargs={"slug": "ai-alliance"})).content
    assert b"ibm-ai-alliance" not in body
    body = client.get(reverse("public:organisation-feed", kwargs={"slug": "meta"})).content.decode()
    correction = Membership.objects.get(slug="meta-frontier-model-forum").correction
    assert correction in body


def test_an_unknown_party_feed_is_a_404(client):
    assert client.get(reverse("public:person-feed", kwargs={"slug": "nobody"})).status_code == 404
    # A coalition's feed is the coalition feed.
    url = reverse("public:organisation-feed", kwargs={"slug": "ai-alliance"})
    assert client.get(url).status_code == 404


def test_the_api_gives_identifiers_in_details_and_the_wikidata_item_in_lists(client):
    ibm = Organisation.objects.get(slug="ibm")
    ExternalIdentifier.objects.create(
        organisation=ibm, scheme=Scheme.LEI, value="VGRQXHF3J8VDLUA7XE92"
    )
    listed = client.get(reverse("api:organisation-list"), {"search": "ibm"}).json()["results"]
    assert {row["slug"]: row["wikidata_id"] for row in listed}["ibm"] == "Q37156"
    detail = client.get(reverse("api:organisation-detail", kwargs={"slug": "ibm"})).json()
    assert detail["identifiers"] == [
        {"scheme": "wikidata", "value": "Q37156", "url": "https://www.wikidata.org/wiki/Q37156"},
        {
            "scheme": "lei",
            "value": "VGRQXHF3J8VDLUA7XE92",
            "url": "https://search.gleif.org/#/record/VGRQXHF3J8VDLUA7XE92",
        },
    ]
    person = client.get(reverse("api:person-detail", kwargs={"slug": "dario-gil"})).json()
    assert person["wikidata_id"] == ""
    assert person["identifiers"] == []


def test_every_citation_can_be_found_again_from_its_selector_alone(client):
    response = client.get(reverse("api:citation-list"), {"page_size": 100})
    texts = {p.number: p.text for p in Paragraph.objects.all()}
    for citation in response.json()["results"]:
        target = citation["target"]
        quote, fragment = target["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert quote["exact"] == citation["passage"]
        text = texts[citation["paragraph"]]
        # Prefix, passage and suffix side by side are in the paragraph, once.
        assert text.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
        assert text.startswith(quote["prefix"]) or len(quote["prefix"]) == 32
        assert fragment == {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
            "value": f"p{citation['paragraph']}",
            "refinedBy": quote,
        }
        assert citation["public_url"] == f"{target['source']}#p{citation['paragraph']}"

"""Real validators on real answers: the OpenAPI schema, the feeds, the sitemap.

Every API answer the suite produces is also checked against the schema as it is made
(`tests/contract.py`, through the test settings).
"""

import json

import pytest
import yaml
from django.urls import reverse
from django.utils import translation
from openapi_spec_validator import validate as validate_openapi

from alliance.models import Membership, Position
from tests import contract
from tests.validators import AtomError, validate_atom, validate_sitemap

pytestmark = [
    pytest.mark.usefixtures("record"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def fr(name, **kwargs):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture(autouse=True)
def no_budget(settings):
    settings.API_ANONYMOUS_RATE = None


# OpenAPI ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?format=json", "?lang=fr", "?lang=fr&format=json"])
def test_served_schema_passes_openapi_spec_validator(client, query):
    response = client.get(reverse("api:schema") + query)
    assert response.status_code == 200
    document = json.loads(response.content) if "json" in query else yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.1")
    validate_openapi(document)


def test_an_undeclared_field_fails_the_contract_check(client, rf):
    url = reverse("api:organisation-detail", kwargs={"slug": "ibm"})
    response = client.get(url)
    body = response.json()
    body["secret_field"] = "sent but not documented"
    response.content = json.dumps(body).encode()
    with pytest.raises(contract.ContractError, match="secret_field"):
        contract.check(rf.get(url), response)


def test_an_undocumented_status_fails_the_contract_check(client, rf):
    url = reverse("api:organisation-detail", kwargs={"slug": "ibm"})
    response = client.get(url)
    response.status_code = 418
    with pytest.raises(contract.ContractError):
        contract.check(rf.get(url), response)


def operation(client, path):
    document = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)
    return document, document["paths"][path]["get"]


def test_boolean_parameters_are_booleans_without_a_string_enum(client):
    _, positions = operation(client, "/api/v1/positions/")
    is_quote = next(p for p in positions["parameters"] if p["name"] == "is_quote")
    assert is_quote["schema"]["type"] == "boolean"
    assert "enum" not in is_quote["schema"]


def test_ordering_is_one_comma_separated_parameter_that_the_api_takes(client):
    _, organisations = operation(client, "/api/v1/organisations/")
    ordering = next(p for p in organisations["parameters"] if p["name"] == "ordering")
    assert ordering["schema"]["type"] == "string"
    assert "explode" not in ordering
    response = client.get(reverse("api:organisation-list"), {"ordering": "-kind,name"})
    assert response.status_code == 200
    kinds = [row["kind"] for row in response.json()["results"]]
    assert kinds == sorted(kinds, reverse=True)


def test_a_position_holder_declares_every_field_it_sends(client):
    document, _ = operation(client, "/api/v1/positions/")
    declared = set(document["components"]["schemas"]["Holder"]["properties"])
    for row in client.get(reverse("api:position-list"), {"page_size": 100}).json()["results"]:
        assert set(row["holder"]) <= declared


def test_nullable_and_blank_values_pass_the_contract(client):
    position = Position.objects.filter(reported_by__isnull=True).first()
    assert position is not None
    response = client.get(reverse("api:position-detail", kwargs={"slug": position.slug}))
    assert response.json()["reported_by"] is None
    assert response.json()["correction_source"] == ""
    coalitions = client.get(reverse("api:coalition-list")).json()["results"]
    assert any(row["declared_member_count"] is None for row in coalitions)


# Feeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["public:article-feed", "public:membership-feed"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_feeds_pass_the_atom_validator(client, name, language):
    with translation.override(language):
        url = reverse(name)
    response = client.get(url)
    assert response.status_code == 200
    validate_atom(response.content)


def test_feeds_stay_valid_with_markup_in_editors_notes(client):
    membership = Membership.objects.get(slug="intel-ai-alliance")
    membership.status = "disputed"
    membership.correction = "<script>alert(1)</script> & <b>unclosed"
    membership.correction_source = "https://example.org/note"
    membership.correction_source_title = "<i>Note</i> & co"
    membership.save()
    validate_atom(client.get(fr("public:membership-feed")).content)


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        (lambda xml: xml.replace(b"<author>", b"<x>").replace(b"</author>", b"</x>"), "author"),
        (lambda xml: xml.replace(b"<id>tag:", b"<id>/", 1), "absolute IRI"),
        (lambda xml: xml.replace(b"<updated>", b"<updated>yesterday ", 1), "RFC 3339"),
    ],
    ids=["no-author", "relative-id", "bad-date"],
)
def test_the_atom_validator_catches_what_rfc_4287_forbids(client, broken, problem):
    content = client.get(fr("public:membership-feed")).content
    with pytest.raises(AtomError, match=problem):
        validate_atom(broken(content))


# Sitemap ---------------------------------------------------------------------------------


def test_sitemap_passes_the_sitemaps_org_schema(client):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    validate_sitemap(response.content)


@pytest.mark.parametrize(
    "broken",
    [
        lambda xml: xml.replace(b"<loc>http://testserver", b"<loc>", 1),
        lambda xml: xml.replace(b"<loc>", b"<location>", 1).replace(b"</loc>", b"</location>", 1),
        lambda xml: xml.replace(b'hreflang="x-default"', b'hreflang="not a language"', 1),
    ],
    ids=["relative-loc", "unknown-element", "bad-hreflang"],
)
def test_the_sitemap_schema_catches_a_broken_sitemap(client, broken):
    import xmlschema

    content = client.get(reverse("sitemap")).content
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        validate_sitemap(broken(content))

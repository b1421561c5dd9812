"""The reconciliation service, against the W3C Reconciliation API 0.2's own JSON schemas."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from alliance.models import Organisation, OrganisationKind

pytestmark = pytest.mark.usefixtures("record")

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "reconciliation"


def _load(name):
    return json.loads((SCHEMAS / name).read_text())


REGISTRY = Registry().with_resources(
    (schema["$id"], Resource(schema, specification=DRAFT7))
    for schema in map(_load, sorted(path.name for path in SCHEMAS.glob("*.json")))
)


def validate(name, instance):
    # The specification's validator (ajv) reads them as draft 7.
    Draft7Validator(_load(name), registry=REGISTRY).validate(instance)


@pytest.fixture(autouse=True)
def no_request_budget(settings):
    settings.API_ANONYMOUS_RATE = None
    cache.clear()


def reconcile(client, queries, method="post"):
    validate("reconciliation-query-batch.json", queries)
    url = reverse("api:reconcile")
    if method == "post":
        response = client.post(
            url,
            f"queries={json.dumps(queries)}".encode(),
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = client.get(url, {"queries": json.dumps(queries)})
    assert response.status_code == 200, response.content
    results = response.json()
    validate("reconciliation-result-batch.json", results)
    return results


def test_manifest_follows_the_specification(client):
    response = client.get(reverse("api:reconcile"))
    assert response.status_code == 200
    manifest = response.json()
    validate("manifest.json", manifest)
    assert manifest["versions"] == ["0.2"]
    assert {kind["id"] for kind in manifest["defaultTypes"]} == {
        "organisation",
        "coalition",
        "person",
        "ai-system",
    }
    # Every address the manifest gives answers.
    view = manifest["view"]["url"].replace("{{id}}", "organisation%3Aibm")
    assert client.get(view).status_code == 302
    preview = manifest["preview"]["url"].replace("{{id}}", "organisation%3Aibm")
    assert client.get(preview).status_code == 200
    suggest = manifest["suggest"]["entity"]
    suggested = client.get(f"{suggest['service_url']}{suggest['service_path']}?prefix=ib")
    assert suggested.status_code == 200


# What people type, and what they mean: aliases, full names, accents, case, misspellings.
BATCH = {
    "alias": ({"query": "Cornell"}, "organisation:cornell", True),
    "english": ({"query": "Cornell University"}, "organisation:cornell", True),
    "full-name": ({"query": "International Business Machines"}, "organisation:ibm", True),
    "no-accent": ({"query": "Dario Gil", "type": "person"}, "person:dario-gil", True),
    "accent-and-case": ({"query": "DARÍO GIL"}, "person:dario-gil", True),
    "french-name": ({"query": "Université de Cornell"}, "organisation:cornell", True),
    "misspelt": ({"query": "Antropic"}, "organisation:anthropic", False),
    "misspelt-person": ({"query": "Yan LeCunn"}, "person:yann-lecun", False),
    "misspelt-system": ({"query": "Wastonx"}, "ai-system:watsonx", False),
    "coalition": ({"query": "frontier model forum"}, "coalition:frontier-model-forum", True),
    "wikidata": ({"query": "Q37156"}, "organisation:ibm", True),
    "identifier": ({"query": "person:yann-lecun"}, "person:yann-lecun", True),
    "system": ({"query": "Llama 2", "type": ["ai-system"]}, "ai-system:llama-2", True),
}


@pytest.mark.parametrize("method", ["post", "get"])
def test_a_batch_of_names_finds_each_entity_first(client, method):
    results = reconcile(client, {key: query for key, (query, _e, _m) in BATCH.items()}, method)
    for key, (_query, expected, matched) in BATCH.items():
        best = results[key]["result"][0]
        assert best["id"] == expected, (key, results[key])
        assert best["match"] is matched, (key, best)
        assert best["score"] == max(c["score"] for c in results[key]["result"])


def test_scores_sort_the_candidates_and_only_the_exact_name_matches(client):
    results = reconcile(client, {"q": {"query": "Watson", "limit": 3}})["q"]["result"]
    assert [c["id"] for c in results][:2] == ["ai-system:watson", "ai-system:watsonx"]
    assert results[0]["score"] == 100
    assert results[0]["match"] is True
    assert all(not c["match"] for c in results[1:])
    assert [c["score"] for c in results] == sorted((c["score"] for c in results), reverse=True)


def test_a_type_restricts_the_candidates_and_a_coalition_is_an_organisation(client):
    results = reconcile(
        client,
        {
            "people": {"query": "Meta", "type": "person"},
            "organisations": {"query": "AI Alliance", "type": "organisation"},
        },
    )
    assert all("person" in [t["id"] for t in c["type"]] for c in results["people"]["result"])
    alliance = results["organisations"]["result"][0]
    assert alliance["id"] == "coalition:ai-alliance"
    assert [t["id"] for t in alliance["type"]] == ["coalition", "organisation"]


def test_a_name_nothing_resembles_has_no_candidate(client):
    assert reconcile(client, {"q": {"query": "Zzyzx Quarry"}})["q"]["result"] == []


def test_a_new_organisation_is_found_at_once(client):
    reconcile(client, {"q": {"query": "IBM"}})
    Organisation.objects.create(
        name="Hugging Face", slug="hugging-face", kind=OrganisationKind.COMPANY
    )
    best = reconcile(client, {"q": {"query": "hugging face"}})["q"]["result"][0]
    assert best["id"] == "organisation:hugging-face"


def test_suggest_completes_names_and_types(client):
    entities = client.get(reverse("api:reconcile-suggest-entity"), {"prefix": "dar"}).json()
    validate("suggest-entities-response.json", entities)
    assert [e["id"] for e in entities["result"]] == ["person:dario-gil"]
    # A word inside the name, and the next suggestions after a cursor.
    models = client.get(reverse("api:reconcile-suggest-entity"), {"prefix": "model"}).json()
    assert "coalition:frontier-model-forum" in [e["id"] for e in models["result"]]
    later = client.get(reverse("api:reconcile-suggest-entity"), {"prefix": "i", "cursor": "1"})
    assert (
        later.json()["result"][0]
        == client.get(reverse("api:reconcile-suggest-entity"), {"prefix": "i"}).json()["result"][1]
    )
    types = client.get(reverse("api:reconcile-suggest-type"), {"prefix": "co"}).json()
    validate("suggest-types-response.json", types)
    assert [t["id"] for t in types["result"]] == ["coalition"]


def test_preview_is_a_small_page_a_client_may_frame(client):
    response = client.get(reverse("api:reconcile-preview"), {"id": "person:dario-gil"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]
    assert "<strong>Darío Gil</strong>" in response.content.decode()


def test_view_sends_to_the_entity_page(client):
    response = client.get(reverse("api:reconcile-view"), {"id": "coalition:ai-alliance"})
    assert response.status_code == 302
    assert response["Location"].endswith("/fr/coalitions/ai-alliance/")


@pytest.mark.parametrize(
    ("queries", "named"),
    [
        ("", "JSON"),
        ("{", "JSON"),
        ("[1, 2]", "object"),
        ("{}", "object"),
        ('{"q": "IBM"}', "object"),
        ('{"q": {"query": ""}}', "query"),
        ('{"q": {"query": "   "}}', "query"),
        ('{"q": {"limit": 3}}', "query"),
        ('{"q": {"query": "' + "x" * 301 + '"}}', "too long"),
        ('{"q": {"query": "IBM", "type": "planet"}}', "planet"),
        ('{"q": {"query": "IBM", "type": ["person", 3]}}', "type"),
        ('{"q": {"query": "IBM", "limit": 0}}', "limit"),
        ('{"q": {"query": "IBM", "limit": true}}', "limit"),
        ('{"q": {"query": "IBM", "colour": "blue"}}', "colour"),
        ('{"q": {"query": "IBM", "type_strict": "maybe"}}', "type_strict"),
        (json.dumps({f"q{n}": {"query": "IBM"} for n in range(51)}), "50"),
        ("[" * 100_001, "too long"),
    ],
)
def test_bad_batches_answer_400_with_a_message(client, queries, named):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    for response in (
        client.get(reverse("api:reconcile"), {"queries": queries}, **english),
        client.post(reverse("api:reconcile"), {"queries": queries}, **english),
    ):
        assert response.status_code == 400, response.content
        assert named in " ".join(response.json()["queries"])


def test_a_huge_body_is_refused_before_it_is_read(client):
    response = client.post(
        reverse("api:reconcile"),
        b"queries=" + b"a" * 500_000,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "too long" in response.json()["queries"][0]


def test_refusals_are_in_french_by_default(client):
    response = client.get(reverse("api:reconcile"), {"queries": "{"})
    assert response.status_code == 400
    assert response.json()["queries"][0].startswith("Ce n’est pas du JSON")


@pytest.mark.parametrize(
    ("url_name", "params", "field"),
    [
        ("reconcile", {"callback": "f"}, "callback"),
        ("reconcile-preview", {"id": "ibm"}, "id"),
        ("reconcile-preview", {"id": "x" * 300}, "id"),
        ("reconcile-view", {}, "id"),
        ("reconcile-suggest-entity", {"prefix": ""}, "prefix"),
        ("reconcile-suggest-entity", {"prefix": "ib", "cursor": "-1"}, "cursor"),
    ],
)
def test_bad_parameters_answer_400_naming_them(client, url_name, params, field):
    response = client.get(reverse(f"api:{url_name}"), params)
    assert response.status_code == 400
    assert field in response.json()


def test_an_unknown_entity_is_a_404(client):
    response = client.get(reverse("api:reconcile-preview"), {"id": "organisation:atlantis"})
    assert response.status_code == 404


def test_a_batch_costs_the_same_queries_however_many_names(client, django_assert_max_num_queries):
    reconcile(client, {"q": {"query": "IBM"}})  # the index is built once per record version
    with django_assert_max_num_queries(1):
        reconcile(client, {f"q{n}": {"query": f"name {n}"} for n in range(50)})

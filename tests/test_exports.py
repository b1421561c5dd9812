"""Bulk exports: a CSV per resource, the record as JSON Lines, FollowTheMoney entities."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.api import snapshot
from alliance.api.exports import FILES
from alliance.models import (
    AISystem,
    Article,
    Citation,
    Claim,
    ExternalIdentifier,
    FactStatus,
    Membership,
    MembershipRole,
    Organisation,
    Paragraph,
    Person,
    Position,
    Relation,
    Role,
    Scheme,
    Source,
    Topic,
)
from tests.test_api_queries import add_rows

pytestmark = pytest.mark.usefixtures("record")

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"


@pytest.fixture(autouse=True)
def no_request_budget(settings):
    settings.API_ANONYMOUS_RATE = None
    cache.clear()


def download(client, name, **headers):
    response = client.get(reverse("api:export-file", kwargs={"name": name}), **headers)
    assert response.status_code in (200, 304), response.content
    return response


def csv_rows(client, name):
    response = download(client, name)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="alliance-{name}"'
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def jsonl(client, name):
    response = download(client, name)
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    return [json.loads(line) for line in response.content.decode().splitlines()]


def test_the_list_names_every_file_and_each_one_answers(client):
    response = client.get(reverse("api:export-list"))
    assert response.status_code == 200
    body = response.json()
    assert [entry["name"] for entry in body["files"]] == list(FILES)
    for entry in body["files"]:
        assert entry["version"] == body["version"]
        assert client.get(entry["url"]).status_code == 200


def test_the_list_and_a_file_refuse_parameters(client):
    assert client.get(reverse("api:export-list"), {"x": "1"}).status_code == 400
    response = client.get(reverse("api:export-file", kwargs={"name": "people.csv"}), {"x": "1"})
    assert response.status_code == 400
    assert "x" in response.json()


def test_an_unknown_file_is_a_json_404(client):
    response = client.get(reverse("api:export-file", kwargs={"name": "secrets.csv"}))
    assert response.status_code == 404
    assert response.json()["detail"]


def test_each_resource_has_its_csv(client):
    organisations = {row["slug"]: row for row in csv_rows(client, "organisations.csv")}
    assert organisations["ibm"]["identifiers"] == "wikidata:Q37156"
    assert organisations["cornell"]["aliases"] == "Cornell"
    assert "ai-alliance" not in organisations
    coalitions = {row["slug"]: row for row in csv_rows(client, "coalitions.csv")}
    assert coalitions["ai-alliance"]["declared_member_count"] == "50"
    people = {row["slug"] for row in csv_rows(client, "people.csv")}
    assert people == set(Person.objects.values_list("slug", flat=True))
    roles = csv_rows(client, "roles.csv")
    assert len(roles) == Role.objects.public().count()
    positions = csv_rows(client, "positions.csv")
    assert {row["slug"] for row in positions} == set(
        Position.objects.public().values_list("slug", flat=True)
    )
    systems = {row["slug"] for row in csv_rows(client, "ai-systems.csv")}
    assert "watsonx" in systems
    assert [row["slug"] for row in csv_rows(client, "articles.csv")] == [ARTICLE]
    citations = csv_rows(client, "citations.csv")
    assert len(citations) == Citation.objects.count()
    for row in citations:
        assert (
            row["passage"]
            in Paragraph.objects.get(article__slug=row["article"], number=row["paragraph"]).text
        )


def test_a_corrected_fact_carries_its_status_and_correction(client):
    memberships = {row["slug"]: row for row in csv_rows(client, "memberships.csv")}
    corrected = memberships["meta-frontier-model-forum"]
    assert corrected["status"] == FactStatus.CORRECTED
    assert corrected["correction"]
    assert corrected["correction_source"].startswith("http")
    assert corrected["source_url"].endswith(f"/fr/articles/{ARTICLE}/#p8")
    assert corrected["passage"] in Paragraph.objects.get(number=8).text


def test_drafts_stay_out_of_every_file(client):
    membership = Membership.objects.get(slug="ibm-ai-alliance")
    membership.draft = True
    membership.save()
    draft_article = Article.objects.create(
        title="Brouillon", slug="brouillon", published_on="2024-01-01", language="fr", draft=True
    )
    Paragraph.objects.create(article=draft_article, number=1, text="Oracle rejoint le Forum.")
    hidden = Citation.objects.create(article=draft_article, passage="Oracle rejoint le Forum")
    Membership.objects.create(
        slug="oracle-frontier-model-forum",
        member=Organisation.objects.get(slug="oracle"),
        coalition=Organisation.objects.get(slug="frontier-model-forum"),
        role=MembershipRole.MEMBER,
        citation=hidden,
    )
    for name in FILES:
        body = download(client, name).content.decode()
        assert "ibm-ai-alliance" not in body, name
        assert "oracle-frontier-model-forum" not in body, name
        assert "brouillon" not in body, name


def test_a_file_answers_304_until_the_record_changes_then_is_made_again(client):
    first = download(client, "organisations.csv")
    again = download(client, "organisations.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    ibm = Organisation.objects.get(slug="ibm")
    ibm.full_name = "International Business Machines Corporation"
    ibm.save()
    changed = download(client, "organisations.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert b"International Business Machines Corporation" in changed.content


def test_files_cost_the_same_queries_however_many_rows(client, django_assert_max_num_queries):
    def counts():
        found = {}
        for name in FILES:
            with CaptureQueriesContext(connection) as queries:
                download(client, name)
            found[name] = len(queries)
        return found

    # Content types are looked up once per process, and each kind of fact that has further
    # sources costs one query: both are paid before counting, so only rows differ.
    counts()
    add_rows(10, "some")
    before = counts()
    add_rows(10, "more")
    assert counts() == before
    with django_assert_max_num_queries(1):
        client.get(reverse("api:export-list"))


def wipe_content():
    """Every content row, in an order the protected references allow."""
    for model in (Source, Claim, Relation, AISystem, Position, Role, Membership):
        model.objects.all().delete()
    ExternalIdentifier.objects.all().delete()
    Organisation.objects.update(declared_member_count_citation=None)
    for model in (Citation, Paragraph, Article, Organisation, Person, Topic):
        model.objects.all().delete()


def comparable(rows):
    """Rows as a set: rows keyed by a database id compare by their fields alone."""
    return sorted(
        json.dumps(
            {**row, "key": row["key"] if not row["key"].isdigit() else None},
            sort_keys=True,
            ensure_ascii=False,
        )
        for row in rows
    )


def test_the_json_lines_export_loads_into_an_empty_database_as_the_same_record(client):
    ExternalIdentifier.objects.create(
        organisation=Organisation.objects.get(slug="ibm"),
        scheme=Scheme.LEI,
        value="VGRQXHF3J8VDLUA7XE92",
    )
    exported = jsonl(client, "record.jsonl")
    assert {row["type"] for row in exported} >= {
        "topic",
        "organisation",
        "coalition",
        "person",
        "identifier",
        "article",
        "paragraph",
        "citation",
        "membership",
        "role",
        "position",
        "ai-system",
        "relation",
        "claim",
    }
    alliance_before = client.get(reverse("api:coalition-detail", kwargs={"slug": "ai-alliance"}))
    wipe_content()
    assert not Organisation.objects.exists()
    assert not Citation.objects.exists()

    snapshot.load(exported)

    assert comparable(jsonl(client, "record.jsonl")) == comparable(exported)
    alliance_after = client.get(reverse("api:coalition-detail", kwargs={"slug": "ai-alliance"}))
    assert alliance_after.json() == alliance_before.json()
    meta = Membership.objects.get(slug="meta-frontier-model-forum")
    assert meta.status == FactStatus.CORRECTED


def test_followthemoney_entities_are_valid_and_sourced(client):
    from followthemoney import model

    entities = jsonl(client, "followthemoney.jsonl")
    ids = {entity["id"] for entity in entities}
    assert len(ids) == len(entities)
    by_schema = {}
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None, entity
        assert set(entity["properties"]) <= set(schema.properties), entity
        assert set(schema.required) <= set(entity["properties"]), entity
        assert schema.validate(entity) is None
        proxy = model.get_proxy(entity, cleaned=False)
        assert proxy.to_dict()["properties"] == entity["properties"]
        for name, values in entity["properties"].items():
            if schema.properties[name].type.name == "entity":
                assert set(values) <= ids, (entity["id"], name)
        by_schema.setdefault(entity["schema"], []).append(entity)

    present = Membership.objects.public().exclude(role=MembershipRole.ABSENT)
    assert len(by_schema["Membership"]) == present.count()
    assert len(by_schema["Directorship"]) == Role.objects.public().count()
    assert len(by_schema["Person"]) == Person.objects.count()
    assert len(by_schema["Organization"]) == Organisation.objects.count()
    for tie in by_schema["Membership"] + by_schema["Directorship"]:
        assert tie["properties"]["proof"] == [f"alliance-article-{ARTICLE}"]
        assert tie["properties"]["summary"][0] in " ".join(
            Paragraph.objects.values_list("text", flat=True)
        )
    statuses = {tie["id"]: tie["properties"]["status"] for tie in by_schema["Membership"]}
    assert statuses["alliance-membership-meta-frontier-model-forum"] == ["corrected"]
    ibm = next(e for e in by_schema["Organization"] if e["id"] == "alliance-organisation-ibm")
    assert ibm["properties"]["wikidataId"] == ["Q37156"]

"""The change feed: a client that follows it keeps the same record as the site."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from alliance.models import (
    Citation,
    ExternalIdentifier,
    FactStatus,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
    Scheme,
)
from tests.test_api_queries import add_rows

pytestmark = pytest.mark.usefixtures("record")

PASSAGE = "les-exclusions-notables-des-membres-initiaux-ed70fad0"


@pytest.fixture(autouse=True)
def no_request_budget(settings):
    settings.API_ANONYMOUS_RATE = None
    cache.clear()


def feed(client, **params):
    response = client.get(reverse("api:change-list"), params)
    assert response.status_code == 200, response.content
    return response.json()


def follow(client, copy, since=None):
    """Apply every change since `since` to `copy`, page by page; the last `changed_at`."""
    params = {"page_size": 7}
    if since is not None:
        params["since"] = since
    url = reverse("api:change-list")
    last = since
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        for change in body["results"]:
            key = (change["type"], change["key"])
            if change["change"] == "deleted":
                copy.pop(key, None)
            elif change["data"] is not None:
                copy[key] = change["data"]
            last = change["changed_at"]
        url, params = body["next"], {}
    return last


def site_record(client):
    response = client.get(reverse("api:export-file", kwargs={"name": "record.jsonl"}))
    rows = [json.loads(line) for line in response.content.decode().splitlines()]
    return {(row["type"], row["key"]): row["fields"] for row in rows}


def edit_the_record():
    """Creations, updates, a deletion, a draft, a withdrawal and a correction."""
    citation = Citation.objects.get(slug=PASSAGE)
    newcomer = Organisation.objects.create(
        name="Hugging Face", slug="hugging-face", kind=OrganisationKind.COMPANY
    )
    Membership.objects.create(
        slug="hugging-face-ai-alliance",
        member=newcomer,
        coalition=Organisation.objects.get(slug="ai-alliance"),
        role=MembershipRole.MEMBER,
        citation=citation,
    )
    ExternalIdentifier.objects.create(
        organisation=newcomer, scheme=Scheme.LEI, value="ABCDEFGHIJKLMNOPQR12"
    )
    Membership.objects.create(
        slug="secret-draft",
        member=Organisation.objects.get(slug="oracle"),
        coalition=Organisation.objects.get(slug="frontier-model-forum"),
        role=MembershipRole.MEMBER,
        citation=citation,
        draft=True,
    )
    withdrawn = Membership.objects.get(slug="ibm-ai-alliance")
    withdrawn.draft = True
    withdrawn.save()
    corrected = Membership.objects.get(slug="intel-ai-alliance")
    corrected.status = FactStatus.DISPUTED
    corrected.correction = "À vérifier."
    corrected.save()
    gone = Person.objects.create(name="Éphémère", slug="ephemere")
    gone.delete()
    ibm = Organisation.objects.get(slug="ibm")
    ibm.description = "Entreprise américaine."
    ibm.save()


def test_a_client_following_the_feed_from_the_start_has_the_record(client):
    copy = {}
    last = follow(client, copy)
    assert copy == site_record(client)

    edit_the_record()
    follow(client, copy, since=last)

    assert copy == site_record(client)
    assert ("membership", "hugging-face-ai-alliance") in copy
    assert ("membership", "ibm-ai-alliance") not in copy
    assert copy["membership", "intel-ai-alliance"]["status"] == FactStatus.DISPUTED
    assert copy["organisation", "ibm"]["description"] == "Entreprise américaine."


def test_the_feed_tells_deletions_and_withdrawals_and_never_names_a_draft(client):
    since = feed(client)["version"]
    edit_the_record()
    changes = feed(client, since=since)["results"]
    said = {(c["type"], c["key"]): c for c in changes}
    assert said["person", "ephemere"]["change"] == "deleted"
    assert said["person", "ephemere"]["data"] is None
    assert said["membership", "ibm-ai-alliance"]["change"] == "deleted"
    assert said["membership", "hugging-face-ai-alliance"]["change"] == "created"
    assert said["membership", "hugging-face-ai-alliance"]["version"] == 1
    assert said["membership", "intel-ai-alliance"]["change"] == "updated"
    assert said["membership", "intel-ai-alliance"]["version"] == 2
    assert ("membership", "secret-draft") not in said
    assert "secret-draft" not in json.dumps(changes)
    moments = [c["changed_at"] for c in changes]
    assert moments == sorted(moments)


def test_since_takes_a_date_a_moment_or_a_version(client):
    everything = feed(client)["count"]
    assert everything > 0
    assert feed(client, since="2000-01-01")["count"] == everything
    assert feed(client, since="2000-01-01T00:00:00Z")["count"] == everything
    assert feed(client, since="2000-01-01T01:00:00+01:00")["count"] == everything
    assert feed(client, since=feed(client)["version"])["count"] == 0


@pytest.mark.parametrize(
    "since",
    [
        "",
        "yesterday",
        "2023-13-45",
        "2023-02-30",
        "2023-12-05T25:00",
        "12/05/2023",
        "1" * 300,
        "20231205103000000000-zzzzzzzzzzzz",
        "99999999999999999999-0123456789ab",
    ],
)
def test_a_bad_since_answers_400_naming_it(client, since):
    response = client.get(reverse("api:change-list"), {"since": since})
    assert response.status_code == 400
    assert "since" in response.json()


@pytest.mark.parametrize(
    "params",
    [
        {"colour": "blue"},
        {"page": "0"},
        {"page_size": "1000"},
        {"since": ["2020-01-01", "2021-01-01"]},
    ],
)
def test_other_bad_parameters_answer_400(client, params):
    response = client.get(reverse("api:change-list"), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_a_page_of_changes_costs_the_same_queries_however_many_rows(
    client, django_assert_max_num_queries
):
    # The record's version, the count, the page, and the current rows of each type on it:
    # bounded by the number of types, never by the number of rows.
    with django_assert_max_num_queries(3 + 15):
        feed(client, page_size=100)
    add_rows(10, "more")
    with django_assert_max_num_queries(3 + 15):
        feed(client, page_size=100)
    with django_assert_max_num_queries(3 + 15):
        feed(client, page_size=100, page=2)

"""The API of a record that lives: periods at their precision, `as_of`, every source,
and corrections that no longer count (every answer also checked against the schema)."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from alliance.api.schema import served_schema
from alliance.models import FactStatus, Membership, Position
from tests import living

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def fresh_request_budget():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rows(record):
    return living.build()


def get(client, name, params=None, status=200, **kwargs):
    response = client.get(reverse(f"api:{name}", kwargs=kwargs or None), params or {})
    assert response.status_code == status, response.content
    return response.json()


def slugs(client, name, params=None):
    return {row["slug"] for row in get(client, f"{name}-list", params)["results"]}


def by_slug(rows):
    return {row["slug"]: row for row in rows}


# Periods and their precision ---------------------------------------------------------------


def test_a_period_is_sent_as_precisely_as_its_source_gives_it(client, rows):
    oracle = get(client, "membership-detail", slug="oracle-ai-alliance")
    assert oracle["started_on"] == "2023-12"
    assert oracle["started_precision"] == "month"
    assert oracle["ended_on"] == "2024-03"
    assert oracle["ended_precision"] == "month"
    assert oracle["start_citation"] is None
    assert oracle["end_citation"]["passage"] == "Oracle a quitté l’AI Alliance en mars 2024"
    assert oracle["end_citation"]["article"]["published_on"] == "2024-12"
    assert oracle["in_force"] is False
    undated = get(client, "membership-detail", slug="stanford-ai-alliance")
    assert undated["started_on"] is None
    assert undated["started_precision"] is None


def test_a_member_that_left_and_rejoined_has_both_periods(client, rows):
    periods = get(client, "membership-list", {"organisation": "oracle"})["results"]
    assert [(p["role"], p["started_on"], p["ended_on"], p["in_force"]) for p in periods] == [
        ("key_contributor", "2023-12", "2024-03", False),
        ("member", "2024-09", None, True),
    ]


def test_a_role_change_keeps_both_periods(client, rows):
    alliance = get(client, "coalition-detail", slug="ai-alliance")
    members = {m["slug"]: m for m in alliance["members"]}
    assert members["hugging-face-ai-alliance"]["role"] == "key_contributor"
    assert members["hugging-face-ai-alliance"]["started_on"] == "2024-06"
    former = by_slug(alliance["former_members"])
    assert former["hugging-face-ai-alliance-member"]["role"] == "member"
    assert former["hugging-face-ai-alliance-member"]["ended_on"] == "2024-06"
    assert set(former) == {"hugging-face-ai-alliance-member", "oracle-ai-alliance"}
    assert alliance["members_on_record"] == 7


def test_roles_are_a_resource_with_their_periods(client, rows):
    gil = get(client, "role-detail", slug="dario-gil-ibm-vice-president-principal")
    assert gil["person"]["slug"] == "dario-gil"
    assert gil["organisation"]["slug"] == "ibm"
    assert gil["title"] == "vice-président principal"
    assert gil["ended_on"] == "2024-08"
    assert gil["in_force"] is False
    assert gil["public_url"] == "http://testserver/fr/people/dario-gil/"
    assert "dario-gil-ibm-vice-president-principal" in slugs(client, "role")


# As of a day ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "members"),
    [
        ("2023-11-30", set()),
        (
            "2024-01-15",
            {"meta", "ibm", "intel", "oracle", "cornell", "national-science-foundation"},
        ),
        ("2024-03-31", {"meta", "ibm", "intel", "cornell", "national-science-foundation"}),
        (
            "2024-10-01",
            {
                "meta",
                "ibm",
                "intel",
                "oracle",
                "cornell",
                "national-science-foundation",
                "hugging-face",
            },
        ),
    ],
)
def test_as_of_before_during_and_after_gives_the_members_of_that_day(client, rows, day, members):
    alliance = get(client, "coalition-detail", {"as_of": day}, slug="ai-alliance")
    assert {m["organisation"]["slug"] for m in alliance["members"]} == members
    assert alliance["members_on_record"] == len(members)
    assert all(m["in_force"] for m in alliance["members"])
    listed = get(client, "coalition-list", {"as_of": day})["results"]
    assert by_slug(listed)["ai-alliance"]["members_on_record"] == len(members)
    assert slugs(client, "organisation", {"coalition": "ai-alliance", "as_of": day}) == members


def test_as_of_on_an_organisation_gives_its_places_and_titles_of_that_day(client, rows):
    before = get(client, "organisation-detail", {"as_of": "2023-06-30"}, slug="oracle")
    assert before["places"] == []
    assert before["former_places"] == []
    during = get(client, "organisation-detail", {"as_of": "2024-01-15"}, slug="oracle")
    assert [p["slug"] for p in during["places"]] == ["oracle-ai-alliance"]
    after = get(client, "organisation-detail", {"as_of": "2024-06-30"}, slug="oracle")
    assert after["places"] == []
    assert [p["slug"] for p in after["former_places"]] == ["oracle-ai-alliance"]
    ibm = get(client, "organisation-detail", {"as_of": "2024-07-31"}, slug="ibm")
    assert "dario-gil-ibm-vice-president-principal" in {r["slug"] for r in ibm["roles"]}
    ibm = get(client, "organisation-detail", {"as_of": "2024-08-01"}, slug="ibm")
    assert "dario-gil-ibm-vice-president-principal" in {r["slug"] for r in ibm["former_roles"]}


def test_as_of_on_the_lists_of_memberships_and_roles(client, rows):
    march = slugs(client, "membership", {"coalition": "ai-alliance", "as_of": "2024-03-31"})
    assert "oracle-ai-alliance" not in march
    assert "intel-ai-alliance" in march
    assert "stanford-ai-alliance" in march  # an undated absence always is
    january = slugs(client, "membership", {"organisation": "oracle", "as_of": "2024-01-15"})
    assert january == {"oracle-ai-alliance"}
    held = slugs(client, "role", {"person": "dario-gil", "as_of": "2024-07-31"})
    assert "dario-gil-ibm-vice-president-principal" in held
    gone = slugs(client, "role", {"person": "dario-gil", "as_of": "2024-08-01"})
    assert "dario-gil-ibm-vice-president-principal" not in gone
    detail = get(client, "membership-detail", {"as_of": "2024-01-15"}, slug="oracle-ai-alliance")
    assert detail["in_force"] is True


@pytest.mark.parametrize("day", ["2024-03-31", "2024-10-01", "2023-01-01"])
def test_the_list_of_a_day_is_the_one_rule_of_that_day(client, rows, day):
    listed = get(client, "membership-list", {"as_of": day, "page_size": 100})["results"]
    present = {m["slug"] for m in listed if not m["is_absence"]}
    on = datetime.date.fromisoformat(day)
    assert present == set(Membership.objects.counting(on).values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("membership-list", {}),
        ("role-list", {}),
        ("coalition-list", {}),
        ("organisation-list", {}),
        ("coalition-detail", {"slug": "ai-alliance"}),
        ("organisation-detail", {"slug": "ibm"}),
        ("person-detail", {"slug": "dario-gil"}),
        ("membership-detail", {"slug": "ibm-ai-alliance"}),
        ("role-detail", {"slug": "dario-gil-ibm-vice-president-principal"}),
    ],
)
@pytest.mark.parametrize("day", ["2024-13-01", "yesterday", "31/03/2024"])
def test_an_as_of_that_is_not_a_date_answers_400_naming_it(client, record, name, kwargs, day):
    response = client.get(reverse(f"api:{name}", kwargs=kwargs or None), {"as_of": day})
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"as_of"}


def test_as_of_is_refused_where_it_means_nothing(client, rows):
    response = client.get(reverse("api:position-list"), {"as_of": "2024-01-01"})
    assert response.status_code == 400
    assert set(response.json()) == {"as_of"}
    repeated = client.get(
        reverse("api:coalition-detail", kwargs={"slug": "ai-alliance"})
        + "?as_of=2024-01-01&as_of=2024-02-01"
    )
    assert repeated.status_code == 400
    assert set(repeated.json()) == {"as_of"}


# Sources ---------------------------------------------------------------------------------


def test_every_source_is_listed_the_earliest_article_first(client, rows):
    llama = get(client, "ai-system-detail", slug="llama-2")
    assert [s["article"]["slug"] for s in llama["sources"]] == [living.EARLIER, living.ARTICLE]
    assert llama["citation"]["article"]["slug"] == living.ARTICLE  # the first report
    intel = by_slug(get(client, "coalition-detail", slug="ai-alliance")["members"])[
        "intel-ai-alliance"
    ]
    assert [s["article"]["published_on"] for s in intel["sources"]] == ["2023-12", "2024-12"]


def test_articles_carry_their_outlet_authors_and_date_precision(client, rows):
    articles = by_slug(get(client, "article-list")["results"])
    seed = articles[living.ARTICLE]
    assert seed["outlet"] is None
    assert seed["authors"] == ""
    assert seed["source_url"] == ""
    assert seed["published_on"] == "2023-12"
    assert seed["date_precision"] == "month"
    later = articles[living.LATER]
    assert later["outlet"]["slug"] == "wall-street-journal"
    assert later["authors"] == "Jeanne Martin"


# Corrections -----------------------------------------------------------------------------


def test_a_corrected_membership_is_gone_from_default_lists_and_filters(client, rows):
    before = get(client, "coalition-detail", slug="ai-alliance")["members_on_record"]
    cornell = living.correct_cornell(rows)
    assert cornell.slug not in slugs(client, "membership", {"coalition": "ai-alliance"})
    assert "cornell" not in slugs(client, "organisation", {"coalition": "ai-alliance"})
    assert "ai-alliance" not in slugs(client, "coalition", {"member": "cornell"})
    alliance = get(client, "coalition-detail", slug="ai-alliance")
    assert alliance["members_on_record"] == before - 1
    assert cornell.slug not in {m["slug"] for m in alliance["members"]}
    (corrected,) = alliance["corrected_members"]
    assert corrected["status"] == "corrected"
    assert corrected["in_force"] is False
    assert corrected["citation"]["paragraph"] == 1  # the claim and its passage stay
    assert corrected["correction_citation"]["article"]["slug"] == living.LATER
    assert corrected["correction_citation"]["paragraph"] == 5
    # `status` brings corrected facts back into a list.
    asked = slugs(client, "membership", {"status": ["corrected"], "coalition": "ai-alliance"})
    assert asked == {cornell.slug}
    both = slugs(client, "membership", {"status": ["as_reported", "corrected"]})
    assert cornell.slug in both
    assert "meta-frontier-model-forum" in both


def test_a_retracted_stance_leaves_the_lists_and_the_leaning_filter(client, rows):
    Position.objects.filter(slug="openai-open-source-ai").update(
        status=FactStatus.RETRACTED,
        correction="La source a été retirée.",
        correction_source="https://example.org/retractation",
        correction_source_title="Rétractation",
    )
    assert "openai-open-source-ai" not in slugs(client, "position")
    assert "openai" not in slugs(client, "organisation", {"leaning": "closed"})
    retracted = get(client, "position-list", {"status": "retracted"})["results"]
    assert [p["correction_source_title"] for p in retracted] == ["Rétractation"]
    openai = get(client, "organisation-detail", slug="openai")
    assert openai["positions"] == []
    assert [p["status"] for p in openai["corrected_positions"]] == ["retracted"]


def test_a_disputed_membership_still_counts_and_says_so(client, rows):
    Membership.objects.filter(slug="intel-ai-alliance").update(
        status=FactStatus.DISPUTED, correction="Intel aurait rejoint plus tard."
    )
    alliance = get(client, "coalition-detail", slug="ai-alliance")
    intel = by_slug(alliance["members"])["intel-ai-alliance"]
    assert intel["status"] == "disputed"
    assert intel["in_force"] is True
    assert alliance["members_on_record"] == 7
    assert "intel-ai-alliance" in slugs(client, "membership")


def test_a_draft_article_and_its_facts_stay_out_of_the_api(client, rows):
    later = rows["later"]
    later.draft = True
    later.save()
    assert living.LATER not in slugs(client, "article")
    assert "oracle-ai-alliance-2024" not in slugs(client, "membership")
    response = client.get(
        reverse("api:membership-detail", kwargs={"slug": "oracle-ai-alliance-2024"})
    )
    assert response.status_code == 404


# The schema says so ----------------------------------------------------------------------


def schema():
    return json.loads(served_schema("en", JSONRenderer))


def parameters(document, path):
    return {p["name"]: p for p in document["paths"][path]["get"].get("parameters", [])}


def test_the_schema_documents_as_of_and_the_default_status(db):
    document = schema()
    for path in (
        "/api/v1/memberships/",
        "/api/v1/roles/",
        "/api/v1/coalitions/",
        "/api/v1/organisations/",
        "/api/v1/memberships/{slug}/",
        "/api/v1/roles/{slug}/",
        "/api/v1/coalitions/{slug}/",
        "/api/v1/organisations/{slug}/",
        "/api/v1/people/{slug}/",
    ):
        as_of = parameters(document, path)["as_of"]
        assert as_of["schema"]["format"] == "date", path
    for path in ("/api/v1/memberships/", "/api/v1/roles/", "/api/v1/positions/"):
        status = parameters(document, path)["status"]
        assert "never corrected or retracted" in status["description"], path
    description = document["paths"]["/api/v1/memberships/"]["get"]["description"]
    assert "`status` asks for any statuses" in description
    membership = document["components"]["schemas"]["Membership"]["properties"]
    assert {"started_precision", "start_citation", "sources", "in_force"} <= set(membership)

"""The main lists and the API list run as many queries at ten rows as at ten thousand.

And the lists' filters, orderings and deep pages use the indexes migration 0003 adds.
"""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alliance.freshness import changes
from alliance.models import DatePrecision, Leaning, Membership, MembershipRole, Position, Topic
from alliance.public.story import PICTURE_HOLDERS, PICTURE_PLACES
from alliance.public.views.home import (
    HOME_PLACES,
    STORY_RELATIONS,
    featured_coalition,
)
from alliance.scale import Sizes, generate


@pytest.fixture(autouse=True)
def computed_afresh(settings):
    settings.PAGE_CACHE = False
    settings.KEPT_PAGES = False
    settings.API_ANONYMOUS_RATE = None


def sizes(organisations):
    return Sizes(
        organisations=organisations,
        people=organisations // 5,
        coalitions=3,
        positions=organisations,
        articles=2,
        topics=4,
        ai_systems=organisations // 20,
    )


def urls():
    """{what: address}: the lists, and a coalition's pages as of two days."""
    coalition = featured_coalition().slug
    with translation.override("fr"):
        organisations = reverse("public:organisation-list")
        home = reverse("public:home")
        coalition_page = reverse("public:coalition-detail", kwargs={"slug": coalition})
    api = reverse("api:organisation-list")
    memberships = reverse("api:membership-list")
    coalition_api = reverse("api:coalition-detail", kwargs={"slug": coalition})
    return {
        "home": home,
        "organisations": organisations,
        "organisations by kind": organisations + "?kind=company",
        "organisations found": organisations + "?q=a",
        "organisations by leaning": organisations + "?leaning=open",
        "members on a day": organisations + f"?coalition={coalition}&as_of=2030-01-01",
        "coalition": coalition_page,
        "coalition on a day": coalition_page + "?as_of=2030-01-01",
        "api": api,
        "api by kind": api + "?kind=company",
        "api found": api + "?search=a",
        "api by leaning": api + "?leaning=open&ordering=-name",
        "api members on a day": api + f"?coalition={coalition}&as_of=2030-01-01",
        "api memberships on a day": memberships + "?as_of=2030-01-01",
        "api coalition on a day": coalition_api + "?as_of=2030-01-01",
    }


def add_periods():
    """A third of the memberships ended in 2025, and each of those joined again in 2026."""
    ended = list(Membership.objects.present().filter(ended_on__isnull=True))[::3]
    Membership.objects.filter(pk__in=[m.pk for m in ended]).update(
        ended_on=datetime.date(2025, 3, 1), ended_precision=DatePrecision.MONTH
    )
    Membership.objects.bulk_create(
        Membership(
            slug=f"{membership.slug}-again",
            member_id=membership.member_id,
            coalition_id=membership.coalition_id,
            role=membership.role,
            citation_id=membership.citation_id,
            started_on=datetime.date(2026, 1, 1),
            started_precision=DatePrecision.YEAR,
        )
        for membership in ended
    )


def deep_urls():
    with translation.override("fr"):
        organisations = reverse("public:organisation-list")
    api = reverse("api:organisation-list")
    return [(organisations, organisations + "?page=200"), (api, api + "?page=200")]


def count_queries(client, url):
    # Counted in full: generated rows all carry one date, so the record's version does
    # not move between two generations; nothing is kept from an earlier request.
    caches["per-version"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.slow
def test_lists_run_the_same_queries_at_ten_rows_and_at_ten_thousand(client, no_record):
    generate(sizes(10), seed=5, progress_stream=None)
    add_periods()
    # Django looks each model's content type up once per process: not a query per page.
    for url in urls().values():
        count_queries(client, url)
    few = {name: count_queries(client, url) for name, url in urls().items()}
    generate(sizes(10_000), seed=5, progress_stream=None)
    add_periods()
    many = {name: count_queries(client, url) for name, url in urls().items()}
    assert few == many
    for first, deep in deep_urls():
        assert count_queries(client, deep) == count_queries(client, first), deep
    # The home page's picture draws the first holders of each leaning, the places the
    # home page names and the parties of the first relations, not all ten thousand.
    content = client.get(urls()["home"]).content.decode()
    wide = content[content.index('class="chart-svg story-wide"') :]
    marks = wide[: wide.index("</svg>")].count('class="chart-mark')
    most = len(Leaning.values) * 2 * PICTURE_HOLDERS + 4 * PICTURE_PLACES + 2 * STORY_RELATIONS
    assert 0 < marks <= most


def plan(sql, params=()):
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test tables are nearly empty, and their statistics are whatever earlier
            # tests left: ask whether an index can serve, not what costs least today.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute(explain + sql, params)
        return " ".join(str(cell) for row in cursor.fetchall() for cell in row)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sql", "index"),
    [
        ("SELECT id FROM alliance_organisation ORDER BY name, slug LIMIT 25 OFFSET 5000", "name"),
        (
            "SELECT id FROM alliance_organisation WHERE kind = 'company' ORDER BY name, slug "
            "LIMIT 25",
            "kind",
        ),
        ("SELECT MAX(updated_at) FROM alliance_position", "position_updated_idx"),
        ("SELECT organisation_id FROM alliance_position WHERE leaning = 'open'", "leaning"),
        ("SELECT member_id FROM alliance_membership WHERE coalition_id = 1", "coalition"),
    ],
)
def test_filters_orderings_and_the_last_change_use_an_index(sql, index):
    found = plan(sql)
    assert "index" in found.lower(), found
    assert index in found, found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ordering", "index"),
    [
        (("topic_name", "leaning_rank", "slug"), "position_listed_idx"),  # the public list
        (("topic_name", "leaning", "slug"), "position_api_order_idx"),  # the API's
    ],
)
def test_the_positions_lists_walk_an_index_instead_of_sorting(ordering, index):
    queryset = Position.objects.public().order_by(*ordering)[1000:1100]
    sql, params = queryset.query.sql_with_params()
    found = plan(sql, params)
    assert index in found, found
    assert "TEMP B-TREE" not in found, found  # SQLite's word for a sort


@pytest.mark.django_db
def test_search_uses_a_trigram_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only; SQLite scans search_text")
    found = plan("SELECT id FROM alliance_organisation WHERE search_text LIKE %s", ["%alliance%"])
    assert "organisation_search_trgm_idx" in found, found


@pytest.mark.django_db
def test_queries_run_often_are_prepared_once_per_connection_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite plans it in microseconds: nothing to prepare")
    for _ in range(6):  # psycopg prepares a query at its fifth run on a connection.
        changes()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["SELECT part, MAX(changed) FROM%"],
        )
        assert cursor.fetchone() == (1,)


def test_home_names_the_first_places_of_each_role_and_links_to_the_rest(client, no_record):
    generate(sizes(400), seed=3, progress_stream=None)
    coalition = featured_coalition()
    members = list(
        coalition.memberships.filter(role=MembershipRole.MEMBER).select_related("member")
    )
    assert len(members) > HOME_PLACES
    with translation.override("fr"):
        content = client.get(reverse("public:home")).content.decode()
    named = {m.slug for m in members if f'id="{m.slug}"' in content}
    first = sorted(members, key=lambda m: (m.member.name, m.member.slug))[:HOME_PLACES]
    assert named == {m.slug for m in first}
    more = len(members) - HOME_PLACES
    assert f"et {more} autres, sur la page de la coalition" in content
    # The picture draws fewer, and says so.
    wide = content[content.index('class="chart-svg story-wide"') :]
    wide = wide[: wide.index("</svg>")]
    assert all(f'href="{m.member.get_absolute_url()}"' in wide for m in first[:PICTURE_PLACES])
    caption = content[content.index('id="story-caption"') :]
    assert "Pour rester lisible, elle laisse de côté" in caption[: caption.index("</figcaption>")]


def test_renaming_a_topic_moves_its_positions_in_the_lists(client, record):
    url = reverse("api:position-list") + "?page_size=100"
    topic = Topic.objects.create(slug="first-topic", name="Aaa, en premier")
    position = Position.objects.public().first()
    position.pk, position.slug, position.topic = None, "first-topic-stance", topic
    position.save()
    last = client.get(url).json()["results"][-1]["topic"]
    assert client.get(url).json()["results"][0]["topic"] == topic.slug
    topic.name = "Zzz, en dernier"
    topic.save()
    assert client.get(url).json()["results"][-1]["topic"] == topic.slug
    with translation.override("fr"):
        page = client.get(reverse("public:position-list")).content.decode()
    assert page.index(f'id="topic-{topic.slug}"') > page.index(f'id="topic-{last}"')

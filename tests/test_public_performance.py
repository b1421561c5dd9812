"""Every page runs a fixed number of queries, and answers conditional requests with 304."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alliance.models import (
    AISystem,
    Article,
    Citation,
    Coalition,
    DatePrecision,
    Leaning,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
    Position,
    Role,
    Source,
    Topic,
)
from tests.conftest import rows_for_the_scope

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"

#: Each page with the most queries it may run, whatever the number of rows or periods.
#: A list of facts costs one more query for their further sources; a party's identifiers
#: (its page and its JSON-LD's sameAs) one more; a coalition's picture three (the
#: relations, the stances and the titles of the people it draws).
PAGES = [
    ("public:home", {}, "", 13),
    ("public:search", {}, "?q=a", 15),
    ("public:coalition-list", {}, "", 2),
    ("public:coalition-detail", {"slug": "ai-alliance"}, "", 15),
    ("public:coalition-detail", {"slug": "ai-alliance"}, "?as_of=2023-03-15", 15),
    ("public:coalition-detail", {"slug": "ai-alliance"}, "?as_of=2024-06-30", 15),
    ("public:organisation-list", {}, "?kind=company&leaning=open&coalition=ai-alliance", 6),
    ("public:organisation-list", {}, "?coalition=ai-alliance&as_of=2024-01-15", 6),
    ("public:organisation-detail", {"slug": "ibm"}, "", 16),
    ("public:organisation-detail", {"slug": "ibm"}, "?as_of=2023-03-15", 16),
    ("public:person-list", {}, "", 4),
    ("public:person-detail", {"slug": "dario-gil"}, "", 10),
    ("public:person-detail", {"slug": "dario-gil"}, "?as_of=2023-03-15", 10),
    ("public:position-list", {}, "?leaning=open", 5),
    ("public:article-list", {}, "", 4),
    ("public:article-detail", {"slug": ARTICLE}, "", 13),
    ("public:aisystem-list", {}, "", 4),
    ("public:aisystem-detail", {"slug": "watsonx"}, "", 4),
    ("public:about", {}, "", 5),
    ("public:article-feed", {}, "", 3),
    ("public:membership-feed", {}, "", 3),
]


def address(name, kwargs, query=""):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None) + query


def add_rows(count):
    """`count` more organisations, people, memberships, positions and passages; members
    that joined, left and joined again, titles given up, facts with several sources."""
    article = Article.objects.get(slug=ARTICLE)
    alliance = Coalition.objects.get(slug="ai-alliance")
    ibm = Organisation.objects.get(slug="ibm")
    gil = Person.objects.get(slug="dario-gil")
    topic = Topic.objects.get()
    citation, later = Citation.objects.filter(article=article)[:2]
    for index in range(count):
        organisation = Organisation.objects.create(
            name=f"Extra {index}", slug=f"extra-{index}", kind=OrganisationKind.COMPANY
        )
        first = Membership.objects.create(
            slug=f"extra-{index}-ai-alliance-first",
            member=organisation,
            coalition=alliance,
            role=MembershipRole.MEMBER,
            citation=citation,
            started_on=datetime.date(2023, 1, 1),
            started_precision=DatePrecision.MONTH,
            ended_on=datetime.date(2023, 6, 1),
            ended_precision=DatePrecision.MONTH,
            start_citation=later,
            end_citation=later,
        )
        Source.objects.create(fact=first, citation=later)
        Membership.objects.create(
            slug=f"extra-{index}-ai-alliance",
            member=organisation,
            coalition=alliance,
            role=MembershipRole.MEMBER,
            citation=citation,
            started_on=datetime.date(2023, 12, 1),
            started_precision=DatePrecision.MONTH,
        )
        person = Person.objects.create(name=f"Person {index}", slug=f"person-{index}")
        Role.objects.create(
            slug=f"person-{index}-role",
            person=person,
            organisation=organisation,
            title="chercheuse",
            citation=citation,
        )
        for holder in (ibm, organisation):
            role = Role.objects.create(
                slug=f"gil-{index}-{holder.slug}-former",
                person=gil,
                organisation=holder,
                title=f"ancien titre {index}",
                citation=citation,
                ended_on=datetime.date(2023, 3, 1),
                ended_precision=DatePrecision.YEAR,
            )
            Source.objects.create(fact=role, citation=later)
        for holder in ({"organisation": organisation}, {"person": person}):
            Position.objects.create(
                slug=f"extra-{index}-{next(iter(holder))}",
                topic=topic,
                leaning=Leaning.OPEN,
                summary="Pour une IA ouverte.",
                is_quote=True,
                citation=citation,
                **holder,
            )
        # IBM's systems grow too: Watsonx's page lists its siblings.
        system = AISystem.objects.create(
            slug=f"extra-{index}-system", name=f"System {index}", owner=ibm, citation=citation
        )
        Source.objects.create(fact=system, citation=later)
    # More passages in the article, so its page has more marks and notes to draw.
    for paragraph in article.paragraphs.all():
        words = paragraph.text.split()
        for length in (2, 3):
            passage = " ".join(words[:length])
            Citation.objects.get_or_create(article=article, passage=passage)
    Article.objects.create(
        title="Une autre source", slug="une-autre-source", published_on="2024-01-01", language="fr"
    )


def count_queries(client, url):
    # Counted in full: nothing kept from an earlier request (`once_per_version`).
    caches["per-version"].clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:1000]
    return len(context.captured_queries)


@pytest.fixture(scope="class")
def queries_on_the_record(django_db_setup, django_db_blocker):
    """Each page's query count on the real record alone; then 30 more rows of each kind.

    Counted and added once for the class's tests, and rolled back after them. The page
    cache is off and no page is kept, so each request is counted in full.
    """
    counts = {}

    def count_then_grow():
        client = Client()
        with override_settings(PAGE_CACHE=False, KEPT_PAGES=False):
            for name, kwargs, query, _limit in PAGES:
                url = address(name, kwargs, query)
                # Django looks each model's content type up once per process (further
                # sources are found through it): a first request pays for that.
                count_queries(client, url)
                counts[url] = count_queries(client, url)
        add_rows(30)

    with rows_for_the_scope(django_db_blocker, count_then_grow):
        yield counts


class TestQueriesAtTwoDataSizes:
    @pytest.mark.parametrize(("name", "kwargs", "query", "limit"), PAGES)
    def test_page_runs_a_fixed_number_of_queries_at_two_data_sizes(
        self,
        client,
        record,
        settings,
        queries_on_the_record,
        django_assert_max_num_queries,
        name,
        kwargs,
        query,
        limit,
    ):
        settings.PAGE_CACHE = False
        settings.KEPT_PAGES = False
        url = address(name, kwargs, query)
        small = queries_on_the_record[url]
        assert small <= limit, f"{small} queries on the record alone, {limit} at most"
        with django_assert_max_num_queries(limit):
            large = count_queries(client, url)
        assert large == small


@pytest.mark.parametrize(("name", "kwargs", "query", "limit"), PAGES)
def test_page_sends_validators_and_answers_304_when_unchanged(
    client, record, name, kwargs, query, limit
):
    url = address(name, kwargs, query)
    response = client.get(url)
    assert response.has_header("ETag")
    assert response.has_header("Last-Modified")
    by_etag = client.get(url, headers={"if-none-match": response["ETag"]})
    assert by_etag.status_code == 304
    by_date = client.get(url, headers={"if-modified-since": response["Last-Modified"]})
    assert by_date.status_code == 304


def test_an_edit_makes_cached_pages_stale(client, record):
    url = address("public:coalition-detail", {"slug": "ai-alliance"})
    etag = client.get(url)["ETag"]
    organisation = Organisation.objects.get(slug="mit")
    organisation.description = "Institut de technologie du Massachusetts."
    organisation.save()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_a_deletion_makes_cached_pages_stale(client, record):
    url = address("public:coalition-detail", {"slug": "ai-alliance"})
    response = client.get(url)
    Membership.objects.get(slug="adept-ai-alliance").delete()
    again = client.get(url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 200
    assert b'id="adept-ai-alliance"' not in again.content


def test_the_two_languages_have_different_etags(client, record):
    french = client.get(address("public:home", {}))["ETag"]
    with translation.override("en"):
        english = client.get(reverse("public:home"))["ETag"]
    assert french != english


def test_a_deploy_that_changes_templates_makes_cached_pages_stale(client, record, monkeypatch):
    from alliance import freshness

    url = address("public:home", {})
    etag = client.get(url)["ETag"]
    changed = freshness.release().changed
    monkeypatch.setattr(freshness, "release", lambda: freshness.Release("another-look", changed))
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200

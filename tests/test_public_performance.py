"""Every page runs a fixed number of queries, and answers conditional requests with 304."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alliance.models import (
    Article,
    Citation,
    Coalition,
    Leaning,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
    Position,
    Role,
    Topic,
)
from tests.conftest import rows_for_the_scope

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"

#: Each page with the most queries it may run, whatever the number of rows. A party's
#: identifiers (its page and its JSON-LD's sameAs) cost one.
PAGES = [
    ("public:home", {}, "", 7),
    ("public:search", {}, "?q=a", 7),
    ("public:coalition-list", {}, "", 2),
    ("public:coalition-detail", {"slug": "ai-alliance"}, "", 6),
    ("public:organisation-list", {}, "?kind=company&leaning=open&coalition=ai-alliance", 6),
    ("public:organisation-detail", {"slug": "ibm"}, "", 8),
    ("public:person-list", {}, "", 4),
    ("public:person-detail", {"slug": "dario-gil"}, "", 5),
    ("public:position-list", {}, "?leaning=open", 4),
    ("public:article-list", {}, "", 3),
    ("public:article-detail", {"slug": ARTICLE}, "", 9),
    ("public:article-feed", {}, "", 3),
    ("public:membership-feed", {}, "", 3),
]


def address(name, kwargs, query=""):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None) + query


def add_rows(count):
    """`count` more organisations, people, memberships, positions and passages."""
    article = Article.objects.get(slug=ARTICLE)
    alliance = Coalition.objects.get(slug="ai-alliance")
    topic = Topic.objects.get()
    citation = Citation.objects.filter(article=article).first()
    for index in range(count):
        organisation = Organisation.objects.create(
            name=f"Extra {index}", slug=f"extra-{index}", kind=OrganisationKind.COMPANY
        )
        Membership.objects.create(
            slug=f"extra-{index}-ai-alliance",
            member=organisation,
            coalition=alliance,
            role=MembershipRole.MEMBER,
            citation=citation,
        )
        person = Person.objects.create(name=f"Person {index}", slug=f"person-{index}")
        Role.objects.create(
            slug=f"person-{index}-role",
            person=person,
            organisation=organisation,
            title="chercheuse",
            citation=citation,
        )
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
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:1000]
    return len(context.captured_queries)


@pytest.fixture(scope="class")
def queries_on_the_record(django_db_setup, django_db_blocker):
    """Each page's query count on the real record alone; then 30 more rows of each kind.

    Counted and added once for the class's tests, and rolled back after them.
    """
    counts = {}

    def count_then_grow():
        cache.clear()
        client = Client()
        for name, kwargs, query, _limit in PAGES:
            url = address(name, kwargs, query)
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
        queries_on_the_record,
        django_assert_max_num_queries,
        name,
        kwargs,
        query,
        limit,
    ):
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
    from alliance.public import caching

    url = address("public:home", {})
    etag = client.get(url)["ETag"]
    _digest, changed = caching.presentation()
    monkeypatch.setattr(caching, "presentation", lambda: ("another-look", changed))
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200

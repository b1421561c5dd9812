"""Every list and detail runs a fixed number of SQL queries, whatever the number of rows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.models import (
    AISystem,
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

pytestmark = [
    pytest.mark.usefixtures("record"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"
LISTS = [
    "organisation",
    "coalition",
    "person",
    "membership",
    "position",
    "article",
    "ai-system",
    "citation",
]
DETAILS = [
    ("organisation", "ibm"),
    ("coalition", "ai-alliance"),
    ("person", "dario-gil"),
    ("membership", "ibm-ai-alliance"),
    ("position", "openai-open-source-ai"),
    ("article", ARTICLE),
    ("ai-system", "watsonx"),
]


@pytest.fixture(autouse=True)
def no_request_budget(settings):
    settings.API_ANONYMOUS_RATE = None
    cache.clear()


def add_rows(count, prefix):
    """More of everything, linked to IBM, the alliance and one citation."""
    citation = Citation.objects.get(slug="les-exclusions-notables-des-membres-initiaux-ed70fad0")
    alliance = Coalition.objects.get(slug="ai-alliance")
    ibm = Organisation.objects.get(slug="ibm")
    topic = Topic.objects.get(slug="open-source-ai")
    for number in range(count):
        organisation = Organisation.objects.create(
            name=f"{prefix} {number}", slug=f"{prefix}-{number}", kind=OrganisationKind.COMPANY
        )
        Membership.objects.create(
            slug=f"{prefix}-{number}-ai-alliance",
            member=organisation,
            coalition=alliance,
            role=MembershipRole.MEMBER,
            citation=citation,
        )
        person = Person.objects.create(
            name=f"{prefix} person {number}", slug=f"{prefix}-p-{number}"
        )
        Role.objects.create(
            slug=f"{prefix}-role-{number}",
            person=person,
            organisation=ibm,
            title=f"title {number}",
            citation=citation,
        )
        for holder in ({"organisation": organisation}, {"person": person}):
            Position.objects.create(
                slug=f"{prefix}-{number}-{next(iter(holder))}",
                topic=topic,
                leaning=Leaning.CLOSED,
                summary="s",
                citation=citation,
                **holder,
            )
        AISystem.objects.create(
            slug=f"{prefix}-system-{number}", name=f"S {number}", owner=ibm, citation=citation
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def all_urls():
    urls = [reverse(f"api:{name}-list") for name in LISTS]
    urls += [reverse(f"api:{name}-detail", kwargs={"slug": slug}) for name, slug in DETAILS]
    citation = Citation.objects.get(slug="les-exclusions-notables-des-membres-initiaux-ed70fad0")
    urls.append(reverse("api:citation-detail", kwargs={"slug": citation.slug}))
    urls.append(
        reverse("api:organisation-list") + "?coalition=ai-alliance&role=founder&role=member"
    )
    urls.append(reverse("api:position-list") + "?affiliated_with=ibm&ordering=-leaning")
    return urls


def test_query_count_does_not_grow_with_rows(client):
    urls = all_urls()
    before = {url: count_queries(client, url) for url in urls}
    add_rows(3, "few")
    after_few = {url: count_queries(client, url) for url in urls}
    add_rows(20, "many")
    after_many = {url: count_queries(client, url) for url in urls}
    assert before == after_few == after_many


@pytest.mark.parametrize(
    ("url_name", "slug", "most"),
    [
        ("organisation-list", None, 3),
        ("coalition-list", None, 3),
        ("person-list", None, 3),
        ("membership-list", None, 3),
        ("position-list", None, 3),
        ("article-list", None, 3),
        ("ai-system-list", None, 3),
        ("citation-list", None, 7),
        ("organisation-detail", "ibm", 7),
        ("coalition-detail", "ai-alliance", 5),
        ("membership-detail", "ibm-ai-alliance", 2),
    ],
)
def test_query_count_stays_small(client, django_assert_max_num_queries, url_name, slug, most):
    add_rows(5, "extra")
    url = reverse(f"api:{url_name}", kwargs={"slug": slug} if slug else None)
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200

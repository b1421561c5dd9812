"""Every list and detail runs a fixed number of SQL queries, whatever the number of rows."""

import datetime

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.models import (
    AISystem,
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
    "role",
    "position",
    "article",
    "ai-system",
    "citation",
]
AS_OF_LISTS = ["organisation", "coalition", "membership", "role"]
AS_OF_DETAILS = {"organisation", "coalition", "person", "membership", "role"}
DETAILS = [
    ("organisation", "ibm"),
    ("coalition", "ai-alliance"),
    ("person", "dario-gil"),
    ("membership", "ibm-ai-alliance"),
    ("role", "dario-gil-ibm-vice-president-principal"),
    ("position", "openai-open-source-ai"),
    ("article", ARTICLE),
    ("ai-system", "watsonx"),
]


@pytest.fixture(autouse=True)
def no_request_budget(settings):
    settings.API_ANONYMOUS_RATE = None
    # Each request is answered afresh, and counted.
    settings.PAGE_CACHE = False
    settings.KEPT_PAGES = False
    cache.clear()


def add_rows(count, prefix):
    """More of everything, linked to IBM, the alliance and one citation: members that
    joined, left and joined again, titles given up, facts with several sources."""
    citation = Citation.objects.get(slug="les-exclusions-notables-des-membres-initiaux-ed70fad0")
    later = Citation.objects.get(slug="meta-platforms-et-international-business-machines-af75ecac")
    alliance = Coalition.objects.get(slug="ai-alliance")
    ibm = Organisation.objects.get(slug="ibm")
    topic = Topic.objects.get(slug="open-source-ai")
    for number in range(count):
        organisation = Organisation.objects.create(
            name=f"{prefix} {number}", slug=f"{prefix}-{number}", kind=OrganisationKind.COMPANY
        )
        left = Membership.objects.create(
            slug=f"{prefix}-{number}-ai-alliance-first",
            member=organisation,
            coalition=alliance,
            role=MembershipRole.MEMBER,
            citation=citation,
            started_on=datetime.date(2023, 1, 1),
            started_precision=DatePrecision.YEAR,
            ended_on=datetime.date(2023, 6, 1),
            ended_precision=DatePrecision.MONTH,
            start_citation=later,
            end_citation=later,
        )
        Source.objects.create(fact=left, citation=later)
        Membership.objects.create(
            slug=f"{prefix}-{number}-ai-alliance",
            member=organisation,
            coalition=alliance,
            role=MembershipRole.MEMBER,
            citation=citation,
            started_on=datetime.date(2023, 11, 1),
            started_precision=DatePrecision.MONTH,
        )
        Role.objects.create(
            slug=f"{prefix}-former-role-{number}",
            person=Person.objects.get(slug="dario-gil"),
            organisation=organisation,
            title=f"ancien titre {number}",
            citation=citation,
            ended_on=datetime.date(2023, 3, 1),
            ended_precision=DatePrecision.MONTH,
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
    # Counted in full: nothing kept from an earlier request (`once_per_version`).
    caches["per-version"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def all_urls():
    urls = [reverse(f"api:{name}-list") for name in LISTS]
    urls += [reverse(f"api:{name}-detail", kwargs={"slug": slug}) for name, slug in DETAILS]
    # The record as it stood on a day, before, during and after the added periods.
    for day in ("2023-03-15", "2023-12-15", "2030-01-01"):
        urls += [reverse(f"api:{name}-list") + f"?as_of={day}" for name in AS_OF_LISTS]
        urls += [
            reverse(f"api:{name}-detail", kwargs={"slug": slug}) + f"?as_of={day}"
            for name, slug in DETAILS
            if name in AS_OF_DETAILS
        ]
    urls.append(reverse("api:membership-list") + "?status=corrected&status=as_reported")
    citation = Citation.objects.get(slug="les-exclusions-notables-des-membres-initiaux-ed70fad0")
    urls.append(reverse("api:citation-detail", kwargs={"slug": citation.slug}))
    urls.append(
        reverse("api:organisation-list") + "?coalition=ai-alliance&role=founder&role=member"
    )
    urls.append(reverse("api:organisation-list") + "?coalition=ai-alliance&as_of=2024-01-15")
    urls.append(reverse("api:position-list") + "?affiliated_with=ibm&ordering=-leaning")
    return urls


def test_query_count_does_not_grow_with_rows(client):
    urls = all_urls()
    for url in urls:
        # Django looks each model's content type up once per process (for the further
        # sources): not a query per request.
        count_queries(client, url)
    before = {url: count_queries(client, url) for url in urls}
    add_rows(3, "few")
    after_few = {url: count_queries(client, url) for url in urls}
    add_rows(20, "many")
    after_many = {url: count_queries(client, url) for url in urls}
    assert before == after_few == after_many


#: Lists and details of facts prefetch their further sources (one query), whose content
#: type Django looks up once per process (one more, the first time).
@pytest.mark.parametrize(
    ("url_name", "slug", "most"),
    [
        ("organisation-list", None, 3),
        ("coalition-list", None, 3),
        ("person-list", None, 3),
        ("membership-list", None, 5),
        ("role-list", None, 5),
        ("position-list", None, 5),
        ("article-list", None, 3),
        ("ai-system-list", None, 5),
        ("citation-list", None, 9),
        ("organisation-detail", "ibm", 10),
        ("coalition-detail", "ai-alliance", 5),
        ("person-detail", "dario-gil", 7),
        ("membership-detail", "ibm-ai-alliance", 4),
        ("role-detail", "dario-gil-ibm-vice-president-principal", 4),
    ],
)
def test_query_count_stays_small(client, django_assert_max_num_queries, url_name, slug, most):
    add_rows(5, "extra")
    url = reverse(f"api:{url_name}", kwargs={"slug": slug} if slug else None)
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200

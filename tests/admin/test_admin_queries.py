"""Every admin list runs a fixed number of queries, whatever the number of rows."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.models import (
    AISystem,
    Article,
    Citation,
    Claim,
    Coalition,
    Membership,
    Organisation,
    Paragraph,
    Person,
    Position,
    Relation,
    RelationKind,
    Role,
    Topic,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
    if model._meta.app_label == "alliance"
)


def add_rows(count):
    """`count` more rows of every content model, each fact on a citation of its own."""
    article = Article.objects.create(
        title="Extra", slug="extra", published_on=datetime.date(2024, 1, 1), language="en"
    )
    topic = Topic.objects.create(name="Extra topic", slug="extra-topic")
    coalition = Coalition.objects.create(name="Extra coalition", slug="extra-coalition")
    for number in range(1, count + 1):
        Paragraph.objects.create(article=article, number=number, text=f"Sentence number {number}.")
        citation = Citation.objects.create(article=article, passage=f"number {number}.")
        organisation = Organisation.objects.create(
            name=f"Extra {number}", slug=f"extra-{number}", kind="company"
        )
        person = Person.objects.create(name=f"Person {number}", slug=f"person-{number}")
        facts = {"citation": citation}
        Membership.objects.create(member=organisation, coalition=coalition, role="member", **facts)
        Role.objects.create(person=person, organisation=organisation, title="chief", **facts)
        Position.objects.create(
            topic=topic, person=person, leaning="open", summary="For open models.", **facts
        )
        AISystem.objects.create(name=f"System {number}", owner=organisation, **facts)
        Relation.objects.create(
            subject_person=person,
            kind=RelationKind.CRITICISES,
            object_organisation=organisation,
            summary="Criticises it.",
            **facts,
        )
        Claim.objects.create(about_organisation=organisation, summary="Grows.", **facts)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def test_every_content_model_has_an_admin_paragraphs_inside_articles():
    registered = {name.split("_")[1] for name in CHANGELISTS}
    assert registered == {
        "aisystem",
        "article",
        "citation",
        "claim",
        "coalition",
        "membership",
        "organisation",
        "person",
        "position",
        "relation",
        "role",
        "topic",
    }
    assert admin.site._registry[Article].inlines[0].model is Paragraph


@pytest.mark.parametrize("name", CHANGELISTS)
def test_list_page_query_count_does_not_grow_with_rows(
    record, superuser_client, django_assert_max_num_queries, name
):
    url = reverse(name)
    with CaptureQueriesContext(connection) as few_rows:
        response = superuser_client.get(url)
    rows_before = response.context["cl"].result_count

    add_rows(12)
    with django_assert_max_num_queries(len(few_rows)):
        response = superuser_client.get(url)
    assert response.context["cl"].result_count > rows_before

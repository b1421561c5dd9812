"""The domain models and the rules the database holds for them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from alliance.models import (
    AISystem,
    Article,
    Citation,
    Coalition,
    FactStatus,
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

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def citation(record):
    article = Article.objects.get()
    return Citation.objects.create(
        article=article, passage="le Frontier Model Forum, composé de Meta, Microsoft"
    )


def refused(callable_):
    """The database refuses the write, and the test can go on using the connection."""
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_organisation_str_and_url_follow_kind(record):
    ibm = Organisation.objects.get(slug="ibm")
    alliance = Organisation.objects.get(slug="ai-alliance")
    assert str(ibm) == "IBM"
    assert "/organisations/ibm/" in ibm.get_absolute_url()
    assert "/coalitions/ai-alliance/" in alliance.get_absolute_url()


def test_coalition_proxy_lists_only_coalitions(record):
    assert set(Coalition.objects.values_list("slug", flat=True)) == {
        "ai-alliance",
        "frontier-model-forum",
    }


def test_saving_a_coalition_makes_it_one(db):
    coalition = Coalition.objects.create(name="Open Coalition", slug="open-coalition")
    coalition.refresh_from_db()
    assert coalition.kind == OrganisationKind.COALITION


def test_declared_count_is_not_the_count_on_record(record):
    alliance = Coalition.objects.with_member_counts().get(slug="ai-alliance")
    assert alliance.declared_member_count == 50
    assert alliance.get_declared_member_count_qualifier_display() == "more than"
    assert alliance.members_on_record == 6
    assert alliance.absentees_on_record == 5


def test_declared_count_is_refused_on_a_company(db):
    refused(
        lambda: Organisation.objects.create(
            name="Acme",
            slug="acme",
            kind=OrganisationKind.COMPANY,
            declared_member_count=3,
            declared_member_count_qualifier="exactly",
        )
    )


def test_declared_count_needs_its_qualifier(db):
    refused(
        lambda: Organisation.objects.create(
            name="Club", slug="club", kind=OrganisationKind.COALITION, declared_member_count=3
        )
    )


def test_organisation_slug_is_unique(record):
    refused(
        lambda: Organisation.objects.create(
            name="IBM again", slug="ibm", kind=OrganisationKind.COMPANY
        )
    )


def test_the_same_period_cannot_be_recorded_twice(record, citation):
    meta = Organisation.objects.get(slug="meta")
    alliance = Coalition.objects.get(slug="ai-alliance")
    refused(
        lambda: Membership.objects.create(
            slug="meta-again",
            member=meta,
            coalition=alliance,
            role=MembershipRole.FOUNDER,
            started_on=datetime.date(2023, 12, 1),
            citation=citation,
        )
    )


def test_coalition_cannot_be_its_own_member(record, citation):
    alliance = Coalition.objects.get(slug="ai-alliance")
    refused(
        lambda: Membership.objects.create(
            slug="loop",
            member=alliance,
            coalition=alliance,
            role=MembershipRole.MEMBER,
            citation=citation,
        )
    )


def test_absentee_has_no_join_date(record, citation):
    microsoft = Organisation.objects.get(slug="microsoft")
    alliance = Coalition.objects.get(slug="ai-alliance")
    refused(
        lambda: Membership.objects.create(
            slug="microsoft-ai-alliance",
            member=microsoft,
            coalition=alliance,
            role=MembershipRole.ABSENT,
            started_on=datetime.date(2024, 1, 1),
            citation=citation,
        )
    )


def test_position_needs_exactly_one_holder(record, citation):
    topic = Topic.objects.get(slug="open-source-ai")
    ibm = Organisation.objects.get(slug="ibm")
    gil = Person.objects.get(slug="dario-gil")
    base = {"topic": topic, "leaning": Leaning.OPEN, "summary": "x", "citation": citation}
    refused(lambda: Position.objects.create(slug="nobody", **base))
    refused(lambda: Position.objects.create(slug="both", organisation=ibm, person=gil, **base))
    with pytest.raises(ValidationError, match="exactly one organisation or one person"):
        Position(slug="nobody", **base).full_clean()


def test_disputed_fact_needs_an_explanation(record):
    role = Role.objects.get(slug="yann-lecun-meta-responsable-scientifique-pour-lia")
    role.status = FactStatus.DISPUTED
    with pytest.raises(ValidationError, match="needs a note"):
        role.full_clean()
    refused(role.save)


def test_correction_keeps_the_original_claim_and_citation(record):
    membership = Membership.objects.get(slug="meta-frontier-model-forum")
    citation = membership.citation
    membership.status = FactStatus.CORRECTED
    membership.correction = "Meta is not a member of the Frontier Model Forum."
    membership.correction_source = "https://www.frontiermodelforum.org/"
    membership.full_clean()
    membership.save()
    membership.refresh_from_db()
    assert membership.role == MembershipRole.MEMBER
    assert membership.citation == citation
    assert membership.is_disputed


def test_deleting_a_cited_organisation_is_refused(record):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Organisation.objects.get(slug="anthropic").delete()
    assert Organisation.objects.filter(slug="anthropic").exists()


def test_each_save_raises_the_version(record):
    person = Person.objects.get(slug="yann-lecun")
    before = person.version
    person.name = "Yann Le Cun"
    person.save()
    person.refresh_from_db()
    assert person.version == before + 1


def test_history_records_who_changed_what(record, django_user_model):
    person = Person.objects.get(slug="yann-lecun")
    person.name = "Yann Le Cun"
    person.save()
    assert person.history.first().name == "Yann Le Cun"


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        (Person, "dario", "dario-gil"),
        (Person, "DARÍO gil", "dario-gil"),
        (Organisation, "humane", "center-for-humane-technology"),
        (Organisation, "international business", "ibm"),
        (Organisation, "cornell", "cornell"),
        (AISystem, "llama", "llama-2"),
    ],
)
def test_search_ignores_accents_and_case(record, model, query, expected):
    assert list(model.objects.search(query).values_list("slug", flat=True)) == [expected]


def test_search_reaches_positions_through_their_holder(record):
    slugs = set(Position.objects.search("dario").values_list("slug", flat=True))
    assert slugs == {"dario-gil-open-source-ai"}


def test_search_text_follows_edits(record):
    person = Person.objects.get(slug="sriram-raghavan")
    person.name = "Śriram Rāghavan"
    person.save()
    assert Person.objects.search("sriram raghavan").get() == person

"""The generated record: sizes, validity, verbatim citations, and the guard on real data."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alliance.models import (
    AISystem,
    Article,
    Citation,
    Membership,
    Organisation,
    OrganisationKind,
    Paragraph,
    Person,
    Position,
    Role,
    Topic,
)
from alliance.scale import PREFIX, Sizes
from alliance.scale import generate as generate_rows
from alliance.search import index_words

SMALL = {
    "organisations": 40,
    "people": 15,
    "coalitions": 3,
    "positions": 150,
    "articles": 8,
    "topics": 5,
    "ai_systems": 10,
}
CONTENT = [Article, Paragraph, Citation, Topic, Person, Organisation, AISystem, Membership, Role]
CONTENT += [Position]


def generate(*args, **options):
    stderr = StringIO()
    call_command(
        "generate_scale_data", *args, **{**SMALL, **options}, stdout=StringIO(), stderr=stderr
    )
    return stderr.getvalue()


def snapshot():
    """What the database holds, independent of row ids."""
    return {
        "counts": {model.__name__: model.objects.count() for model in CONTENT},
        "citations": sorted(Citation.objects.values_list("slug", "passage", "paragraph__number")),
        "positions": sorted(
            Position.objects.values_list("slug", "citation__slug", "leaning", "topic__slug")
        ),
    }


@pytest.fixture
def generated(no_record):
    generate(seed=1)


def test_generates_the_requested_number_of_rows(generated):
    assert Organisation.objects.exclude(kind=OrganisationKind.COALITION).count() == 40
    assert Organisation.objects.coalitions().count() == 3
    assert Person.objects.count() == 15
    assert Position.objects.count() == 150
    assert Article.objects.count() == 8
    assert Topic.objects.count() == 5
    assert AISystem.objects.count() == 10
    assert Membership.objects.exists()
    assert Role.objects.exists()
    assert Paragraph.objects.count() >= 8


def test_every_generated_row_passes_model_validation(generated):
    for model in CONTENT:
        for row in model.objects.all():
            stored_paragraph = getattr(row, "paragraph_id", None)
            row.full_clean()
            if model is Citation:
                # clean() locates the passage itself: it finds the paragraph on record.
                assert row.paragraph_id == stored_paragraph


def test_every_citation_is_word_for_word_in_its_paragraph(generated):
    citations = Citation.objects.select_related("paragraph")
    assert citations.exists()
    for citation in citations:
        assert citation.passage in citation.paragraph.text
        assert citation.paragraph.article_id == citation.article_id


def test_each_fact_cites_a_passage_naming_who_holds_it(generated):
    for position in Position.objects.select_related("citation", "organisation", "person"):
        assert position.holder.name in position.citation.passage
    for membership in Membership.objects.select_related("citation", "member", "coalition"):
        assert membership.member.name in membership.citation.passage
        assert membership.coalition.name in membership.citation.passage
    for role in Role.objects.select_related("citation", "person"):
        assert f"{role.person.name}, {role.title}" in role.citation.passage


def test_each_position_is_held_by_exactly_one_organisation_or_person(generated):
    assert not Position.objects.filter(organisation__isnull=True, person__isnull=True).exists()
    assert not Position.objects.filter(organisation__isnull=False, person__isnull=False).exists()
    assert Position.objects.filter(person__isnull=False).exists()


def test_declared_member_counts_come_with_the_passage_that_states_them(no_record):
    generate(seed=1, coalitions=6)
    declared = Organisation.objects.exclude(declared_member_count=None)
    assert declared.exists()
    for coalition in declared.select_related("declared_member_count_citation"):
        passage = coalition.declared_member_count_citation.passage
        assert f"{coalition.declared_member_count} membres" in passage


def test_search_text_is_filled_as_the_signal_would(generated):
    organisation = Organisation.objects.order_by("slug").first()
    assert organisation.search_text == index_words(organisation.search_words())
    assert organisation in Organisation.objects.search(organisation.name.upper())


def test_every_generated_slug_starts_with_the_prefix(generated):
    for model in [Article, Citation, Organisation, Person, Position, Membership]:
        assert not model.objects.exclude(slug__startswith=PREFIX).exists()


def test_progress_bar_reaches_every_row(no_record):
    assert "100.0%" in generate()


def test_same_seed_gives_the_same_data_and_a_rerun_replaces_it(no_record):
    generate(seed=7)
    first = snapshot()
    generate(seed=7)
    assert snapshot() == first
    generate(seed=8)
    assert snapshot() != first


def test_refuses_a_database_holding_the_real_record(record):
    before = snapshot()
    with pytest.raises(CommandError, match="--force"):
        generate()
    assert snapshot() == before


def test_force_adds_generated_rows_beside_the_real_record(record):
    article = Article.objects.get()
    generate("--force")
    assert Article.objects.filter(pk=article.pk).exists()
    assert Article.objects.filter(slug__startswith=PREFIX).count() == 8
    # A second forced run replaces the generated rows and keeps the real ones.
    generate("--force")
    assert Article.objects.count() == 9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--positions=-5"], "negative"),
        (["--people=many"], "not a whole number"),
        (["--articles=0"], "--articles must be at least 1"),
        (["--topics=0"], "--positions needs at least one topic"),
        (["--topics=1000"], "--topics can be at most"),
    ],
)
def test_bad_arguments_give_a_clear_error_and_leave_the_database_untouched(
    generated, args, message
):
    before = snapshot()
    options = {key: value for key, value in SMALL.items() if not args[0].startswith(f"--{key}")}
    with pytest.raises(CommandError, match=message):
        call_command("generate_scale_data", *args, **options, stdout=StringIO(), stderr=StringIO())
    assert snapshot() == before


def test_generator_can_make_organisations_alone_for_query_count_tests(no_record):
    # Query-count tests compare a page at a few rows and at thousands: this is how they grow.
    sizes = Sizes(
        organisations=300, people=0, coalitions=0, positions=0, articles=1, topics=0, ai_systems=0
    )
    counts = generate_rows(sizes, seed=3, progress_stream=None)
    assert counts["organisations"] == 300
    assert Organisation.objects.count() == 300
    assert Paragraph.objects.count() == 1

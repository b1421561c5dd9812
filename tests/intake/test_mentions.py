"""Finding what an article mentions on record, and what it suggests: never facts."""

import pytest

from alliance.intake.mentions import Gazetteer, scan
from alliance.intake.reading import read_article
from alliance.intake.review import review_document
from alliance.models import AISystem, Membership, Organisation, Person, Role
from tests.intake.articles import ENGLISH, FRENCH, SEED


def found(text):
    mentions, candidates = scan([(1, text)], Gazetteer.from_record())
    return [(m.entity.slug, m.words) for m in mentions], [c.words for c in candidates]


def test_every_organisation_person_and_ai_system_of_the_seed_is_found(record):
    result = review_document(read_article(SEED.read_text("utf-8")))
    on_record = {
        *Organisation.objects.values_list("slug", flat=True),
        *Person.objects.values_list("slug", flat=True),
        *AISystem.objects.values_list("slug", flat=True),
    }
    assert {m.entity.slug for m in result.mentions} == on_record
    # Each words matched are the paragraph's own, at the place the mention says.
    texts = {n: text for n, _section, text in result.paragraphs}
    assert all(texts[m.paragraph][m.start : m.end] == m.words for m in result.mentions)


def test_the_longest_name_wins_so_ibm_research_is_not_ibm(record):
    mentions, _ = found("Darío Gil, vice-président principal d’IBM et directeur d’IBM Research.")
    assert mentions == [
        ("dario-gil", "Darío Gil"),
        ("ibm", "IBM"),
        ("ibm-research", "IBM Research"),
    ]


def test_a_name_is_never_found_inside_a_word(record):
    Person.objects.create(name="Yann Le Cun", slug="yann-le-cun")
    mentions, _ = found("Car aucune institution ne peut faire dérailler le moteur ouvert.")
    assert mentions == []
    mentions, _ = found("Selon Le Cun, aucune institution ne le peut.")
    assert mentions == [("yann-le-cun", "Le Cun")]


def test_a_french_article_is_read_with_accents_and_case_folded(record):
    result = review_document(read_article(FRENCH))
    by_paragraph = {(m.paragraph, m.entity.slug, m.words) for m in result.mentions}

    assert by_paragraph == {
        (1, "cohere", "Cohere"),
        (1, "ai-alliance", "AI Alliance"),
        (1, "adept", "Adept"),
        (2, "dario-gil", "Dario Gil"),
        (2, "ibm-research", "IBM Research"),
        (3, "national-science-foundation", "NATIONAL SCIENCE FOUNDATION"),
        (3, "cornell", "université de Cornell"),
    }
    # "l’oracle de Delphes" is a common noun, not Oracle; "Aucune" is nobody.
    assert [c.words for c in result.candidates] == ["Delphes", "Mistral AI", "Hugging Face"]


def test_an_english_article_is_read_by_english_names_too(record):
    result = review_document(read_article(ENGLISH))
    slugs = {(m.paragraph, m.entity.slug) for m in result.mentions}

    assert slugs == {
        (1, "cohere"),
        (1, "ai-alliance"),
        (2, "yann-lecun"),
        (2, "meta"),
        (2, "cornell"),
        (3, "openai"),
    }
    assert [c.words for c in result.candidates] == ["Hugging Face", "Mistral AI"]


def test_phrasings_suggest_memberships_and_titles_each_with_its_sentence(record):
    french = review_document(read_article(FRENCH)).suggestions
    english = review_document(read_article(ENGLISH)).suggestions

    assert {
        (s["kind"], s["member"], s["coalition"], s["role"])
        for s in french
        if s["kind"] == "membership"
    } == {
        ("membership", "cohere", "ai-alliance", "member"),
        ("membership", "adept", "ai-alliance", "member"),
    }
    role = next(s for s in french if s["kind"] == "role")
    assert (role["person"], role["organisation"], role["title"]) == (
        "dario-gil",
        "ibm-research",
        "directeur",
    )
    assert role["passage"] == "Dario Gil, directeur d’IBM Research, a salué leur arrivée."
    assert {(s["kind"], s.get("member"), s.get("person"), s.get("title")) for s in english} == {
        ("membership", "cohere", None, None),
        ("role", None, "yann-lecun", "chief AI scientist"),
    }
    # The passage is the sentence, word for word, so that it can be cited as it is.
    assert all(s["passage"] in FRENCH for s in french)


def test_founding_is_suggested_as_a_founder_membership(record):
    mentions, _ = scan(
        [(1, "L’AI Alliance a été fondée par Meta et IBM.")], Gazetteer.from_record()
    )
    from alliance.intake.suggestions import suggest

    assert {
        (s["member"], s["role"])
        for s in suggest([(1, "L’AI Alliance a été fondée par Meta et IBM.")], mentions)
    } == {
        ("meta", "founder"),
        ("ibm", "founder"),
    }


@pytest.mark.parametrize("text", [FRENCH, ENGLISH])
def test_suggestions_never_create_facts(record, text):
    before = Membership.objects.count(), Role.objects.count()
    assert review_document(read_article(text)).suggestions
    assert (Membership.objects.count(), Role.objects.count()) == before


def test_the_seed_suggests_its_memberships_clause_by_clause(record):
    suggestions = review_document(read_article(SEED.read_text("utf-8"))).suggestions
    memberships = {
        (s["member"], s["coalition"], s["role"]) for s in suggestions if s["kind"] == "membership"
    }
    assert {
        ("intel", "ai-alliance", "member"),
        ("oracle", "ai-alliance", "member"),
        ("anthropic", "frontier-model-forum", "member"),
        ("ibm", "ai-alliance", "founder"),
        ("meta", "ai-alliance", "founder"),
    } <= memberships
    # "OpenAI et ses homologues … tandis que les membres de l’AI Alliance": another clause.
    assert ("openai", "ai-alliance", "member") not in memberships

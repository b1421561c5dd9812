"""A citation is a passage found word for word in its article, or it is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from alliance.models import Article, Citation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def article(record):
    return Article.objects.get()


def test_a_verbatim_passage_finds_its_paragraph(article):
    citation = Citation(article=article, passage="Yann LeCun, responsable scientifique de Meta")
    citation.full_clean()
    citation.save()
    assert citation.paragraph.number == 7
    assert citation.get_absolute_url().endswith(f"/articles/{article.slug}/#{citation.slug}")
    assert citation.slug.startswith("yann-lecun-responsable-scientifique-de-meta-")


def test_a_passage_with_a_changed_word_is_refused_naming_the_word(article):
    citation = Citation(article=article, passage="Yann LeCun, directeur scientifique de Meta")
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    message = " ".join(error.value.message_dict["passage"])
    assert "directeur" in message
    assert "Yann" not in message.split("Not found:")[1]


def test_words_in_the_wrong_order_are_reported_from_where_they_break(article):
    citation = Citation(
        article=article, passage="International Business Machines (IBM) et Meta Platforms"
    )
    with pytest.raises(ValidationError, match="Not found: “et Meta Platforms”"):
        citation.full_clean()


def test_a_passage_across_two_paragraphs_is_refused(article):
    last_words = "car aucune institution ne peut faire dérailler le succès du moteur ouvert"
    citation = Citation(article=article, passage=f"{last_words} Dans le contexte")
    with pytest.raises(ValidationError):
        citation.full_clean()


def test_a_straight_apostrophe_is_not_the_typographic_one(article):
    with pytest.raises(ValidationError):
        Citation(article=article, passage="l'AI Alliance").full_clean()


def test_saving_without_validation_still_refuses_a_missing_passage(article):
    with pytest.raises(ValidationError):
        Citation.objects.create(article=article, passage="a passage that is nowhere")
    assert not Citation.objects.filter(passage="a passage that is nowhere").exists()


def test_every_stored_citation_is_verbatim_in_its_paragraph(record):
    for citation in Citation.objects.select_related("paragraph"):
        assert citation.passage in citation.paragraph.text

"""Cards kept under the rows they print: an edit redraws its own cards, never shows an
old one, and leaves the others kept."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from alliance.models import Citation, Organisation, Position, Source

pytestmark = pytest.mark.usefixtures("record")


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # Whole pages kept would hide what the cards do.
    settings.PAGE_CACHE = False
    settings.KEPT_PAGES = False


def page(client, name, query="", language="fr", **kwargs):
    with translation.override(language):
        address = reverse(name, kwargs=kwargs or None)
    response = client.get(address + query)
    assert response.status_code == 200
    return response.content.decode()


def positions_page(client, query="", language="fr"):
    return page(client, "public:position-list", query, language)


def rename(slug, name):
    organisation = Organisation.objects.get(slug=slug)
    organisation.name = name
    organisation.save()
    return organisation


def kept_cards():
    return len(caches["fragments"]._cache)


def test_kept_cards_draw_the_same_page_as_fresh_ones(client):
    fresh = positions_page(client)
    assert kept_cards() > 0
    assert positions_page(client) == fresh
    filtered = positions_page(client, "?leaning=closed")
    assert positions_page(client, "?leaning=closed") == filtered


def test_renaming_a_holder_redraws_its_card_and_only_its_card(client):
    positions_page(client)
    before = kept_cards()
    meta = rename("meta", "Meta Platforms")
    content = positions_page(client)
    assert ">Meta Platforms</a>" in content
    # Meta's one card is drawn again under a new key; every other card was kept.
    assert kept_cards() == before + Position.objects.filter(organisation=meta).count()


def test_correcting_a_passage_shows_at_once_in_every_card_citing_it(client):
    shared = Position.objects.get(slug="openai-open-source-ai")
    assert "in the record" not in positions_page(client, language="en")
    citation = Citation.objects.get(pk=shared.citation_id)
    citation.translation = "At the forefront of proprietary AI, in the record's words."
    citation.save()
    assert "proprietary AI, in the record" in positions_page(client, language="en")


def test_a_further_source_added_to_a_stance_shows_at_once_in_its_card_and_its_json(client):
    position = Position.objects.get(slug="openai-open-source-ai")
    later = Citation.objects.exclude(pk=position.citation_id).order_by("pk").first()
    with translation.override("fr"):
        note = f'href="{later.get_absolute_url()}"'
    card_before = positions_page(client).split(f'id="{position.slug}"')[1].split("</article>")[0]
    assert note not in card_before
    api_positions(client)
    Source.objects.create(fact=position, citation=later)
    card = positions_page(client).split(f'id="{position.slug}"')[1].split("</article>")[0]
    assert note in card
    fact = next(row for row in api_positions(client) if row["slug"] == position.slug)
    assert len(fact["sources"]) == len(position.sources())


def test_a_card_is_kept_apart_per_language(client):
    french = positions_page(client)
    english = positions_page(client, language="en")
    assert "L’article dit" in french
    assert "The article says" in english
    assert "L’article dit" not in english[english.index("<main") :]


def api_positions(client, query=""):
    response = client.get(reverse("api:position-list") + query)
    assert response.status_code == 200
    return response.json()["results"]


def test_the_api_gives_kept_facts_as_it_gives_fresh_ones(client, settings):
    settings.API_ANONYMOUS_RATE = None
    fresh = api_positions(client)
    assert kept_cards() == len(fresh)
    assert api_positions(client) == fresh
    assert api_positions(client, "?lang=en") != fresh


def test_an_edit_shows_in_the_api_list_at_once_and_only_its_facts_are_made_again(client, settings):
    settings.API_ANONYMOUS_RATE = None
    api_positions(client)
    before = kept_cards()
    meta = rename("meta", "Meta Platforms")
    holders = {row["holder"]["name"] for row in api_positions(client)}
    assert "Meta Platforms" in holders
    assert kept_cards() == before + Position.objects.filter(organisation=meta).count()


def test_a_fact_is_kept_apart_for_each_day_asked(rf):
    import datetime

    from alliance.api.serializers import MembershipSerializer
    from alliance.models import Membership

    memberships = Membership.objects.filter(slug="meta-ai-alliance").select_related(
        "member", "coalition", "citation__article", "citation__paragraph"
    )
    request = rf.get("/api/v1/memberships/")

    def in_force(day):
        context = {"request": request, "day": day}
        (row,) = MembershipSerializer(memberships, many=True, context=context).data
        return row["in_force"]

    assert in_force(datetime.date(2024, 6, 1)) is True
    assert in_force(datetime.date(2020, 1, 1)) is False
    assert in_force(datetime.date(2024, 6, 1)) is True


ARTICLE = "meta-et-ibm-creent-l-ai-alliance"


def article_page(client, language="fr"):
    return page(client, "public:article-detail", language=language, slug=ARTICLE)


def test_kept_paragraphs_draw_the_same_article_page_as_fresh_ones(client):
    fresh = article_page(client)
    assert kept_cards() >= 13  # one per paragraph
    assert article_page(client) == fresh


def test_renaming_a_holder_redraws_only_the_paragraphs_whose_notes_name_it(client):
    from alliance.models import Paragraph

    article_page(client)
    before = kept_cards()
    rename("openai", "OpenAI Inc.")
    content = article_page(client)
    assert "OpenAI Inc.\u00a0: fermé" in content or "OpenAI Inc. : fermé" in content
    redrawn = kept_cards() - before
    assert 0 < redrawn < Paragraph.objects.filter(article__slug=ARTICLE).count()


def test_a_new_translation_of_a_paragraph_shows_at_once(client):
    from alliance.models import Paragraph

    article_page(client, "en")
    paragraph = Paragraph.objects.get(article__slug=ARTICLE, number=1)
    paragraph.translation = "Meta and IBM, in the record's fresh words."
    paragraph.save()
    content = article_page(client, "en")
    start = content.index('id="p1"')
    assert "fresh words" in content[start : start + 5000], content[start : start + 3000]

"""Every editorial text exists in French and English, and a translation that no longer
follows its source text is marked stale until an editor rewrites or confirms it."""

import re

import pytest
from django.apps import apps
from django.db.models import Q

from alliance.admin.translations import missing_condition
from alliance.models import Organisation, Position, Role
from alliance.models.base import Translatable

TRANSLATED = [
    m for m in apps.get_app_config("alliance").get_models() if issubclass(m, Translatable)
]


@pytest.mark.parametrize("model", TRANSLATED, ids=lambda model: model.__name__)
def test_the_record_has_no_missing_or_stale_translation(record, model):
    rows = model._base_manager.all()
    assert rows.exists() or model._meta.proxy
    assert {
        row.slug: row.missing_translations() for row in rows if row.missing_translations()
    } == {}
    assert {row.slug: row.stale_translations for row in rows if row.stale_translations} == {}


def test_changing_the_french_marks_the_english_stale(record):
    position = Position.objects.get(slug="ibm-open-source-ai")
    position.summary = "IBM réserve l’alliance aux modèles ouverts."
    position.save()
    position.refresh_from_db()
    assert position.stale_translations == ["summary_en"]


def test_rewriting_the_stale_english_clears_the_mark(record):
    position = Position.objects.get(slug="ibm-open-source-ai")
    position.summary = "IBM réserve l’alliance aux modèles ouverts."
    position.save()
    position.summary_en = "IBM keeps the alliance for open models."
    position.save()
    position.refresh_from_db()
    assert position.stale_translations == []


def test_confirming_a_stale_translation_clears_the_mark_and_keeps_the_text(record):
    role = Role.objects.get(slug=Role.objects.values_list("slug", flat=True).first())
    english = role.title_en
    role.title = f"{role.title} (intérim)"
    role.save()
    assert role.stale_translations == ["title_en"]
    role.confirm_translation("title_en")
    role.save()
    role.refresh_from_db()
    assert (role.stale_translations, role.title_en) == ([], english)


def test_changing_both_languages_at_once_marks_nothing(record):
    position = Position.objects.get(slug="ibm-open-source-ai")
    position.summary, position.summary_en = "Ouvert.", "Open."
    position.save()
    assert position.stale_translations == []


def test_an_english_name_that_copied_the_french_follows_a_rename(record):
    meta = Organisation.objects.get(slug="meta")
    assert meta.name_en == meta.name
    meta.name = "Meta Platforms"
    meta.save()
    meta.refresh_from_db()
    assert (meta.name_en, meta.stale_translations) == ("Meta Platforms", [])


def test_an_english_name_of_its_own_is_kept_and_marked_stale_on_a_rename(record):
    cornell = Organisation.objects.get(name_en="Cornell University")
    cornell.name = "Université Cornell"
    cornell.save()
    cornell.refresh_from_db()
    assert (cornell.name_en, cornell.stale_translations) == ("Cornell University", ["name_en"])


def test_a_missing_translation_is_found_by_the_admin_filter_condition(record):
    Position.objects.filter(slug="ibm-open-source-ai").update(rationale_en="")
    missing = Position.objects.filter(missing_condition(Position))
    assert list(missing.values_list("slug", flat=True)) == ["ibm-open-source-ai"]
    assert not Position.objects.filter(missing_condition(Position) & ~Q(slug="ibm-open-source-ai"))


@pytest.mark.parametrize("query", ["closed", "fermé", "FERME"])
def test_search_finds_a_leaning_in_either_language(record, query):
    found = set(Position.objects.search(query).values_list("slug", flat=True))
    assert found == set(Position.objects.filter(leaning="closed").values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("open source", r'id="[a-z-]+-open-source-ai"'),
        ("ouvert", r'id="[a-z-]+-open-source-ai"'),
        ("closed", r'id="openai-open-source-ai"'),
        ("fermé", r'id="openai-open-source-ai"'),
        ("Cornell University", r'href="/(fr|en)/organisations/cornell/"'),
        ("Université de Cornell", r'href="/(fr|en)/organisations/cornell/"'),
    ],
)
def test_search_pages_find_records_by_their_text_in_either_language(client, record, query, found):
    for language in ("fr", "en"):
        content = client.get(f"/{language}/search/", {"q": query}).content.decode()
        assert re.search(found, content), (language, query)

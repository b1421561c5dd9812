"""French first, English second: interface, choice labels, dates, and the compiled catalogues."""

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.models import Leaning, MembershipRole, OrganisationKind

LOCALE = Path(__file__).resolve().parent.parent / "alliance" / "locale"


def address(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_root_sends_a_reader_without_preference_to_french(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_root_sends_an_english_reader_to_english(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.8"})
    assert response["Location"] == "/en/"


def test_home_speaks_french_by_default(client, record):
    content = client.get(address("public:home", "fr")).content.decode()
    assert '<html lang="fr">' in content
    assert "Fondateurs" in content
    assert "Absents notables" in content
    assert "Aller au contenu" in content


def test_home_speaks_english_under_en(client, record):
    content = client.get(address("public:home", "en")).content.decode()
    assert '<html lang="en">' in content
    assert "Founders" in content
    assert "more than 50" in content
    assert '<a href="/fr/" hreflang="fr" lang="fr">Français</a>' in content


def test_choice_labels_are_translated():
    with translation.override("fr"):
        assert str(Leaning.CAUTIOUS.label) == "prudent"
        assert str(MembershipRole.ABSENT.label) == "absent notable"
        assert str(OrganisationKind.NEWS_OUTLET.label) == "média"
    with translation.override("en"):
        assert str(Leaning.CAUTIOUS.label) == "cautious"


def test_language_switch_keeps_the_query_string(client, record):
    content = client.get(address("public:organisation-list", "fr") + "?kind=academic").content
    assert b'href="/en/organisations/?kind=academic" hreflang="en"' in content


def test_english_page_prints_the_english_title_and_quotes_the_french_passage(client, record):
    content = client.get(address("public:person-detail", "en", slug="dario-gil")).content.decode()
    assert "senior vice president" in content
    assert ">vice-président principal" not in content  # only the quoted passage has it
    assert re.search(r'<blockquote[^>]*lang="fr"', content)


def po_entries(language):
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [block for block in text.split("\n\n")[1:] if "msgid" in block]


def test_french_catalogue_translates_every_message():
    untranslated = [
        block
        for block in po_entries("fr")
        if re.search(r'^msgstr(\[\d\])? ""$', block, re.M)
        and not re.search(r'^msgstr(\[\d\])? ""\n"', block, re.M)
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_compiled_catalogue_is_committed_and_up_to_date(language):
    compiled = LOCALE / language / "LC_MESSAGES" / "django.mo"
    with compiled.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    if language == "fr":
        assert catalogue.gettext("Notably absent") == "Absents notables"
        # Every message of the source catalogue is in the compiled one.
        assert len(catalogue._catalog) >= len(po_entries("fr"))

"""The API answers in the language asked (`?lang=`, else Accept-Language, else French),
says which in Content-Language, names the fields that fell back, and never lets two
languages share an ETag or a kept answer."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from alliance.models import Citation, Position

pytestmark = pytest.mark.usefixtures("record")

IBM_POSITION = "ibm-open-source-ai"


def position_url(slug=IBM_POSITION):
    return reverse("api:position-detail", kwargs={"slug": slug})


def test_without_a_choice_the_record_answers_in_french(client):
    response = client.get(position_url())
    position = Position.objects.get(slug=IBM_POSITION)
    assert response["Content-Language"] == "fr"
    assert response.json()["summary"] == position.summary
    assert response.json()["fallback_fields"] == []


def test_accept_language_english_gets_english_texts(client):
    response = client.get(position_url(), headers={"accept-language": "en-GB,en;q=0.8"})
    position = Position.objects.get(slug=IBM_POSITION)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]
    assert response.json()["summary"] == position.summary_en


def test_lang_parameter_wins_over_accept_language(client):
    response = client.get(position_url() + "?lang=en", headers={"accept-language": "fr"})
    assert response["Content-Language"] == "en"
    assert response.json()["summary"] == Position.objects.get(slug=IBM_POSITION).summary_en


def test_public_url_is_the_page_in_the_language_of_the_answer(client):
    french = client.get(position_url()).json()["public_url"]
    english = client.get(position_url() + "?lang=en").json()["public_url"]
    assert french.startswith("http://testserver/fr/")
    assert english == french.replace("/fr/", "/en/", 1)


def test_lang_parameter_works_on_lists(client):
    response = client.get(reverse("api:organisation-list") + "?lang=en&search=cornell")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Cornell University"]


@pytest.mark.parametrize("query", ["?lang=de", "?lang=en&lang=fr", "?lang="])
def test_an_unknown_or_repeated_lang_is_a_400_naming_it(client, query):
    response = client.get(position_url() + query)
    assert response.status_code == 400
    assert "lang" in response.json()


def test_an_unknown_lang_on_a_list_is_a_400_naming_it(client):
    response = client.get(reverse("api:position-list") + "?lang=xx")
    assert response.status_code == 400
    assert list(response.json()) == ["lang"]


def test_a_missing_translation_is_sent_in_french_and_named(client):
    Position.objects.filter(slug=IBM_POSITION).update(summary_en="")
    body = client.get(position_url() + "?lang=en").json()
    assert body["summary"] == Position.objects.get(slug=IBM_POSITION).summary
    assert body["fallback_fields"] == ["summary"]


def test_a_quoted_passage_stays_french_with_its_english_gloss(client):
    body = client.get(position_url() + "?lang=en").json()
    citation = Citation.objects.get(slug=body["citation"]["slug"])
    assert body["citation"]["passage"] == citation.passage
    assert body["citation"]["translation"] == citation.translation
    french = client.get(position_url() + "?lang=fr").json()
    assert french["citation"]["translation"] is None


def test_the_two_languages_never_share_an_etag(client):
    french = client.get(position_url())
    english = client.get(position_url(), headers={"accept-language": "en"})
    assert french["ETag"] != english["ETag"]
    stale = client.get(
        position_url(), headers={"accept-language": "en", "if-none-match": french["ETag"]}
    )
    assert stale.status_code == 200


def test_the_page_cache_keeps_each_language_apart(client, settings):
    settings.PAGE_CACHE = True
    settings.API_ANONYMOUS_RATE = None
    caches["pages"].clear()
    try:
        french = client.get(position_url()).json()
        english = client.get(position_url(), headers={"accept-language": "en"}).json()
        asked = client.get(position_url() + "?lang=en").json()
        again = client.get(position_url()).json()
    finally:
        caches["pages"].clear()
    assert french["summary"] != english["summary"]
    assert asked["summary"] == english["summary"]
    assert again["summary"] == french["summary"]


def test_the_schema_documents_lang_on_every_operation(client):
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = [parameter["name"] for parameter in operation.get("parameters", [])]
            assert "lang" in names, (method, path)

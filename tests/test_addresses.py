"""Addresses by slug are the ones `reverse()` gives, in every language."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from alliance.addresses import absolute_url, slug_url

VIEWS = [
    "public:organisation-detail",
    "public:coalition-detail",
    "public:person-detail",
    "public:article-detail",
    "api:organisation-detail",
    "api:position-detail",
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("view_name", VIEWS)
def test_slug_url_is_what_reverse_gives(view_name, language):
    with translation.override(language):
        for slug in ["ibm", "dario-gil", "meta-et-ibm-creent-l-ai-alliance", "a_b-9"]:
            assert slug_url(view_name, slug) == reverse(view_name, kwargs={"slug": slug})


def test_slug_url_follows_the_active_language():
    with translation.override("fr"):
        french = slug_url("public:organisation-detail", "ibm")
    with translation.override("en"):
        english = slug_url("public:organisation-detail", "ibm")
    assert (french, english) == ("/fr/organisations/ibm/", "/en/organisations/ibm/")


def test_absolute_url_uses_the_request_scheme_and_host(settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    request = RequestFactory().get("/", secure=True, headers={"host": "example.org"})
    assert absolute_url(request, "/fr/") == "https://example.org/fr/"
    assert absolute_url(request, "/api/v1/") == "https://example.org/api/v1/"

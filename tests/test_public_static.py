"""The stylesheet: our own, served by WhiteNoise under a hashed name with a long cache life."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

HASHED = re.compile(r"^/static/alliance/site\.[0-9a-f]{12}\.css$")


def production_storage(static_root):
    return {
        "STATIC_ROOT": static_root,
        "STORAGES": {
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "WHITENOISE_AUTOREFRESH": False,
    }


@pytest.fixture(scope="module")
def collected_once(tmp_path_factory):
    """collectstatic with the production storage, run once into a throwaway STATIC_ROOT."""
    static_root = tmp_path_factory.mktemp("static")
    with override_settings(**production_storage(static_root)):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


@pytest.fixture
def collected(collected_once):
    """Production storage, serving what collectstatic gathered."""
    with override_settings(**production_storage(collected_once)):
        yield collected_once


def test_pages_link_the_stylesheet_by_its_hashed_name(collected, record):
    with translation.override("fr"):
        content = Client().get(reverse("public:home")).content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', content).group(1)
    assert HASHED.match(href)
    assert href == static("alliance/site.css")


def test_hashed_stylesheet_is_served_compressed_with_a_long_cache_life(collected, db):
    response = Client().get(static("alliance/site.css"), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
    assert b"".join(response.streaming_content)  # read to the end, so the file is closed


def test_no_page_loads_anything_from_another_host(client, record):
    with translation.override("fr"):
        content = client.get(reverse("public:home")).content.decode()
    sources = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', content)
    external = [
        source
        for source in sources
        if source.startswith(("http:", "https:", "//")) and "testserver" not in source
    ]
    assert external == []

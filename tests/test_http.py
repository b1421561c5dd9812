"""HTTP as strict clients expect it: methods, caching headers, compression, 304s."""

import gzip

import pytest
from django.core.cache import caches
from django.middleware import gzip as gzip_middleware
from django.urls import reverse
from django.utils import translation

from alliance.models import Organisation

pytestmark = pytest.mark.usefixtures("record")


def fr(name, **kwargs):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


PUBLIC = [
    lambda: fr("public:home"),
    lambda: fr("public:organisation-detail", slug="ibm"),
    lambda: fr("public:article-feed"),
    lambda: fr("public:membership-feed"),
    lambda: reverse("sitemap"),
    lambda: reverse("robots"),
    lambda: reverse("api:organisation-list"),
    lambda: reverse("api:organisation-detail", kwargs={"slug": "ibm"}),
    lambda: reverse("api:schema"),
]


@pytest.fixture(autouse=True)
def no_budget(settings):
    settings.API_ANONYMOUS_RATE = None


# Cache-Control ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC)
def test_public_answers_must_be_revalidated(client, url):
    response = client.get(url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"


def test_admin_pages_are_never_stored(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# Compression -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC)
def test_public_answers_are_compressed_for_clients_that_accept_gzip(client, url):
    plain = client.get(url())
    response = client.get(url(), headers={"accept-encoding": "gzip"})
    if len(plain.content) < 200:
        pytest.skip("too short to be worth compressing")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain.content


def test_admin_pages_with_a_csrf_token_are_never_compressed(admin_client):
    for url in (reverse("admin:login"), reverse("admin:alliance_organisation_changelist")):
        response = admin_client.get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code in (200, 302)
        assert "Content-Encoding" not in response, url


def test_an_answer_is_compressed_once_and_the_same_bytes_sent_after(client, monkeypatch):
    compressed = []
    real = gzip_middleware.compress_string

    def counting(content, **kwargs):
        compressed.append(len(content))
        return real(content, **kwargs)

    monkeypatch.setattr(gzip_middleware, "compress_string", counting)
    caches["gzipped"].clear()
    url = fr("public:home")
    plain = client.get(url)
    first, second = (client.get(url, headers={"accept-encoding": "gzip"}) for _ in range(2))
    assert compressed == [len(plain.content)]
    assert second.content == first.content
    assert gzip.decompress(second.content) == plain.content
    for header in ("Content-Encoding", "Content-Length", "ETag", "Vary"):
        assert second[header] == first[header], header
    assert second["ETag"] == "W/" + plain["ETag"]


def test_an_answer_that_changed_is_compressed_anew(client, monkeypatch):
    url = fr("public:organisation-detail", slug="ibm")
    client.get(url, headers={"accept-encoding": "gzip"})
    ibm = Organisation.objects.get(slug="ibm")
    ibm.name = "Blue Giant Machines"
    ibm.save()
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert "Blue Giant Machines" in gzip.decompress(response.content).decode()


def test_a_compressed_answer_still_answers_304(client):
    url = fr("public:organisation-detail", slug="ibm")
    first = client.get(url, headers={"accept-encoding": "gzip"})
    response = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": first["ETag"]})
    assert response.status_code == 304


# 304 only for what would be a 2xx --------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda: fr("public:organisation-detail", slug="nobody"),
        lambda: fr("public:organisation-list") + "?kind=banana",
    ],
    ids=["404", "400"],
)
def test_an_error_page_is_never_answered_304(client, url):
    home = client.get(fr("public:home"))
    status = client.get(url()).status_code
    assert status in (400, 404)
    conditional = {
        "if-modified-since": home["Last-Modified"],
        "if-none-match": home["ETag"],
    }
    assert client.get(url(), headers=conditional).status_code == status
    only_date = {"if-modified-since": home["Last-Modified"]}
    assert client.get(url(), headers=only_date).status_code == status
    assert "ETag" not in client.get(url())


def test_each_page_has_its_own_tag(client):
    tags = {
        client.get(fr("public:organisation-detail", slug=slug))["ETag"]
        for slug in ("ibm", "meta", "anthropic")
    }
    assert len(tags) == 3


def test_a_page_tag_sent_back_answers_304_before_the_page_is_drawn(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = False
    url = fr("public:organisation-detail", slug="ibm")
    etag = client.get(url)["ETag"]
    with django_assert_max_num_queries(1):
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304


# Methods ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["options", "trace"])
@pytest.mark.parametrize(
    "url", [lambda: fr("public:home"), lambda: reverse("robots"), lambda: reverse("sitemap")]
)
def test_pages_answer_options_and_trace_without_the_page(client, method, url):
    response = client.generic(method.upper(), url())
    assert response.content == b""
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.status_code == (204 if method == "options" else 405)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_pages_refuse_writes_with_405(client, method):
    response = client.generic(method, fr("public:home"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_trace_is_refused_everywhere(admin_client):
    assert admin_client.generic("TRACE", reverse("admin:index")).status_code == 405
    assert admin_client.generic("TRACE", reverse("api:api-root")).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("api:organisation-list"),
        lambda: reverse("api:organisation-detail", kwargs={"slug": "ibm"}),
        lambda: reverse("api:api-root"),
        lambda: reverse("api:schema"),
        lambda: reverse("api:docs"),
    ],
)
def test_api_answers_a_plain_options_as_its_allow_header_promises(client, url):
    response = client.options(url())
    assert response.status_code == 204
    assert "OPTIONS" in response["Allow"]
    assert response.content == b""


def test_head_on_robots_txt_answers_like_get(client):
    response = client.head(reverse("robots"))
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("name", ["robots", "sitemap"])
def test_robots_and_sitemap_carry_validators_and_answer_304(client, name):
    first = client.get(reverse(name))
    assert first["ETag"].startswith(('"', 'W/"'))
    again = client.get(reverse(name), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    if name == "sitemap":
        modified = client.get(reverse(name), headers={"if-modified-since": first["Last-Modified"]})
        assert modified.status_code == 304


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda: fr("public:search") + "?q=%00",
        lambda: fr("public:organisation-list") + "?q=a%00b",
        lambda: fr("public:home") + "?x%00=1",
    ],
)
def test_a_nul_in_the_address_answers_400(client, url):
    assert client.get(url()).status_code == 400


def test_a_nul_in_the_admin_autocomplete_answers_400(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "ib\x00m",
            "app_label": "alliance",
            "model_name": "membership",
            "field_name": "member",
        },
    )
    assert response.status_code == 400

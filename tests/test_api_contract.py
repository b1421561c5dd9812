"""The API's contract: read-only, throttled, open to any origin for reading, cacheable,
JSON by default, and described by a valid OpenAPI schema with docs served locally."""

import json

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from alliance.freshness import last_change
from alliance.models import Membership, Organisation

pytestmark = [
    pytest.mark.usefixtures("record"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ORIGIN = "https://newsroom.example"
LIST = "api:organisation-list"


@pytest.fixture(autouse=True)
def fresh_request_budget():
    cache.clear()
    yield
    cache.clear()


def detail(slug="ibm"):
    return reverse("api:organisation-detail", kwargs={"slug": slug})


# Read-only -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [lambda: reverse(LIST), detail, lambda: reverse("api:api-root")])
def test_write_methods_are_refused_with_405(client, method, url):
    response = getattr(client, method)(url(), data={"name": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_write_is_refused_even_with_a_session(admin_client):
    assert admin_client.delete(detail()).status_code == 405


def test_head_answers_like_get_without_a_body(client):
    response = client.head(detail())
    assert response.status_code == 200
    assert response.content == b""
    assert "ETag" in response


# Throttling ------------------------------------------------------------------------------


def test_over_budget_answers_429_with_retry_after(client, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    assert client.get(reverse(LIST)).status_code == 200
    assert client.get(detail()).status_code == 200
    response = client.get(reverse(LIST))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "detail" in response.json()


def test_budget_counts_per_client_address(client, settings):
    settings.API_ANONYMOUS_RATE = "1/minute"
    assert client.get(detail(), REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(detail(), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(detail(), REMOTE_ADDR="10.0.0.2").status_code == 200


def test_budget_ignores_forwarded_addresses_from_a_peer_that_is_not_the_balancer(client, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    settings.PROXY_COUNT = 1
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.2"]
    statuses = [
        client.get(
            detail(), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_budget_counts_each_client_behind_the_balancer(client, settings):
    settings.API_ANONYMOUS_RATE = "1/minute"
    settings.PROXY_COUNT = 1
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/24"]

    def get(forwarded):
        return client.get(
            detail(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert get("198.51.100.1") == 200
    assert get("198.51.100.1") == 429
    # A client's own X-Forwarded-For entry comes first: the balancer's last one counts.
    assert get("192.0.2.99, 198.51.100.1") == 429
    assert get("198.51.100.2") == 200


def test_no_rate_means_no_budget(client, settings):
    settings.API_ANONYMOUS_RATE = None
    assert all(client.get(detail()).status_code == 200 for _ in range(5))


# CORS ------------------------------------------------------------------------------------


def test_any_origin_may_get_the_api(client):
    response = client.get(detail(), headers={"origin": ORIGIN})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_preflight_allows_reading_only(client):
    response = client.options(
        detail(), headers={"origin": ORIGIN, "access-control-request-method": "DELETE"}
    )
    allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_public_pages_get_no_cors_headers(client):
    response = client.get(reverse("public:home"), headers={"origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response


# Conditional requests --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("api:api-root"),
        lambda: reverse(LIST),
        detail,
        lambda: reverse("api:schema"),
        lambda: reverse(LIST) + "?kind=planet",
        lambda: detail("nobody"),
    ],
)
def test_every_response_carries_etag_and_last_modified(client, url):
    response = client.get(url())
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")


def test_if_none_match_answers_304(client):
    etag = client.get(detail())["ETag"]
    response = client.get(detail(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_fresh_etag_is_answered_before_the_answer_is_made(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = False
    etag = client.get(detail())["ETag"]
    # One query: the record's last change. The organisation and its facts are not read.
    with django_assert_max_num_queries(1):
        response = client.get(detail(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_each_address_and_format_has_its_own_etag(client):
    tags = {
        client.get(reverse(LIST))["ETag"],
        client.get(reverse(LIST), {"kind": "company"})["ETag"],
        client.get(detail())["ETag"],
        client.get(detail("meta"))["ETag"],
        client.get(detail(), {"format": "json"})["ETag"],
    }
    assert len(tags) == 5


def test_an_error_is_never_answered_304(client):
    missing = client.get(detail("nobody"))
    response = client.get(detail("nobody"), headers={"if-none-match": missing["ETag"]})
    assert response.status_code == 404
    refused = client.get(reverse(LIST), {"kind": "planet"})
    response = client.get(
        reverse(LIST), {"kind": "planet"}, headers={"if-none-match": refused["ETag"]}
    )
    assert response.status_code == 400
    response = client.get(detail("nobody"), headers={"if-none-match": "*"})
    assert response.status_code == 404


def test_if_modified_since_answers_304(client):
    last_modified = client.get(reverse(LIST))["Last-Modified"]
    response = client.get(reverse(LIST), headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_stale_etag_gets_the_full_response(client):
    response = client.get(detail(), headers={"if-none-match": '"stale"'})
    assert response.status_code == 200


def test_an_edit_changes_the_etag_and_last_modified(client):
    before = client.get(detail())
    ibm = Organisation.objects.get(slug="ibm")
    ibm.description = "Cofondateur de l’AI Alliance."
    ibm.save()
    response = client.get(detail(), headers={"if-none-match": before["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != before["ETag"]
    assert response.json()["description"] == "Cofondateur de l’AI Alliance."
    assert last_change() >= Organisation.objects.get(slug="ibm").updated_at


def test_a_deletion_moves_last_modified():
    before = last_change()
    Membership.objects.get(slug="mit-ai-alliance").delete()
    # No row is left to carry an updated_at: the history entry dates the deletion.
    assert last_change() > before


def test_garbage_conditional_headers_are_ignored(client):
    headers = {"if-none-match": "\x7f garbage", "if-modified-since": "yesterday +99:99"}
    assert client.get(detail(), headers=headers).status_code == 200


# Formats ---------------------------------------------------------------------------------


def test_json_is_the_default(client):
    response = client.get(detail(), headers={"accept": "*/*"})
    assert response["Content-Type"] == "application/json"


def test_browsable_api_is_off_when_debug_is_off(client):
    assert client.get(detail(), {"format": "api"}).status_code == 400
    assert client.get(detail(), headers={"accept": "text/html"}).status_code == 406


# Schema and docs -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The schema as /api/schema/ serves it, asked once: it takes a second to build."""
    with django_db_blocker.unblock():
        response = Client().get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_describes_every_resource_list_and_detail(schema):
    for resource in [
        "organisations",
        "coalitions",
        "people",
        "memberships",
        "positions",
        "articles",
        "ai-systems",
        "citations",
    ]:
        assert f"/api/v1/{resource}/" in schema["paths"]
        assert f"/api/v1/{resource}/{{slug}}/" in schema["paths"]


def test_schema_documents_every_status_code(schema):
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        assert set(responses) == {"200", "304", "400", "404", "406", "429", "503"}, path
        assert "Retry-After" in responses["429"]["headers"]
        assert "Retry-After" in responses["503"]["headers"]


def test_schema_says_read_only_once_and_lists_no_operation_that_can_only_fail(schema):
    # Generated clients would get a method per refused write, each one certain to fail.
    assert {method for operations in schema["paths"].values() for method in operations} == {"get"}
    assert "Read-only: every write method" in schema["info"]["description"]


def test_schema_documents_each_filter(schema):
    names = {
        parameter["name"]
        for parameter in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]
    }
    assert names >= {
        "kind",
        "coalition",
        "role",
        "leaning",
        "country",
        "search",
        "ordering",
        "page",
        "page_size",
        "updated_since",
    }
    memberships = schema["paths"]["/api/v1/memberships/"]["get"]["parameters"]
    assert {p["name"] for p in memberships} >= {"started_on_after", "started_on_before", "status"}


def test_schema_description_comes_from_the_viewset_docstring(schema):
    description = schema["paths"]["/api/v1/positions/"]["get"]["description"]
    assert "affiliated_with" in description
    assert "429" in description


def test_docs_are_served_from_our_own_static_files(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_schema_is_made_once_per_process_language_and_format(client, monkeypatch):
    from alliance.api import schema as schema_module

    calls = []
    real = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    schema_module.served_schema.cache_clear()
    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    for _ in range(3):
        assert client.get(reverse("api:schema")).status_code == 200
        assert client.get(reverse("api:schema"), {"format": "json"}).status_code == 200
    assert len(calls) == 2
    schema_module.served_schema.cache_clear()


@pytest.mark.parametrize(
    "query",
    [{"x": "1"}, {"lang": "de"}, {"format": "json", "utm_source": "mail"}],
    ids=["unknown", "unknown-language", "extra"],
)
def test_schema_refuses_parameters_that_would_make_it_again(client, query):
    response = client.get(reverse("api:schema"), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_schema_says_the_language_it_is_written_in(client):
    english = client.get(reverse("api:schema"), headers={"accept-language": "fr"})
    french = client.get(reverse("api:schema"), {"lang": "fr"}, headers={"accept-language": "en"})
    assert english["Content-Language"] == "en"
    assert french["Content-Language"] == "fr"


def test_served_schema_is_the_generated_one_the_fuzzer_uses(client):
    served = client.get(reverse("api:schema"), {"format": "json"}).json()
    with translation.override("en"):
        generated = SchemaGenerator().get_schema(request=None, public=True)
    assert served == json.loads(json.dumps(generated))

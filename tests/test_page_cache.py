"""Whole answers kept for anonymous readers, and never one that is out of date."""

import re

import pytest
import tablib
from django.core.cache import caches
from django.core.handlers.base import BaseHandler
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import translation

from alliance.importing import MembershipResource
from alliance.models import Membership, MembershipRole, Organisation
from alliance.pagecache import NOT_MODIFIED_PREFIX

pytestmark = pytest.mark.usefixtures("record")


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True
    settings.API_ANONYMOUS_RATE = None
    for alias in ("default", "pages", "page-variants"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages", "page-variants"):
        caches[alias].clear()


def fr(name, **kwargs):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


def organisation_page():
    return fr("public:organisation-detail", slug="ibm")


def membership_feed():
    return fr("public:membership-feed")


def api_detail():
    return reverse("api:organisation-detail", kwargs={"slug": "ibm"})


def api_membership():
    return reverse("api:membership-detail", kwargs={"slug": "ibm-ai-alliance"})


WHERE_IBM_SHOWS = [organisation_page, membership_feed, api_detail]


def rename_ibm(name):
    ibm = Organisation.objects.get(slug="ibm")
    ibm.name = name
    ibm.save()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def warm(client, *urls):
    for url in urls:
        assert client.get(url).status_code == 200


# Served from the cache ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda: fr("public:home"),
        lambda: fr("public:organisation-list") + "?kind=company&page=1",
        organisation_page,
        membership_feed,
        lambda: reverse("api:organisation-list") + "?kind=company",
        api_detail,
    ],
)
def test_a_second_anonymous_get_is_answered_from_the_cache_with_only_the_version_query(
    client, django_assert_num_queries, url
):
    first = client.get(url())
    assert first.status_code == 200
    with django_assert_num_queries(1):
        second = client.get(url())
    assert second.status_code == 200
    assert second.content == first.content
    for header in ("ETag", "Last-Modified", "Content-Type", "Content-Security-Policy"):
        assert second.get(header) == first.get(header)


def nonce_page(request):
    """A page with an inline script, as a template with `{{ csp_nonce }}` makes it."""
    return HttpResponse(f'<script nonce="{get_nonce(request)}">document.title = "ok";</script>')


urlpatterns = [path("fr/nonce/", nonce_page)]


@pytest.mark.urls(__name__)
def test_a_page_whose_policy_carries_a_nonce_is_never_kept(client):
    first = client.get("/fr/nonce/")
    second = client.get("/fr/nonce/")
    nonces = [re.search(r'nonce="([^"]+)"', r.content.decode()).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_the_api_docs_page_gets_a_nonce_of_its_own_at_each_request(client):
    policies = {client.get(reverse("api:docs"))["Content-Security-Policy"] for _ in range(2)}
    assert len(policies) == 2
    assert all("'nonce-" in policy for policy in policies)


def test_pages_without_a_nonce_are_kept(client, django_assert_num_queries):
    url = fr("public:home")
    first = client.get(url)
    assert "'nonce-" not in first["Content-Security-Policy"]
    with django_assert_num_queries(1):
        assert client.get(url).content == first.content


def test_a_kept_answer_still_answers_a_conditional_request_with_304(
    client, django_assert_num_queries
):
    url = organisation_page()
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(1):
        response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304


# A 304 remembered ---------------------------------------------------------------------------


def conditional(client, url, **headers):
    return client.get(url, headers=headers)


@pytest.fixture
def no_view_reached(monkeypatch):
    """From here on, a request that goes down to the URL resolver fails."""

    def reached(*args, **kwargs):
        raise AssertionError("the request reached the views")

    def forbid():
        monkeypatch.setattr(BaseHandler, "resolve_request", reached)

    return forbid


def remembered_304s():
    return [
        key
        for alias in ("pages", "page-variants")
        for key in caches[alias]._cache
        if NOT_MODIFIED_PREFIX in key
    ]


@pytest.mark.parametrize(
    "url",
    [
        organisation_page,
        lambda: fr("public:organisation-list") + "?kind=company",
        api_detail,
        lambda: reverse("api:organisation-list") + "?kind=company",
    ],
)
def test_a_304_given_once_is_given_again_before_the_views_with_the_same_headers(
    client, settings, no_view_reached, url
):
    settings.PAGE_CACHE = False
    url = url()
    etag = client.get(url)["ETag"]
    first = conditional(client, url, if_none_match=etag)
    assert first.status_code == 304
    no_view_reached()
    second = conditional(client, url, if_none_match=etag)
    assert second.status_code == 304
    assert sorted(second.items()) == sorted(first.items())
    assert second.content == b""


def test_a_date_sent_back_is_weighed_against_the_remembered_last_modified(
    client, settings, monkeypatch, no_view_reached
):
    settings.PAGE_CACHE = False
    url = organisation_page()
    last_modified = client.get(url)["Last-Modified"]
    assert conditional(client, url, if_modified_since=last_modified).status_code == 304
    no_view_reached()
    assert conditional(client, url, if_modified_since=last_modified).status_code == 304
    monkeypatch.undo()
    older = conditional(client, url, if_modified_since="Sat, 01 Jan 2000 00:00:00 GMT")
    assert older.status_code == 200


def test_after_an_edit_the_old_tag_gets_the_new_page_and_its_tag(client, settings):
    settings.PAGE_CACHE = False
    url = organisation_page()
    etag = client.get(url)["ETag"]
    assert conditional(client, url, if_none_match=etag).status_code == 304
    rename_ibm("Blue Giant Machines")
    response = conditional(client, url, if_none_match=etag)
    assert response.status_code == 200
    assert "Blue Giant Machines" in response.content.decode()
    assert response["ETag"] != etag
    assert conditional(client, url, if_none_match=response["ETag"]).status_code == 304


def test_another_tag_gets_the_page_not_the_remembered_304(client, settings):
    settings.PAGE_CACHE = False
    url = organisation_page()
    etag = client.get(url)["ETag"]
    assert conditional(client, url, if_none_match=etag).status_code == 304
    response = conditional(client, url, if_none_match='"an-old-tag"')
    assert response.status_code == 200
    assert response["ETag"] == etag


def test_a_304_in_one_language_is_never_given_for_the_other(client, settings):
    settings.PAGE_CACHE = False
    url = api_detail()
    french = client.get(url, headers={"accept-language": "fr"})["ETag"]
    assert conditional(client, url, if_none_match=french, accept_language="fr").status_code == 304
    english = conditional(client, url, if_none_match=french, accept_language="en")
    assert english.status_code == 200
    assert english["Content-Language"] == "en"


def test_a_remembered_304_still_counts_against_the_request_budget(client, settings):
    settings.PAGE_CACHE = False
    settings.API_ANONYMOUS_RATE = "3/minute"
    url = api_detail()
    etag = client.get(url)["ETag"]
    assert conditional(client, url, if_none_match=etag).status_code == 304
    assert remembered_304s()
    assert conditional(client, url, if_none_match=etag).status_code == 304
    assert conditional(client, url, if_none_match=etag).status_code == 429


def test_no_304_is_remembered_for_an_editor_or_with_kept_pages_off(admin_client, client, settings):
    url = organisation_page()
    etag = admin_client.get(url)["ETag"]
    assert conditional(admin_client, url, if_none_match=etag).status_code == 304
    assert remembered_304s() == []
    settings.KEPT_PAGES = False
    etag = client.get(url)["ETag"]
    assert conditional(client, url, if_none_match=etag).status_code == 304
    assert remembered_304s() == []


def kept_entries():
    return len(caches["pages"]._cache)


def test_parameters_that_change_nothing_share_the_kept_page_and_file_none(
    client, django_assert_num_queries
):
    url = fr("public:organisation-list") + "?kind=company"
    first = client.get(url)
    entries = kept_entries()
    for n in range(20):
        with django_assert_num_queries(1):
            response = client.get(f"{url}&utm_source=n{n}&fbclid={n}&zz{n}=1")
        assert response.content == first.content
    assert kept_entries() == entries


def test_an_address_with_junk_parameters_files_the_answer_of_the_clean_one(client):
    url = fr("public:organisation-list")
    junk = client.get(url + "?utm_campaign=spam&fbclid=1")
    assert junk.status_code == 200
    assert "utm_campaign" not in junk.content.decode()  # drawn from the clean address
    assert queries(client, url) == 1
    assert client.get(url).content == junk.content


def test_empty_parameters_and_the_first_page_share_the_plain_entry(
    client, django_assert_num_queries
):
    url = fr("public:organisation-list")
    first = client.get(url)
    for query in ["?kind=", "?page=1", "?page=01", "?q=&page=&kind=", "?page=1&country=%20"]:
        with django_assert_num_queries(1):
            response = client.get(url + query)
        assert response.content == first.content, query
    assert len(caches["page-variants"]._cache) == 0


def test_each_page_number_or_search_costs_one_drawing_at_most(client):
    organisations = fr("public:organisation-list")
    search = fr("public:search")
    addresses = [f"{organisations}?page={n}" for n in (2, 3, 999)]
    addresses += [f"{search}?q={word}" for word in ("ibm", "meta", "zzz")]
    for url in addresses:
        assert queries(client, url) > 1, url
        assert queries(client, url) == 1, url


def test_an_unknown_filter_value_is_drawn_once_and_still_answers_400(client):
    url = fr("public:organisation-list") + "?kind=banana"
    first = client.get(url)
    assert first.status_code == 400
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert len(again) == 1
    assert second.status_code == 400
    assert second.content == first.content


def test_a_flood_of_page_numbers_never_pushes_out_the_plain_pages(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "page-variants": {**settings.CACHES["page-variants"], "OPTIONS": {"MAX_ENTRIES": 5}},
    }
    plain = fr("public:organisation-list")
    client.get(plain)
    for page in range(2, 40):
        client.get(f"{plain}?page={page}")
    assert 0 < len(caches["page-variants"]._cache) <= 5
    assert queries(client, plain) == 1


def test_the_order_of_parameters_does_not_make_a_new_entry(client, django_assert_num_queries):
    url = fr("public:organisation-list")
    client.get(url + "?kind=company&leaning=open")
    with django_assert_num_queries(1):
        client.get(url + "?leaning=open&kind=company")


def test_the_page_cache_holds_at_most_its_entries(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**settings.CACHES["pages"], "OPTIONS": {"MAX_ENTRIES": 10}},
        "page-variants": {**settings.CACHES["page-variants"], "OPTIONS": {"MAX_ENTRIES": 10}},
    }
    for page in range(1, 30):
        client.get(reverse("api:organisation-list") + f"?page_size=1&page={page}")
    assert 0 < len(caches["page-variants"]._cache) <= 10
    assert kept_entries() <= 10


def test_an_answer_larger_than_the_entry_bound_is_not_kept(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**settings.CACHES["pages"], "OPTIONS": {"MAX_ENTRY_BYTES": 1000}},
    }
    # The bound is on each worker's memory; the server's shared directory is on disk.
    settings.SHARED_DRAWINGS_DIR = ""
    url = organisation_page()
    client.get(url)
    assert queries(client, url) > 1
    assert kept_entries() == 0


def test_the_counters_live_apart_from_the_kept_pages(client, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    url = api_detail()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    caches["pages"].clear()
    assert client.get(url).status_code == 429


def test_languages_and_query_strings_are_kept_apart(client):
    api = reverse("api:organisation-list")
    french = client.get(api, headers={"accept-language": "fr"})
    english = client.get(api, headers={"accept-language": "en"})
    # Each language its own answer: never the other's kept one.
    assert (french["Content-Language"], english["Content-Language"]) == ("fr", "en")
    assert french.content != english.content
    refused = client.get(api + "?kind=planet", headers={"accept-language": "en"})
    assert refused["Content-Language"] == "en"
    assert "Select a valid choice" in refused.content.decode()
    organisations = fr("public:organisation-list")
    companies = client.get(organisations + "?kind=company").content
    coalitions = client.get(organisations + "?kind=coalition").content
    assert companies != coalitions


# Never cached -----------------------------------------------------------------------------


def test_a_signed_in_editor_always_gets_a_fresh_page(admin_client):
    url = organisation_page()
    admin_client.get(url)
    assert queries(admin_client, url) > 1


def test_the_admin_is_never_cached(admin_client):
    url = reverse("admin:alliance_organisation_changelist")
    admin_client.get(url)
    assert queries(admin_client, url) > 1


def test_page_cache_and_kept_pages_off_compute_every_answer(client, settings):
    settings.PAGE_CACHE = False
    settings.KEPT_PAGES = False
    url = api_detail()
    client.get(url)
    assert queries(client, url) > 1


def test_a_kept_api_answer_still_counts_against_the_request_budget(client, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    url = api_detail()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


# Never stale ------------------------------------------------------------------------------


def assert_shows_everywhere(client, text):
    for url in WHERE_IBM_SHOWS:
        assert text in client.get(url()).content.decode(), url()


def test_an_edit_shows_at_once_on_the_page_the_feed_and_the_api(client):
    urls = [url() for url in WHERE_IBM_SHOWS]
    warm(client, *urls)
    rename_ibm("Blue Giant Machines")
    assert_shows_everywhere(client, "Blue Giant Machines")


def test_a_revert_shows_at_once(client):
    Organisation.objects.get(slug="ibm").save()  # A first history entry, as the admin keeps.
    rename_ibm("Blue Giant Machines")
    warm(client, *(url() for url in WHERE_IBM_SHOWS))
    ibm = Organisation.objects.get(slug="ibm")
    earlier = ibm.history.order_by("history_date")[0]
    earlier.instance.save()
    for url in WHERE_IBM_SHOWS:
        assert "Blue Giant Machines" not in client.get(url()).content.decode()


def test_an_edit_by_csv_import_shows_at_once(client):
    warm(client, api_membership())
    resource = MembershipResource()
    dataset = resource.export(Membership.objects.filter(slug="ibm-ai-alliance"))
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    row["role"] = MembershipRole.MEMBER
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([row[header] for header in dataset.headers])
    result = resource.import_data(changed, dry_run=False)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert client.get(api_membership()).json()["role"] == MembershipRole.MEMBER


def test_a_fixture_load_shows_at_once(client):
    rename_ibm("Blue Giant Machines")
    warm(client, *(url() for url in WHERE_IBM_SHOWS))
    call_command("loaddata", "alliance", verbosity=0)
    for url in WHERE_IBM_SHOWS:
        assert "Blue Giant Machines" not in client.get(url()).content.decode()


def test_a_deletion_shows_at_once(client):
    url = fr("public:coalition-detail", slug="ai-alliance")
    before = client.get(url).content
    warm(client, api_membership())
    Membership.objects.filter(slug="ibm-ai-alliance").delete()
    assert client.get(url).content != before
    assert client.get(api_membership()).status_code == 404

"""The record's freshness is worked out in one place and read once per request."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alliance import freshness
from alliance.models import Organisation

pytestmark = pytest.mark.usefixtures("record")

API = Path(settings.BASE_DIR) / "alliance" / "api"


@pytest.fixture(params=[True, False], ids=["page-cache-on", "page-cache-off"])
def page_cache(request, settings):
    settings.PAGE_CACHE = request.param
    settings.API_ANONYMOUS_RATE = None
    caches["pages"].clear()
    yield request.param
    caches["pages"].clear()


def french(name, **kwargs):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


def reads_of_the_last_change(queries):
    return sum("MAX(changed)" in query["sql"] for query in queries)


@pytest.mark.parametrize(
    "address",
    [
        lambda: french("public:home"),
        lambda: french("public:organisation-detail", slug="ibm"),
        lambda: reverse("api:organisation-list"),
        lambda: reverse("api:organisation-detail", kwargs={"slug": "ibm"}),
    ],
    ids=["home", "organisation page", "api list", "api detail"],
)
def test_a_request_reads_the_record_last_change_once(client, page_cache, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address()).status_code == 200
    assert reads_of_the_last_change(queries.captured_queries) == 1


def test_pages_and_the_api_give_the_same_last_modified(client, page_cache):
    page = client.get(french("public:organisation-detail", slug="ibm"))
    answer = client.get(reverse("api:organisation-detail", kwargs={"slug": "ibm"}))
    assert page["Last-Modified"] == answer["Last-Modified"]
    assert page["Last-Modified"] == freshness.current().last_modified_http


def test_an_edit_moves_the_version_that_pages_and_the_api_report(client):
    before = freshness.current().version
    ibm = Organisation.objects.get(slug="ibm")
    ibm.name = "IBM Corporation"
    ibm.save()
    after = freshness.current().version
    assert after != before
    changes = client.get(reverse("api:change-list")).json()
    assert changes["version"] == after


def test_the_api_imports_nothing_from_the_public_pages():
    imported = set()
    for path in API.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name) for alias in node.names)
    assert not [(name, module) for name, module in imported if module.startswith("alliance.public")]


def test_every_table_the_last_change_reads_has_its_change_date_indexed():
    for model in freshness.content_models():
        indexed = [index.fields for index in model._meta.indexes]
        assert ["updated_at"] in indexed, model.__name__


def declared_indexes(model):
    names = {index.name for index in model._meta.indexes}
    names.update(c.name for c in model._meta.constraints)
    return names


@pytest.mark.django_db
def test_every_index_in_the_database_is_declared_on_a_model():
    """Only the trigram indexes (PostgreSQL only) live outside the models' Meta."""
    from django.apps import apps

    undeclared = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("alliance").get_models():
            if model._meta.proxy:
                continue
            table = model._meta.db_table
            found = connection.introspection.get_constraints(cursor, table)
            # A field's own index: a foreign key's, `db_index`, or PostgreSQL's `_like`.
            own = {f.column for f in model._meta.local_fields if f.db_index or f.unique}
            for name, details in found.items():
                if not details["index"] or details["primary_key"] or details["unique"]:
                    continue
                if details["columns"] in ([column] for column in own):
                    continue
                if name.endswith("_search_trgm_idx"):
                    continue  # the trigram index, PostgreSQL's own SQL
                if name not in declared_indexes(model):
                    undeclared.append((table, name))
    assert undeclared == []


def counts(queries):
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]


@pytest.mark.parametrize(
    "address",
    [lambda: french("public:position-list"), lambda: reverse("api:position-list")],
    ids=["positions page", "api positions"],
)
def test_a_list_counts_its_rows_once_per_version_and_again_after_an_edit(client, settings, address):
    settings.PAGE_CACHE = False
    settings.KEPT_PAGES = False
    settings.API_ANONYMOUS_RATE = None
    client.get(address())
    with CaptureQueriesContext(connection) as again:
        client.get(address())
    assert counts(again.captured_queries) == []
    from alliance.models import Position

    Position.objects.public().first().delete()
    with CaptureQueriesContext(connection) as after_edit:
        response = client.get(address())
    assert len(counts(after_edit.captured_queries)) == 1
    if address().startswith("/api/"):
        assert response.json()["count"] == Position.objects.public().count()


def test_a_kept_count_outlives_an_edit_to_a_table_its_query_does_not_read(client, settings):
    settings.PAGE_CACHE = False
    settings.KEPT_PAGES = False
    address = french("public:position-list")
    client.get(address)
    ibm = Organisation.objects.get(slug="ibm")
    ibm.description = "Décrite à nouveau : rien de ce que les positions comptent."
    ibm.save()
    with CaptureQueriesContext(connection) as after_edit:
        client.get(address)
    assert counts(after_edit.captured_queries) == []


def test_the_tables_a_query_reads_include_its_subqueries():
    from alliance.models import Position

    sql, _params = Position.objects.public().query.sql_with_params()
    tables = freshness.tables_in(sql)
    assert "alliance_position" in tables
    assert "alliance_article" in tables  # a draft article's facts are not public
    assert "alliance_organisation" not in tables


def test_what_reads_history_follows_the_tables_whose_history_it_is():
    from alliance.models import Organisation

    sql, _params = Organisation.history.all().query.sql_with_params()
    assert freshness.tables_in(sql) == {"alliance_organisation"}
    assert freshness.tables_in('SELECT 1 FROM "auth_user"') is None


def test_a_filter_form_drawn_once_still_shows_each_choice_and_each_edit(client, settings):
    settings.PAGE_CACHE = False
    settings.KEPT_PAGES = False
    url = french("public:organisation-list")
    plain = client.get(url).content.decode()
    chosen = client.get(url + "?kind=company").content.decode()
    assert '<option value="company" selected>' in chosen
    assert '<option value="company" selected>' not in plain
    assert '<option value="company" selected>' not in client.get(url).content.decode()
    coalition = Organisation.objects.filter(kind="coalition").first()
    coalition.name = "Coalition renommée"
    coalition.save()
    assert "Coalition renommée" in client.get(url).content.decode()
    with translation.override("en"):
        english = client.get(reverse("public:organisation-list")).content.decode()
    assert "Any kind" in english
    assert "Any kind" not in plain


def test_the_home_page_is_drawn_once_per_version_and_again_after_an_edit(client, settings):
    settings.PAGE_CACHE = False
    url = french("public:home")
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).content.decode() == first
    assert reads_of_the_last_change(again.captured_queries) == len(again) == 1
    with translation.override("en"):
        assert client.get(reverse("public:home")).content.decode() != first
    from alliance.models import Article

    article = Article.objects.public().first()
    article.title = "Un titre modifié à l’instant"
    article.save()
    assert "Un titre modifié à l’instant" in client.get(url).content.decode()

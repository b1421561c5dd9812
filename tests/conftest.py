"""Shared fixtures.

The real record (the committed fixture built from the document) is loaded once, when the
test database is made. Each test runs in a transaction that is rolled back, so every test
sees the record as loaded. Two kinds of test see something else:

- transactional tests (the live server, the browser) commit, and the database is emptied
  after each of them; pytest-django runs them after all the others, and `record` loads the
  record again for each of them;
- tests that need an empty database ask for `no_record`.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction


def load_record():
    call_command("loaddata", "alliance", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the real record loaded once for the whole run."""
    with django_db_blocker.unblock():
        load_record()


@pytest.fixture
def record(db):
    """The real record, loaded from the committed fixture built from the document.

    Already there for a test that runs in a transaction; loaded again (over whatever a
    previous transactional test left) for one that commits.
    """
    if not connection.in_atomic_block:
        load_record()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache.

    Every test sees the same version of the record, so a page one test kept (after an
    `.update()` that leaves the version alone) would otherwise be served to the next;
    and the API's request budget starts afresh. Every alias: pages and counters.
    """
    for alias in caches:
        caches[alias].clear()


def delete_the_record():
    """Delete every row of the app (the caller's transaction brings them back)."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model in apps.get_app_config("alliance").get_models():
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")


@pytest.fixture
def no_record(db):
    """An empty record: every row of the app deleted, inside the test's transaction."""
    delete_the_record()


@contextmanager
def rows_for_the_scope(django_db_blocker, build):
    """Rows that `build()` writes once, for every test of a module- or class-scoped fixture.

    They are written in a transaction that stays open while the tests run (each test's own
    is a savepoint inside it) and is rolled back when the scope ends, as Django's
    TestCase.setUpTestData does. Use it with a class scope when the module holds other
    tests, which must not see the rows. Not for transactional tests, which commit.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# Browser tests ---------------------------------------------------------------
# Debian's Chromium, driven by Playwright; Playwright never downloads a browser here.

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
# CI sets REQUIRE_BROWSER=1: there a missing browser is a failure, not a skip.
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Before `-m` selects: a browser or several servers take seconds to start and drive.
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("multiprocess"):
            item.add_marker(pytest.mark.slow)


def pytest_report_header(config):
    if CHROMIUM.exists():
        return f"browser tests: run with {CHROMIUM}"
    if REQUIRE_BROWSER:
        return f"browser tests: REQUIRED but {CHROMIUM} is missing: they will fail"
    return f"browser tests: SKIPPED, {CHROMIUM} is not installed (apt-get install chromium)"


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """The live server, started once the test database exists.

    Started earlier, it cannot see that the SQLite test database lives in memory: each
    request thread then opens a connection of its own that is never closed (a
    ResourceWarning, an error here) instead of sharing the test's connection.
    """
    return live_server


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls the tests make around it
    # are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page; fails the test on any console error (CSP violations included)."""
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def screenshot(page, request):
    """Save a screenshot under test-artifacts/ (git-ignored): screenshot("home")."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name):
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def passage_links(article_slug, number, language="fr"):
    """The addresses of the passages of paragraph `number`: where a fact citing one of
    them links to (the passage's anchor on the article page)."""
    from django.utils import translation

    from alliance.models import Citation

    citations = Citation.objects.filter(
        article__slug=article_slug, paragraph__number=number
    ).select_related("paragraph__article")
    with translation.override(language):
        return [citation.get_absolute_url() for citation in citations]


def first_link(content, article_slug, number):
    """Where the first link to a passage of paragraph `number` is in `content`, or -1."""
    found = [content.find(link) for link in passage_links(article_slug, number)]
    return min((index for index in found if index >= 0), default=-1)

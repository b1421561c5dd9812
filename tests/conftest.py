"""Shared fixtures."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.fixture
def record(db):
    """The real record, loaded from the committed fixture built from the document."""
    call_command("loaddata", "alliance", verbosity=0)


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

"""axe-core in Debian's Chromium: no accessibility violation, of any impact, on any page.

axe.min.js comes from the pinned `axe-playwright-python` package (installed by `make venv`
with the dev dependencies), never from a CDN: the check runs offline. It is evaluated
through the browser's debugging protocol, which the page's strict CSP does not govern,
so the pages are checked as readers get them.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.browser

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"
PUBLIC_PAGES = [
    ("public:home", {}),
    ("public:coalition-list", {}),
    ("public:coalition-detail", {"slug": "ai-alliance"}),
    ("public:organisation-list", {}),
    ("public:organisation-detail", {"slug": "ibm"}),
    ("public:person-list", {}),
    ("public:person-detail", {"slug": "dario-gil"}),
    ("public:position-list", {}),
    ("public:article-list", {}),
    ("public:article-detail", {"slug": ARTICLE}),
    ("public:search", {}),
    ("public:aisystem-list", {}),
    ("public:aisystem-detail", {"slug": "watsonx"}),
    ("public:about", {}),
]


def axe_source():
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def violations(page):
    page.evaluate(axe_source())
    results = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(results => results.violations)"
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(
            f"{node['target']} {node.get('failureSummary', '')[:160]!r}"
            for node in violation["nodes"][:8]
        )
        for violation in results
    ]


@pytest.fixture
def record_loaded(transactional_db):
    call_command("loaddata", "alliance", verbosity=0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_public_pages_have_no_accessibility_violation(page, record_loaded, language, name, kwargs):
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    with translation.override(language):
        url = reverse(name, kwargs=kwargs or None)
    if name == "public:search":
        url += "?q=ibm"
    assert page.goto(url).status == 200
    assert violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_the_admin_login_and_lists_have_no_accessibility_violation(
    page, record_loaded, django_user_model
):
    django_user_model.objects.create_superuser("editor", password="a long passphrase")
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(reverse("admin:login"))
    assert violations(page) == [], "login"
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a long passphrase")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{reverse('admin:index')}")
    for url in [
        reverse("admin:index"),
        reverse("admin:alliance_membership_changelist"),
    ]:
        assert page.goto(url).status == 200
        assert violations(page) == [], url


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_have_no_accessibility_violation(page, record_loaded):
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    assert page.goto(reverse("api:docs")).status == 200
    page.wait_for_selector(".swagger-ui .info")
    assert violations(page) == []

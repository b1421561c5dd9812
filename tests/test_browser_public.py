"""A reader's walk through the public site in Debian's Chromium, with screenshots."""

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def walk(record, page, screenshot):
    """The record, and a helper that screenshots the page at desktop and phone widths."""

    def shoot(name):
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            # Nothing may stick out sideways at phone width: the chart scrolls in its own box.
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} is {overflow}px too wide at {label} width"
            screenshot(f"{name}-{label}")
        page.set_viewport_size(DESKTOP)

    return shoot


def test_reader_walks_from_home_to_the_paragraph_behind_a_quote(page, walk):
    page.set_viewport_size(DESKTOP)
    page.goto("/fr/")
    assert page.locator("h1").inner_text() == "L’AI Alliance, pièces à l’appui"
    # The first Tab reaches the skip link, which is then visible.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    # The chart's marks are links.
    assert page.locator("svg a.chart-mark").count() >= 9
    walk("home")

    page.locator("#glance-heading a").click()
    page.wait_for_url("**/fr/coalitions/ai-alliance/")
    assert page.locator("#absentees-heading").is_visible()
    walk("coalition")

    page.locator("#role-founder ~ ul a", has_text="IBM").first.click()
    page.wait_for_url("**/fr/organisations/ibm/")
    walk("organisation")

    page.locator("#people-heading ~ ul a", has_text="Darío Gil").first.click()
    page.wait_for_url("**/fr/people/dario-gil/")
    quote = page.locator("figure.quote")
    assert "Il s’agit d’une approche" in quote.locator("blockquote").inner_text()
    walk("quote")

    quote.locator("a.quote-source").click()
    page.wait_for_url("**/fr/articles/meta-et-ibm-creent-l-ai-alliance/#*")
    # The link leads to the passage itself, lit on arrival, inside paragraph 5.
    anchor = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    target = page.locator(f'[id="{anchor}"]')
    assert target.evaluate("element => element.matches(':target')")
    assert target.evaluate("element => element.closest('.paragraph').id") == "p5"
    lit = page.locator("#p5 mark.is-target")
    assert lit.count() >= 1
    assert "Il s’agit d’une approche" in " ".join(lit.all_inner_texts())
    assert page.locator("#p1 mark").count() >= 4
    # The other language keeps the place on the page.
    english = page.get_by_role("link", name="English").get_attribute("href")
    assert english.endswith(f"/en/articles/meta-et-ibm-creent-l-ai-alliance/#{anchor}")
    # Notes sit in the margin beside their paragraph on a wide screen...
    text_box = page.locator("#p5 > p").bounding_box()
    notes_box = page.locator("#p5 .notes-fold").bounding_box()
    assert notes_box["x"] > text_box["x"] + text_box["width"]
    walk("article")
    # ...and fold under it on a phone.
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.locator("#p1 details.notes-fold").get_attribute("open") is None
    assert not page.locator("#p1 .notes").is_visible()
    page.locator("#p1 details.notes-fold summary").click()
    assert page.locator("#p1 .notes").is_visible()


def test_reader_switches_language_and_searches_without_accents(page, walk):
    page.set_viewport_size(DESKTOP)
    page.goto("/fr/coalitions/ai-alliance/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/coalitions/ai-alliance/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#absentees-heading").inner_text().startswith("Notably absent")
    walk("english")

    search = page.get_by_role("search").first
    search.get_by_role("searchbox").fill("attenuer")
    search.get_by_role("button").click()
    page.wait_for_url("**/en/search/?q=attenuer")
    results = page.locator(".paragraph-results a")
    assert results.count() == 4
    walk("search")

    results.first.click()
    page.wait_for_url("**/en/articles/meta-et-ibm-creent-l-ai-alliance/#p6")
    assert page.locator("#p6").evaluate("element => element.matches(':target')")
    assert page.locator("article.source-article").get_attribute("lang") == "fr"


def test_unknown_page_is_helpful_in_the_browser(chromium, live_server):
    # Its own context: the `page` fixture counts the 404 of the document itself as an error.
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    try:
        response = page.goto("/fr/organisations/nobody/")
        assert response.status == 404
        assert page.locator("h1").count() == 1
        assert page.get_by_role("search").count() >= 1
        # The page keeps the site's look: its stylesheet loaded.
        assert (
            page.locator(".site-header").evaluate(
                "element => getComputedStyle(element).borderBottomStyle"
            )
            == "solid"
        )
        assert failed == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "not-found-phone.png"), full_page=True)
    finally:
        context.close()

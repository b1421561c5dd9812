"""Every public page at a small phone, a phone and a laptop, in Debian's Chromium: nothing
sticks out sideways, touch targets are big enough, and axe finds no violation at 320 px.
Screenshots of each page at each width are saved under test-artifacts/."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import ARTIFACTS
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"
WIDTHS = {"320": 320, "390": 390, "1366": 1366}
PAGES = [
    ("public:home", {}, ""),
    ("public:coalition-list", {}, ""),
    ("public:coalition-detail", {"slug": "ai-alliance"}, ""),
    ("public:organisation-list", {}, ""),
    ("public:organisation-detail", {"slug": "ibm"}, ""),
    ("public:person-list", {}, ""),
    ("public:person-detail", {"slug": "dario-gil"}, ""),
    ("public:position-list", {}, ""),
    ("public:article-list", {}, ""),
    ("public:article-detail", {"slug": ARTICLE}, ""),
    ("public:aisystem-list", {}, ""),
    ("public:aisystem-detail", {"slug": "watsonx"}, ""),
    ("public:search", {}, "?q=ibm"),
    ("public:about", {}, ""),
]

#: Links and buttons smaller than this, in CSS pixels, that are not inline in a sentence
#: (WCAG 2.2 target size, minimum).
TARGET = 24
SMALL_TARGETS = f"""
() => [...document.querySelectorAll('a.source, .note-ref a, .paragraph-number, button, summary')]
  .filter(el => el.offsetParent !== null)
  .map(el => [el.className || el.tagName, el.getBoundingClientRect()])
  .filter(([, box]) => box.width < {TARGET} || box.height < {TARGET})
  .map(([name, box]) => `${{name}} ${{Math.round(box.width)}}x${{Math.round(box.height)}}`)
"""


def address(name, kwargs, query, language="fr"):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None) + query


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES, ids=[name for name, *_ in PAGES])
def test_no_page_scrolls_sideways_at_phone_and_laptop_widths(record, page, name, kwargs, query):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(address(name, kwargs, query))
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} is {overflow}px too wide at {width}px"
        assert page.evaluate(SMALL_TARGETS) == [], f"small touch targets at {width}px"
        if width == WIDTHS["320"]:
            # Folded filters and notes, stacked grids: axe checks the phone's page too.
            assert violations(page) == []
        slug = name.split(":")[1]
        page.screenshot(path=str(ARTIFACTS / f"width-{slug}-{label}.png"), full_page=True)


def test_list_filters_fold_away_on_a_phone_unless_applied(record, page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(address("public:organisation-list", {}, ""))
    assert page.locator("details.filter-fold").get_attribute("open") is None
    page.goto(address("public:organisation-list", {}, "?kind=company"))
    assert page.locator("details.filter-fold").get_attribute("open") is not None
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(address("public:organisation-list", {}, ""))
    assert page.locator("details.filter-fold").get_attribute("open") is not None


def test_the_unknown_page_fits_a_small_phone_and_links_to_english(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        assert page.goto("/fr/nowhere-at-all/").status == 404
        assert (
            page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            <= 0
        )
        page.get_by_role("link", name="English").click()
        page.wait_for_url("**/en/")
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("public:home", {}), ("public:coalition-detail", {"slug": "ai-alliance"})],
    ids=["home", "coalition"],
)
def test_the_picture_shows_all_its_columns_at_every_width(record, page, name, kwargs):
    page.goto(address(name, kwargs, ""))
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 800})
        wide = page.locator("svg.story-wide")
        narrow = page.locator("svg.story-narrow")
        shown = wide if wide.is_visible() else narrow
        assert shown.is_visible()
        box = shown.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width, f"cut at {width}px"
        if shown == wide:
            headings = page.locator("svg.story-wide .chart-heading")
            assert headings.count() == 4  # open, cautious, closed, no stance
            for index in range(4):
                heading = headings.nth(index).bounding_box()
                assert heading["x"] + heading["width"] <= box["x"] + box["width"] + 1
        else:
            # Stacked on a phone: each leaning a heading of its own, text big enough.
            labels = page.locator("svg.story-narrow .story-leaning-label").all_text_contents()
            assert {"OUVERT", "PRUDENT", "FERMÉ"} <= {label.upper() for label in labels}
            size = page.locator("svg.story-narrow .chart-mark text").first.evaluate(
                "el => el.getBoundingClientRect().height"
            )
            assert size >= 12, f"{size}px text at {width}px"
        # Every mark is a link.
        marks = shown.locator(".chart-mark")
        assert marks.count() > 10
        assert marks.count() == shown.locator("a.chart-mark[href]").count()

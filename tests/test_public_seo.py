"""What search engines and feed readers get: sitemap, robots.txt, feeds, links, JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from alliance.models import Membership, Organisation
from tests.conftest import passage_links

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)


def address(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def structured_data(client, name, **kwargs):
    content = client.get(address(name, **kwargs)).content.decode()
    return [json.loads(block) for block in JSON_LD.findall(content)]


def test_sitemap_lists_every_page_in_both_languages_with_alternates(client, record):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = {url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")}
    for path in (
        "/fr/",
        "/en/",
        "/fr/coalitions/ai-alliance/",
        "/en/organisations/ibm/",
        "/fr/people/dario-gil/",
        f"/fr/articles/{ARTICLE}/",
        "/en/positions/",
        "/fr/ai-systems/",
        "/en/ai-systems/llama-2/",
        "/fr/about/",
    ):
        assert f"http://testserver{path}" in locations
    # A coalition has one address: its coalition page, not an organisation page.
    assert "http://testserver/fr/organisations/ai-alliance/" not in locations
    alternates = {link.get("hreflang") for link in root.iter(f"{XHTML}link")}
    assert {"fr", "en", "x-default"} <= alternates


def test_robots_txt_points_to_the_sitemap_and_keeps_search_out(client):
    response = client.get(reverse("robots"))
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /fr/search/" in text
    assert "Disallow: /en/search/" in text


def test_article_feed_is_atom_with_the_article(client, record):
    response = client.get(address("public:article-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].findtext(f"{ATOM}title").startswith("Meta et IBM créent")
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/fr/articles/{ARTICLE}/")


def test_membership_feed_shows_a_change_as_a_new_entry(client, record):
    def entries():
        root = ET.fromstring(client.get(address("public:membership-feed")).content)
        return root.findall(f"{ATOM}entry")

    before = entries()
    assert len(before) == Membership.objects.count()
    membership = Membership.objects.get(slug="intel-ai-alliance")
    membership.role = "member"
    membership.save()
    after = entries()
    newest = after[0]
    assert "Intel" in newest.findtext(f"{ATOM}title")
    assert newest.findtext(f"{ATOM}id") not in {entry.findtext(f"{ATOM}id") for entry in before}


def test_pages_have_canonical_alternates_and_open_graph(client, record):
    content = client.get(
        address("public:organisation-list") + "?kind=company&page=1"
    ).content.decode()
    assert '<link rel="canonical" href="http://testserver/fr/organisations/">' in content
    assert 'hreflang="en" href="http://testserver/en/organisations/"' in content
    assert 'hreflang="x-default" href="http://testserver/fr/organisations/"' in content
    assert '<meta property="og:url" content="http://testserver/fr/organisations/">' in content
    assert '<meta property="og:locale" content="fr_FR">' in content
    assert '<meta property="og:locale:alternate" content="en_GB">' in content


def test_organisation_json_ld_says_what_it_is_member_of(client, record):
    blocks = structured_data(client, "public:organisation-detail", slug="meta")
    organisation = next(block for block in blocks if block["@type"] == "Organization")
    assert organisation["@context"] == "https://schema.org"
    assert organisation["name"] == "Meta"
    assert organisation["legalName"] == "Meta Platforms"
    # The article also puts Meta in the Frontier Model Forum: corrected, so not said here.
    assert [coalition["name"] for coalition in organisation["memberOf"]] == ["AI Alliance"]


def test_absentee_json_ld_is_member_of_nothing_it_was_left_out_of(client, record):
    blocks = structured_data(client, "public:organisation-detail", slug="anthropic")
    organisation = next(block for block in blocks if block["@type"] == "Organization")
    assert [c["name"] for c in organisation["memberOf"]] == ["Frontier Model Forum"]


def test_person_json_ld_has_each_role(client, record):
    blocks = structured_data(client, "public:person-detail", slug="dario-gil")
    person = next(block for block in blocks if block["@type"] == "Person")
    assert person["name"] == "Darío Gil"
    assert "vice-président principal" in person["jobTitle"]
    roles = {(role["roleName"], role["worksFor"]["name"]) for role in person["worksFor"]}
    assert ("directeur", "IBM Research") in roles


def test_quotation_json_ld_names_its_speaker_and_source_paragraph(client, record):
    blocks = structured_data(client, "public:person-detail", slug="dario-gil")
    quotation = next(block for block in blocks if block["@type"] == "Quotation")
    assert quotation["text"].startswith("« Il s’agit d’une approche")
    assert quotation["creator"]["name"] == "Darío Gil"
    # The passage itself, in paragraph 5.
    assert any(quotation["url"].endswith(link) for link in passage_links(ARTICLE, 5))
    assert quotation["isPartOf"]["headline"].startswith("Meta et IBM créent")


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("public:home", {}),
        ("public:coalition-detail", {"slug": "ai-alliance"}),
        ("public:position-list", {}),
        ("public:article-detail", {"slug": ARTICLE}),
    ],
)
def test_json_ld_parses_and_cannot_close_its_script(client, record, name, kwargs):
    blocks = structured_data(client, name, **kwargs)
    assert blocks
    assert all(block["@context"] == "https://schema.org" for block in blocks)


def test_json_ld_escapes_markup_in_the_record(client, record):
    Organisation.objects.filter(slug="meta").update(full_name="</script><script>alert(1)</script>")
    content = client.get(address("public:organisation-detail", slug="meta")).content.decode()
    assert "</script><script>alert(1)" not in content
    blocks = structured_data(client, "public:organisation-detail", slug="meta")
    assert blocks[0]["legalName"] == "</script><script>alert(1)</script>"


def test_json_ld_carries_the_csp_nonce_when_there_is_one():
    template = Template("{% load public %}{% json_ld data %}")
    html = template.render(Context({"data": {"a": 1}, "csp_nonce": "abc123"}))
    assert html == '<script type="application/ld+json" nonce="abc123">{"a": 1}</script>'


def test_sitemap_x_default_names_the_default_language_address_as_the_pages_do(client, record):
    root = ET.fromstring(client.get(reverse("sitemap")).content)
    checked = 0
    for url in root.iter(f"{SITEMAP}url"):
        links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        assert links["x-default"] == links["fr"]
        checked += 1
    assert checked > 10
    page = client.get(address("public:organisation-list")).content.decode()
    assert 'hreflang="x-default" href="http://testserver/fr/organisations/"' in page


def test_feeds_name_their_author_and_give_absolute_entry_ids(client, record):
    for name in ("public:article-feed", "public:membership-feed"):
        root = ET.fromstring(client.get(address(name)).content)
        assert root.find(f"{ATOM}author/{ATOM}name").text
        for entry in root.findall(f"{ATOM}entry"):
            entry_id = entry.findtext(f"{ATOM}id")
            assert entry_id.startswith(("http://", "https://", "tag:")), entry_id
            assert "?version=" not in entry_id


def test_feeds_send_editors_text_as_text_never_as_html(client, record):
    membership = Membership.objects.get(slug="intel-ai-alliance")
    membership.status = "disputed"
    membership.correction = '<img src=x onerror="alert(1)"> <b>not bold</b>'
    membership.correction_source = "https://example.org/source"
    membership.correction_source_title = "<i>Example</i>"
    membership.save()
    root = ET.fromstring(client.get(address("public:membership-feed")).content)
    summaries = [entry.find(f"{ATOM}summary") for entry in root.findall(f"{ATOM}entry")]
    assert {summary.get("type") for summary in summaries} == {"text"}
    assert any("<b>not bold</b>" in summary.text for summary in summaries)

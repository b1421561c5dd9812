"""Each public page through the test client, against the real record."""

from html.parser import HTMLParser

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from alliance.models import FactStatus, Membership, Role
from tests.conftest import first_link

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"


class Outline(HTMLParser):
    """The parts of a page the tests look at: headings, landmarks, ids, links."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.tags = []
        self.ids = set()
        self.links = []
        self.inline_styles = 0
        self.scripts = []
        self.external_scripts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.h1 += tag == "h1"
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if "style" in attrs:
            self.inline_styles += 1
        if tag == "script" and "src" not in attrs:
            self.scripts.append(attrs.get("type"))
        if tag == "script" and "src" in attrs:
            self.external_scripts.append(attrs["src"])


def outline(response):
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


def url(name, language="fr", **kwargs):
    # A request leaves its language active in the thread: say which one each address is in.
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def get(client, name, query="", **kwargs):
    response = client.get(url(name, **kwargs) + query)
    assert response.status_code == 200, response.content[:2000]
    return response


PAGES = [
    ("public:home", {}),
    ("public:search", {}),
    ("public:coalition-list", {}),
    ("public:coalition-detail", {"slug": "ai-alliance"}),
    ("public:organisation-list", {}),
    ("public:organisation-detail", {"slug": "ibm"}),
    ("public:person-list", {}),
    ("public:person-detail", {"slug": "dario-gil"}),
    ("public:position-list", {}),
    ("public:article-list", {}),
    ("public:article-detail", {"slug": ARTICLE}),
    ("public:aisystem-list", {}),
    ("public:aisystem-detail", {"slug": "watsonx"}),
    ("public:about", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_page_has_one_h1_landmarks_skip_link_and_no_inline_script_or_style(
    client, record, name, kwargs
):
    page = outline(get(client, name, **kwargs))
    assert page.h1 == 1
    assert {"header", "nav", "main", "footer"} <= set(page.tags)
    assert "#main" in page.links
    assert "main" in page.ids
    assert page.inline_styles == 0
    assert set(page.scripts) <= {"application/ld+json"}
    assert all(src.startswith("/static/") for src in page.external_scripts)


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_page_links_to_itself_in_the_other_language(client, record, name, kwargs):
    content = get(client, name, **kwargs).content.decode()
    english = url(name, "en", **kwargs)
    assert english.startswith("/en/")
    assert f'href="{english}" hreflang="en" lang="en"' in content


def test_home_shows_founders_count_against_declared_and_absentees(client, record):
    content = get(client, "public:home").content.decode()
    for founder in ("Meta", "IBM"):
        assert f">{founder}</a>" in content
    assert "<strong>6</strong>" in content  # founders and key contributors on record
    assert "plus de 50" in content  # what the article declares
    for absentee in ("Stanford", "MIT", "Anthropic", "Cohere", "Adept"):
        assert f">{absentee}</a>" in content
    assert first_link(content, ARTICLE, 11) >= 0  # the absentees' source


def test_home_chart_is_an_svg_of_links_with_title_description_and_text_version(client, record):
    content = get(client, "public:home").content.decode()
    start = content.index("<svg", content.index('class="chart story"'))
    svg = content[start : content.index("</svg>", start)]
    assert "<title" in svg
    assert "<desc" in svg
    assert 'aria-labelledby="story-title story-desc"' in svg
    assert 'class="story-frame"' in svg  # the coalition, drawn as a frame
    assert 'class="chart-link chart-link-criticises"' in svg
    assert 'href="/fr/organisations/openai/"' in svg
    assert 'href="/fr/people/sriram-raghavan/"' in svg
    assert 'href="/fr/organisations/center-for-humane-technology/"' in svg
    # The phone's layout and the text version name the same holders.
    narrow = content[content.index('class="chart-svg story-narrow"') :]
    assert 'href="/fr/organisations/openai/"' in narrow[: narrow.index("</svg>")]
    after = content[content.index("</figure>", start) :]
    assert "Center for Humane Technology" in after
    assert "OpenAI" in after


def test_coalition_page_lists_members_by_role_absentees_and_overlap(client, record):
    content = get(client, "public:coalition-detail", slug="ai-alliance").content.decode()
    assert 'id="meta-ai-alliance"' in content
    assert 'id="stanford-ai-alliance"' in content
    assert "Intel" in content
    assert "National Science Foundation" in content
    overlap = content[content.index('id="overlaps-heading"') :]
    assert "Frontier Model Forum" in overlap
    assert ">Anthropic</a>" in overlap  # absent here, a member there
    # The article puts Meta in both; the Forum's claim is corrected, so no overlap is made.
    assert ">Meta</a>" not in overlap


def test_absent_organisation_is_not_listed_as_member(client, record):
    content = get(client, "public:coalition-detail", slug="ai-alliance").content.decode()
    members = content[content.index('id="role-founder"') : content.index('id="absentees-heading"')]
    assert "Stanford" not in members
    assert "Anthropic" not in members


def test_organisation_page_shows_memberships_people_systems_positions_and_articles(client, record):
    content = get(client, "public:organisation-detail", slug="ibm").content.decode()
    assert "/fr/coalitions/ai-alliance/" in content
    assert "Darío Gil" in content
    assert "Sriram Raghavan" in content
    assert "vice-président principal" in content
    assert "Watsonx" in content
    assert "Watson" in content
    assert 'id="ibm-open-source-ai"' in content
    assert f"/fr/articles/{ARTICLE}/" in content


def test_coalition_address_under_organisations_redirects_to_the_coalition_page(client, record):
    response = client.get(url("public:organisation-detail", slug="ai-alliance"))
    assert response.status_code == 301
    assert response["Location"] == url("public:coalition-detail", slug="ai-alliance")


def test_news_outlet_page_shows_the_quote_it_reported(client, record):
    content = get(client, "public:organisation-detail", slug="wall-street-journal").content.decode()
    assert "Il s’agit d’une approche beaucoup plus distribuée" in content
    assert first_link(content, ARTICLE, 5) >= 0


def test_person_page_shows_roles_and_quote_linked_to_its_paragraph(client, record):
    content = get(client, "public:person-detail", slug="dario-gil").content.decode()
    assert "vice-président principal" in content
    assert "IBM Research" in content
    assert "<blockquote" in content
    assert first_link(content, ARTICLE, 5) >= 0
    assert "Wall Street Journal" in content


def test_position_list_groups_by_leaning_and_links_quotes_to_paragraphs(client, record):
    content = get(client, "public:position-list").content.decode()
    assert content.index("leaning-open") < content.index("leaning-cautious")
    assert content.index("leaning-cautious") < content.index(
        "leaning-closed", content.index("<main")
    )
    assert 'id="dario-gil-open-source-ai"' in content
    assert first_link(content, ARTICLE, 5) >= 0


def test_position_list_filters_by_leaning(client, record):
    content = get(client, "public:position-list", "?leaning=closed").content.decode()
    assert 'id="openai-open-source-ai"' in content
    assert 'id="meta-open-source-ai"' not in content


def test_topic_link_filters_positions(client, record):
    content = get(client, "public:position-list", "?topic=open-source-ai").content.decode()
    assert "9 positions" in content or "9 prises de position" in content


def test_article_page_numbers_paragraphs_and_marks_passages_linking_to_facts(client, record):
    response = get(client, "public:article-detail", slug=ARTICLE)
    page = outline(response)
    assert {f"p{number}" for number in range(1, 14)} <= page.ids
    content = response.content.decode()
    assert '">Meta Platforms et International Business Machines (IBM) ont' in content
    assert '<article class="source-article" lang="fr">' in content
    # The passage's note says which facts it supports, each a link to where it is shown.
    assert 'href="/fr/coalitions/ai-alliance/#meta-ai-alliance"' in content
    assert 'href="/fr/people/dario-gil/#dario-gil-ibm-vice-president-principal"' in content
    assert 'href="/fr/positions/#center-for-humane-technology-open-source-ai"' in content
    assert 'href="/fr/coalitions/ai-alliance/#declared-count"' in content
    # Sections are headings; the title is the only h1.
    assert ">Atténuer les risques</h2>" in content


def test_article_page_in_english_keeps_the_article_text_french(client, record):
    content = client.get(url("public:article-detail", "en", slug=ARTICLE)).content.decode()
    assert '<html lang="en">' in content
    assert '<article class="source-article" lang="fr">' in content
    assert "December 2023" in content


def test_article_date_is_formatted_per_language(client, record):
    content = get(client, "public:article-list").content.decode()
    assert "décembre 2023" in content


def test_disputed_fact_shows_its_correction_beside_the_claim(client, record):
    Membership.objects.filter(slug="mit-ai-alliance").update(
        status=FactStatus.DISPUTED,
        correction="MIT a rejoint l’alliance plus tard.",
    )
    Role.objects.filter(slug="dario-gil-ibm-vice-president-principal").update(
        status=FactStatus.CORRECTED,
        correction="Son titre exact est « Senior Vice President ».",
        correction_source="https://example.org/correction",
        correction_source_title="IBM",
    )
    coalition = get(client, "public:coalition-detail", slug="ai-alliance").content.decode()
    item = coalition[coalition.index('id="mit-ai-alliance"') :]
    item = item[: item.index("</li>")]
    assert "MIT" in item
    assert "MIT a rejoint l’alliance plus tard." in item
    person = get(client, "public:person-detail", slug="dario-gil").content.decode()
    item = person[person.index('id="dario-gil-ibm-vice-president-principal"') :]
    item = item[: item.index("</li>")]
    assert "vice-président principal" in item  # the original claim stays
    assert "Senior Vice President" in item
    assert "https://example.org/correction" in item


def test_organisation_list_filters_by_kind_coalition_and_leaning(client, record):
    content = get(client, "public:organisation-list", "?kind=academic").content.decode()
    assert "Stanford" in content
    assert "Intel" not in content
    content = get(client, "public:organisation-list", "?coalition=frontier-model-forum").content
    assert b"Microsoft" in content
    assert b"Oracle" not in content
    content = get(client, "public:organisation-list", "?leaning=closed").content.decode()
    assert "OpenAI" in content
    assert "Cohere" in content
    assert ">Meta<" not in content


def test_organisation_list_search_ignores_accents_and_case(client, record):
    content = get(client, "public:organisation-list", "?q=UNIVERSITE").content.decode()
    assert "Université de Cornell" in content


def test_unknown_page_is_a_helpful_404(client, record):
    response = client.get(url("public:organisation-detail", slug="nobody"))
    assert response.status_code == 404
    content = response.content.decode()
    assert outline(response).h1 == 1
    assert url("public:search") in content
    assert 'rel="stylesheet"' in content


def test_server_error_page_renders_in_the_site_look_without_a_request():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert 'rel="stylesheet"' in content
    assert "<h1>" in content
    assert 'id="main"' in content


def test_ai_systems_list_names_each_system_with_its_owner_and_own_page(client, record):
    content = get(client, "public:aisystem-list").content.decode()
    for slug, name in (("chatgpt", "ChatGPT"), ("watsonx", "Watsonx"), ("llama-2", "Llama 2")):
        assert f'<a href="/fr/ai-systems/{slug}/">{name}</a>' in content
    assert '<a href="/fr/organisations/openai/">OpenAI</a>' in content


def test_ai_system_page_shows_owner_description_source_and_siblings(client, record):
    content = get(client, "public:aisystem-detail", slug="watsonx").content.decode()
    assert "<h1>Watsonx</h1>" in content
    assert '<a href="/fr/organisations/ibm/">IBM</a>' in content
    assert "Nouvelle plateforme" in content
    assert f"/fr/articles/{ARTICLE}/#" in content
    assert '<a href="/fr/ai-systems/watson/">Watson</a>' in content


def test_unknown_ai_system_is_404(client, record):
    assert client.get(url("public:aisystem-detail", slug="nope")).status_code == 404


def test_ai_systems_list_filters_by_name(client, record):
    content = get(client, "public:aisystem-list", "?q=watson").content.decode()
    assert "/fr/ai-systems/watson/" in content
    assert "/fr/ai-systems/chatgpt/" not in content


def test_organisation_page_and_search_link_to_the_ai_system_page(client, record):
    organisation = get(client, "public:organisation-detail", slug="ibm").content.decode()
    assert 'href="/fr/ai-systems/watsonx/"' in organisation
    found = get(client, "public:search", "?q=watsonx").content.decode()
    assert 'href="/fr/ai-systems/watsonx/"' in found


def listed_names(content, prefix):
    """The names a list links to, in page order, for links under `prefix`."""
    import re

    return re.findall(rf'<a href="{prefix}[^"]+/">([^<]+)</a>', content)


def test_organisations_are_listed_accents_and_capitals_aside(client, record):
    from alliance.search import fold

    content = get(client, "public:organisation-list").content.decode()
    names = listed_names(content, "/fr/organisations/")
    assert names == sorted(names, key=fold)
    assert names != sorted(names)  # plain code-point order would differ


def test_english_list_sorts_by_the_english_name(client, record):
    import re

    from alliance.models import Organisation
    from alliance.search import fold

    content = client.get(url("public:organisation-list", "en")).content.decode()
    slugs = re.findall(r'<a href="/en/organisations/([^"]+)/">', content)
    english = dict(Organisation.objects.values_list("slug", "name_en"))
    names = [fold(english[slug]) for slug in slugs]
    assert names == sorted(names)
    # Cornell University sits among the C, not among the U of its French name.
    assert slugs.index("cornell") < slugs.index("google")


def test_people_are_listed_accents_and_capitals_aside(client, record):
    from alliance.models import Person
    from alliance.search import fold

    Person.objects.create(name="élise Martin", slug="elise-martin")
    Person.objects.create(name="Zoé Durand", slug="zoe-durand")
    names = listed_names(get(client, "public:person-list").content.decode(), "/fr/people/")
    assert names == sorted(names, key=fold)
    assert names.index("élise Martin") < names.index("Zoé Durand")


def test_adept_comes_before_ai_alliance_in_a_coalition_sort(record):
    from alliance.models import Organisation

    with translation.override("fr"):
        names = list(Organisation.objects.in_reading_order().values_list("name", flat=True))
    assert names.index("Adept") < names.index("AI Alliance")


def test_every_passage_has_its_own_anchor_and_note_on_the_article_page(client, record):
    from alliance.models import Citation

    page = outline(get(client, "public:article-detail", slug=ARTICLE))
    for slug in Citation.objects.filter(article__slug=ARTICLE).values_list("slug", flat=True):
        assert slug in page.ids
        assert f"note-{slug}" in page.ids
        assert f"#note-{slug}" in page.links  # the note marker after the passage
        assert f"#{slug}" in page.links  # the note back to its passage


def test_a_fact_links_to_its_passage_not_only_its_paragraph(client, record):
    from alliance.models import Role

    role = Role.objects.select_related("citation").get(
        slug="dario-gil-ibm-vice-president-principal"
    )
    content = get(client, "public:person-detail", slug="dario-gil").content.decode()
    assert f'href="/fr/articles/{ARTICLE}/#{role.citation.slug}"' in content


def test_article_notes_fold_under_their_paragraph(client, record):
    content = get(client, "public:article-detail", slug=ARTICLE).content.decode()
    assert content.count('<details class="notes-fold" open') >= 10
    assert "<summary>" in content


def test_coalition_page_opens_with_a_summary_box(client, record):
    content = get(client, "public:coalition-detail", slug="ai-alliance").content.decode()
    box = content[content.index('class="summary-box"') : content.index("</aside>")]
    assert "décembre 2023" in box  # when
    assert '<a href="/fr/organisations/meta/">Meta</a>' in box  # founders
    assert '<a href="/fr/organisations/ibm/">IBM</a>' in box
    assert "nommés ici, sur plus de 50 déclarés" in box  # N named of 50+
    assert content.index('class="summary-box"') < content.index('id="role-founder"')


def test_absentees_are_listed_under_the_passage_that_names_them_once(client, record):
    from alliance.models import Membership

    content = get(client, "public:coalition-detail", slug="ai-alliance").content.decode()
    absent = content[content.index('id="absentees-heading"') :]
    absent = absent[: absent.index("</section>")]
    passage = Membership.objects.get(slug="adept-ai-alliance").citation.passage
    assert absent.count(f">{passage}</q>") == 1
    assert "L’article dit\u00a0:" in absent
    for slug in ("stanford", "mit", "anthropic", "cohere", "adept"):
        assert f'id="{slug}-ai-alliance"' in absent


def test_positions_are_grouped_by_leaning_without_repeating_the_badge(client, record):
    content = get(client, "public:organisation-detail", slug="meta").content.decode()
    positions = content[content.index('id="positions-heading"') :]
    positions = positions[: positions.index("<h2", 10)]
    assert 'id="positions-open"' in positions
    # One badge per leaning group, in its heading; none on the cards.
    assert positions.count('class="leaning leaning-open"') == 1


def test_a_direct_quote_is_told_apart_from_what_the_article_says(client, record):
    content = get(client, "public:position-list").content.decode()
    assert "Darío Gil a dit\u00a0:" in content
    assert "L’article dit\u00a0:" in content


def test_about_page_explains_leanings_paragraph_marks_corrections_and_counts(client, record):
    from alliance.models import Article

    content = get(client, "public:about").content.decode()
    for leaning in ("open", "cautious", "closed"):
        assert f'class="leaning leaning-{leaning}"' in content
    assert "¶5" in content
    assert 'id="corrections-heading"' in content
    count = Article.objects.public().count()
    assert f"Le dossier repose sur {count} article" in content


def test_every_page_links_to_the_about_page_from_its_footer(client, record):
    content = get(client, "public:home").content.decode()
    footer = content[content.index('<footer class="site-footer">') :]
    assert f'href="{url("public:about")}"' in footer


def test_french_pages_keep_no_break_spaces_inside_guillemets_and_before_punctuation(client, record):
    content = get(client, "public:article-detail", slug=ARTICLE).content.decode()
    body = content[content.index("<main") :]
    assert "«\u00a0d’innovation et de science ouvertes\u00a0»" in body
    for mark in ("« ", " »", " ?", " !", " ;", " :"):
        assert mark not in body.replace("\u00a0", "~"), mark


def test_english_pages_are_left_as_typed(client, record):
    content = client.get(url("public:article-detail", "en", slug=ARTICLE)).content.decode()
    assert "« d’innovation et de science ouvertes »" in content


def test_a_404_links_to_the_other_language(client, record):
    response = client.get("/fr/nowhere-at-all/")
    assert response.status_code == 404
    content = response.content.decode()
    assert 'href="/en/" hreflang="en" lang="en"' in content
    assert content.count('role="search"') == 1
    missing = client.get(url("public:organisation-detail", slug="nobody")).content.decode()
    assert 'href="/en/organisations/nobody/" hreflang="en"' in missing


def test_pages_carry_an_open_graph_image_that_is_served(client, record):
    import re

    content = get(client, "public:home").content.decode()
    (image,) = re.findall(r'<meta property="og:image" content="([^"]+)">', content)
    assert image.startswith("http://testserver/static/alliance/og-image")
    assert '<meta property="og:image:width" content="1200">' in content


def test_home_names_each_place_through_one_partial(client, record):
    from pathlib import Path

    from django.conf import settings

    template = (Path(settings.BASE_DIR) / "templates/public/home.html").read_text()
    assert template.count("{% partialdef place %}") == 1
    assert template.count("{% partial place %}") == 4
    content = get(client, "public:home").content.decode()
    for slug in ("meta-ai-alliance", "ibm-ai-alliance", "adept-ai-alliance"):
        assert f'id="{slug}"' in content


def test_a_passage_said_of_several_holders_is_shown_once_with_all_of_them(client, record):
    from alliance.models import Position

    shared = Position.objects.select_related("citation").filter(slug__in=SHARED_PASSAGE)
    (passage,) = {position.citation.passage for position in shared}
    content = get(client, "public:position-list").content.decode()
    main = content[content.index("<main") :]
    assert main.count(f">{passage}</q>") == 1
    card = main[main.index('class="position shared-passage"') :]
    card = card[: card.index("</article>")]
    for slug in SHARED_PASSAGE:
        holder = slug.removesuffix("-open-source-ai")
        assert f'id="{slug}" href="/fr/organisations/{holder}/"' in card
    # The count still counts positions, as the picture does.
    closed = main[main.index('id="topic-open-source-ai-closed"') :]
    assert "(3)" in closed[: closed.index("</h3>")]


SHARED_PASSAGE = ("anthropic-open-source-ai", "cohere-open-source-ai", "openai-open-source-ai")


def test_a_direct_quote_is_never_merged_with_another_holder(client, record):
    content = get(client, "public:position-list").content.decode()
    card = content[content.index('id="dario-gil-open-source-ai"') :]
    assert card.index("a dit\u00a0:") < card.index("</article>")
    assert "shared-passage" not in card[: card.index("</article>")]


def test_coalition_page_draws_its_members_where_they_stand(client, record):
    content = get(client, "public:coalition-detail", slug="ai-alliance").content.decode()
    start = content.index('class="chart-svg story-wide"')
    svg = content[start : content.index("</svg>", start)]
    # Founders, absentees and who the sources set against them, each a link.
    for slug in ("meta", "ibm", "anthropic", "openai"):
        assert f'href="/fr/organisations/{slug}/"' in svg
    assert 'href="/fr/people/yann-lecun/"' in svg
    assert 'class="chart-link chart-link-criticises"' in svg
    # In words: OpenAI, outside the Alliance, is drawn where it stands (closed).
    words = content[content.index('id="chart-text-heading"') :]
    outside = words[words.index("En dehors") : words.index("</dd>", words.index("En dehors"))]
    assert "leaning-closed" in outside
    assert ">OpenAI</a>" in outside
    assert content.index('id="debate-heading"') < content.index('id="role-founder"')


def test_a_person_with_two_titles_is_named_once_on_the_organisation_page(client, record):
    role = Role.objects.get(slug="dario-gil-ibm-vice-president-principal")
    Role.objects.create(
        person=role.person,
        organisation=role.organisation,
        title="directeur de la recherche",
        citation=role.citation,
    )
    content = get(client, "public:organisation-detail", slug="ibm").content.decode()
    people = content[content.index('id="people-heading"') :]
    people = people[: people.index("</section>")]
    assert people.count(">Darío Gil</a>") == 1
    assert "vice-président principal" in people
    assert "directeur de la recherche" in people
    assert f'id="{role.slug}"' in people

"""The public pages of a record that lives: periods, the day a page shows, every source,
and corrections that change what readers see."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.models import FactStatus, Membership, Position
from tests import living
from tests.conftest import first_link

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def rows(record):
    return living.build()


def url(name, language="fr", query="", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None) + query


def page(client, name, language="fr", query="", status=200, **kwargs):
    response = client.get(url(name, language, query, **kwargs))
    assert response.status_code == status, response.content[:2000]
    return response.content.decode()


def text(html):
    """The words of a piece of page, tags dropped, spaces folded (no-break ones too)."""
    words = " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u202f", " ").split())
    return re.sub(r" ([.,)])", r"\1", words)


def item(content, anchor):
    """What the list item whose id is `anchor` holds."""
    start = content.index(">", content.index(f'<li id="{anchor}"')) + 1
    return content[start : content.index("</li>", start)]


def section(content, heading_id):
    start = content.index(f'id="{heading_id}"')
    return content[start : content.index("</section>", start)]


def members_on_record(content):
    count = content[content.index('id="declared-count"') :]
    return int(re.search(r"<strong>(\d+)</strong>", count)[1])


# Periods, in words ---------------------------------------------------------------------


def test_a_member_that_left_and_rejoined_shows_both_periods(client, rows):
    content = page(client, "public:coalition-detail", slug="ai-alliance")
    members = section(content, "role-member")
    assert "Oracle" in text(item(members, "oracle-ai-alliance-2024"))
    assert "depuis septembre 2024" in text(item(content, "oracle-ai-alliance-2024"))
    former = text(item(section(content, "former-heading"), "oracle-ai-alliance"))
    assert "ancien membre (contributeur clé)" in former
    assert "de décembre 2023 à mars 2024" in former
    assert members_on_record(content) == 7


def test_a_role_change_keeps_each_period_and_counts_once(client, rows):
    content = page(client, "public:coalition-detail", slug="ai-alliance")
    key = text(item(section(content, "role-key_contributor"), "hugging-face-ai-alliance"))
    assert "Hugging Face, depuis juin 2024" in key
    former = item(section(content, "former-heading"), "hugging-face-ai-alliance-member")
    assert "ancien membre (membre)" in text(former)
    # French elides "de" before a vowel.
    assert (
        'd’<time datetime="2024-04">avril 2024</time> à <time datetime="2024-06">juin 2024</time>'
        in former
    )


def test_periods_say_no_more_than_the_source_in_french_and_in_english(client, rows):
    french = page(client, "public:organisation-detail", slug="oracle")
    english = page(client, "public:organisation-detail", "en", slug="oracle")
    assert "de décembre 2023 à mars 2024" in text(french)
    assert "from December 2023 to March 2024" in text(english)
    assert "since September 2024" in text(english)
    # A month is a month: no day the source did not give, in words or in the markup.
    assert '<time datetime="2023-12">décembre 2023</time>' in french
    assert '<time datetime="2024-03">March 2024</time>' in english
    for content in (french, english):
        assert "2023-12-01" not in content
        assert not re.search(r"\b1(er)? (décembre|December)", content)


def test_the_passage_that_dates_an_end_is_linked_beside_the_date(client, rows):
    content = page(client, "public:organisation-detail", slug="oracle")
    former = item(content, "oracle-ai-alliance")
    end = former[former.index("mars 2024") :]
    assert first_link(end, living.LATER, 1) >= 0


def test_a_title_given_up_shows_as_a_former_title(client, rows):
    content = page(client, "public:person-detail", "en", slug="dario-gil")
    title = text(item(content, "dario-gil-ibm-vice-president-principal"))
    assert title.startswith("Former title:")
    assert "until August 2024" in title
    assert "jusqu’en août 2024" in text(
        item(page(client, "public:person-detail", slug="dario-gil"), rows["gil"].slug)
    )


def test_an_article_date_is_as_precise_as_its_source(client, rows):
    french = page(client, "public:article-list")
    english = page(client, "public:article-list", "en")
    assert '<time datetime="2024-12">décembre 2024</time>' in french
    assert '<time datetime="2023-07">July 2023</time>' in english
    structured = page(client, "public:article-detail", slug=living.ARTICLE)
    assert '"datePublished": "2023-12"' in structured


# The record on a day ----------------------------------------------------------------------


ORACLE = "oracle-ai-alliance"
ORACLE_AGAIN = "oracle-ai-alliance-2024"
HF_MEMBER = "hugging-face-ai-alliance-member"
HF_KEY = "hugging-face-ai-alliance"


@pytest.mark.parametrize(
    ("day", "count", "key_contributors", "members", "former"),
    [
        ("2023-11-30", 0, [], [], []),
        ("2024-01-15", 6, [ORACLE], [], []),
        ("2024-03-31", 5, [], [], [ORACLE]),
        ("2024-05-15", 6, [], [HF_MEMBER], [ORACLE]),
        ("2024-07-01", 6, [HF_KEY], [], [HF_MEMBER, ORACLE]),
        ("2024-10-01", 7, [HF_KEY], [ORACLE_AGAIN], [HF_MEMBER, ORACLE]),
    ],
)
def test_the_coalition_page_shows_who_was_a_member_on_the_day_asked(
    client, rows, day, count, key_contributors, members, former
):
    content = page(client, "public:coalition-detail", query=f"?as_of={day}", slug="ai-alliance")
    assert members_on_record(content) == count
    assert "tel qu’il était dans le monde le" in text(content)
    shown = {
        heading: set(re.findall(r'<li id="([^"]+)"', section(content, heading)))
        for heading in ("role-key_contributor", "role-member", "former-heading")
        if f'id="{heading}"' in content
    }
    scenario = {ORACLE, ORACLE_AGAIN, HF_MEMBER, HF_KEY}
    assert shown.get("role-key_contributor", set()) & scenario == set(key_contributors)
    assert shown.get("role-member", set()) & scenario == set(members)
    assert shown.get("former-heading", set()) == set(former)


@pytest.mark.parametrize(
    ("day", "current", "former"),
    [
        ("2023-06-30", [], []),
        ("2024-01-15", ["oracle-ai-alliance"], []),
        ("2024-06-30", [], ["oracle-ai-alliance"]),
        ("2025-01-01", ["oracle-ai-alliance-2024"], ["oracle-ai-alliance"]),
    ],
)
def test_an_organisation_page_before_during_and_after_its_periods(
    client, rows, day, current, former
):
    content = page(client, "public:organisation-detail", "en", f"?as_of={day}", slug="oracle")
    coalitions = section(content, "coalitions-heading")
    shown = re.findall(r'<li id="([^"]+)"', coalitions)
    assert shown == current + former
    for slug in former:
        assert text(item(coalitions, slug)).startswith("Former member")
    if not shown:
        assert "No coalition on record that day." in coalitions


@pytest.mark.parametrize(
    ("day", "held"),
    [("2024-08-15", False), ("2024-07-31", True), ("2030-01-01", False)],
)
def test_a_person_page_says_which_title_was_held_that_day(client, rows, day, held):
    content = page(client, "public:person-detail", "en", f"?as_of={day}", slug="dario-gil")
    title = text(item(content, "dario-gil-ibm-vice-president-principal"))
    assert title.startswith("Former title:") is not held


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("public:coalition-detail", {"slug": "ai-alliance"}),
        ("public:organisation-detail", {"slug": "ibm"}),
        ("public:person-detail", {"slug": "dario-gil"}),
    ],
)
@pytest.mark.parametrize("day", ["2024-13-01", "yesterday", "31/03/2024", "2024-02-30"])
def test_a_day_that_is_not_a_date_answers_400_naming_the_field(client, record, name, kwargs, day):
    content = page(client, name, query=f"?as_of={day}", status=400, **kwargs)
    notice = text(content[content.index('role="alert"') :])
    assert f"(as_of) : « {day} » n’est pas une date" in notice
    assert "AAAA-MM-JJ" in notice
    # The page still shows the record, as it stands today.
    assert "<h1>" in content


def test_the_organisation_list_filters_the_members_of_a_day(client, rows):
    content = page(
        client, "public:organisation-list", query="?coalition=ai-alliance&as_of=2024-03-31"
    )
    assert ">Oracle</a>" not in content
    assert ">Intel</a>" in content
    today = page(client, "public:organisation-list", query="?coalition=ai-alliance")
    assert ">Oracle</a>" in today
    assert ">Hugging Face</a>" in today
    bad = page(
        client,
        "public:organisation-list",
        query="?coalition=ai-alliance&as_of=soon",
        status=400,
    )
    assert "(as_of) : « soon » n’est pas une date" in text(bad)


# Membership over time ---------------------------------------------------------------------


def chart_rows(content):
    table = content[content.index('<table class="chart-table">') :]
    table = table[: table.index("</table>")]
    return [
        (text(month), int(count))
        for month, count in re.findall(r"<th scope=\"row\">(.*?)</th><td>(\d+)</td>", table)
    ]


def test_the_coalition_page_draws_its_members_by_month_with_a_table_of_changes(client, rows):
    content = page(client, "public:coalition-detail", slug="ai-alliance")
    start = content.index("<svg", content.index('class="chart membership-chart"'))
    svg = content[start : content.index("</svg>", start)]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    assert svg.count('class="chart-bar') >= 12
    assert chart_rows(content) == [
        ("décembre 2023", 6),
        ("mars 2024", 5),
        ("avril 2024", 6),
        ("septembre 2024", 7),
    ]
    # Each month links to the page as it stood on its last day: "when it was true".
    assert 'href="/fr/coalitions/ai-alliance/?as_of=2024-03-31"' in content
    # "When the record said so": the membership feed.
    assert f'href="{url("public:membership-feed")}"' in section(content, "over-time-heading")


def test_the_month_of_the_day_asked_is_highlighted(client, rows):
    content = page(client, "public:coalition-detail", query="?as_of=2024-03-15", slug="ai-alliance")
    assert content.count("chart-bar chart-bar-as-of") == 1


def test_undated_memberships_draw_no_chart_and_say_why(client, rows):
    content = page(client, "public:coalition-detail", "en", slug="frontier-model-forum")
    assert "membership-chart" not in content
    assert "No source dates these memberships" in content


# Sources ----------------------------------------------------------------------------------


def test_a_fact_lists_every_source_the_earliest_article_first(client, rows):
    content = page(client, "public:organisation-detail", slug="meta")
    llama = item(content, "llama-2")
    earlier = first_link(llama, living.EARLIER, 1)
    first_report = first_link(llama, living.ARTICLE, 4)
    assert 0 <= earlier < first_report
    assert "Meta publie Llama 2" in text(llama)
    intel = item(page(client, "public:coalition-detail", slug="ai-alliance"), "intel-ai-alliance")
    assert 0 <= first_link(intel, living.ARTICLE, 1) < first_link(intel, living.LATER, 3)


def test_an_article_page_says_where_it_comes_from_or_that_the_source_does_not(client, rows):
    seed = text(page(client, "public:article-detail", "en", slug=living.ARTICLE))
    assert "Outlet not stated in the source" in seed
    assert "Author not stated in the source" in seed
    later = page(client, "public:article-detail", "en", slug=living.LATER)
    assert 'href="/en/organisations/wall-street-journal/"' in later
    assert "Jeanne Martin" in later
    assert 'href="https://example.org/ai-alliance-un-an-apres"' in later
    assert '<time datetime="2024-12">December 2024</time>' in later


def test_an_article_page_lists_what_its_passages_date_and_confirm(client, rows):
    content = text(page(client, "public:article-detail", "en", slug=living.LATER))
    assert "dates the end: Oracle: key contributor, AI Alliance" in content
    assert "later source: Intel: key contributor, AI Alliance" in content
    assert "dates the end: Darío Gil, senior vice president (IBM)" in content


def test_the_site_says_how_many_articles_the_record_rests_on(client, rows):
    assert "Tout le registre repose sur 3 articles." in text(page(client, "public:home"))
    assert "The whole record rests on 3 articles." in text(
        page(client, "public:article-list", "en")
    )


# Corrections ------------------------------------------------------------------------------


def test_a_corrected_membership_counts_nowhere_but_stays_on_view_with_its_correction(client, rows):
    forum = Membership.objects.get(slug="meta-frontier-model-forum")
    Membership.objects.filter(slug="cornell-ai-alliance").update(status=FactStatus.AS_REPORTED)
    Membership.objects.create(
        slug="cornell-frontier-model-forum",
        member=Membership.objects.get(slug="cornell-ai-alliance").member,
        coalition=forum.coalition,
        role="member",
        citation=forum.citation,
    )
    before = page(client, "public:coalition-detail", slug="ai-alliance")
    assert "Université de Cornell" in text(section(before, "overlaps-heading"))
    living.correct_cornell(rows)

    content = page(client, "public:coalition-detail", slug="ai-alliance")
    # Gone from the count, the overlaps and the chart...
    assert members_on_record(content) == members_on_record(before) - 1
    assert "Cornell" not in text(section(content, "overlaps-heading"))
    assert chart_rows(content)[0] == ("décembre 2023", 5)
    assert "Cornell" not in text(section(content, "role-key_contributor"))
    # ...but on view, the claim and its passage with the correction and its source.
    corrected = item(section(content, "corrected-heading"), "cornell-ai-alliance")
    words = text(corrected)
    assert "Rapporté : Université de Cornell, contributeur clé" in words
    assert first_link(corrected, living.ARTICLE, 1) >= 0
    assert "Corrigé (non compté) : Cornell n’a jamais été un contributeur clé" in words
    assert "Source de la correction : L’Université Cornell n’a jamais été" in words
    assert first_link(corrected, living.LATER, 5) >= 0
    # Gone from the list filters and the home page's count, too.
    members = page(client, "public:organisation-list", query="?coalition=ai-alliance")
    assert "Cornell" not in members
    home = page(client, "public:home")
    assert f"<strong>{members_on_record(content)}</strong>" in home
    assert 'id="cornell-ai-alliance"' not in home


def test_the_article_error_is_shown_corrected_on_every_page_that_shows_it(client, rows):
    forum = page(client, "public:coalition-detail", "en", slug="frontier-model-forum")
    assert members_on_record(forum) == 3
    corrected = text(item(forum, "meta-frontier-model-forum"))
    assert "Reported: Meta, member" in corrected
    assert "Corrected (not counted)" in corrected
    assert "Source of the correction: Frontier Model Forum" in corrected
    assert 'href="https://www.frontiermodelforum.org/"' in forum
    meta = text(
        item(
            page(client, "public:organisation-detail", "en", slug="meta"),
            "meta-frontier-model-forum",
        )
    )
    assert meta.startswith("Reported as member: Frontier Model Forum")
    assert ">Meta<" not in page(
        client, "public:organisation-list", query="?coalition=frontier-model-forum"
    )


def test_a_corrected_stance_leaves_the_home_chart_and_the_leaning_filter(client, rows):
    Position.objects.filter(slug="openai-open-source-ai").update(
        status=FactStatus.RETRACTED,
        correction="La source de cette position a été retirée.",
        correction_source="https://example.org/retractation",
        correction_source_title="Rétractation",
    )
    home = page(client, "public:home")
    # OpenAI stays in the picture (LeCun criticises it), but no longer as closed.
    assert 'href="/fr/organisations/openai/" class="chart-mark chart-closed' not in home
    assert 'href="/fr/organisations/openai/" class="chart-mark chart-none' in home
    assert ">OpenAI<" not in page(client, "public:organisation-list", query="?leaning=closed")
    positions = page(client, "public:position-list")
    retracted = text(positions[positions.index('id="openai-open-source-ai"') :])
    assert "Source rétractée (non compté) : La source de cette position a été retirée." in retracted
    assert "Source de la correction : Rétractation" in retracted


def test_a_disputed_fact_still_counts_and_is_flagged_wherever_it_appears(client, rows):
    Membership.objects.filter(slug="intel-ai-alliance").update(
        status=FactStatus.DISPUTED, correction="Intel aurait rejoint plus tard."
    )
    Position.objects.filter(slug="ibm-open-source-ai").update(
        status=FactStatus.DISPUTED, correction="La citation est ambiguë."
    )
    coalition = page(client, "public:coalition-detail", slug="ai-alliance")
    assert members_on_record(coalition) == 7
    assert '<li id="intel-ai-alliance" class="is-disputed">' in coalition
    assert "Contesté : Intel aurait rejoint plus tard." in text(
        item(coalition, "intel-ai-alliance")
    )
    home = page(client, "public:home")
    assert '<li id="intel-ai-alliance" class="is-disputed">' in home
    assert "chart-mark chart-open chart-mark-disputed" in home
    assert 'IBM</a> <span class="status-flag">(contesté)</span>' in home
    listed = page(client, "public:organisation-list", query="?coalition=ai-alliance")
    assert "(contesté)" in listed


# The membership feed ----------------------------------------------------------------------


def test_the_membership_feed_says_each_membership_as_it_stands_today(client, rows):
    living.correct_cornell(rows)
    root = ET.fromstring(client.get(url("public:membership-feed", "en")).content)
    titles = {entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")}
    assert "Oracle: former member of AI Alliance (key contributor)" in titles
    assert "Oracle: member, AI Alliance" in titles
    assert (
        "Cornell University, AI Alliance: reported as key contributor, corrected, not counted"
        in titles
    )
    assert "Stanford: notably absent from AI Alliance" in titles


def test_drafts_stay_off_the_pages_and_the_feeds(client, rows):
    later = rows["later"]
    later.draft = True
    later.save()
    assert client.get(url("public:article-detail", slug=living.LATER)).status_code == 404
    coalition = page(client, "public:coalition-detail", slug="ai-alliance")
    assert 'id="oracle-ai-alliance-2024"' not in coalition
    # A published fact confirmed by a draft: the draft's passage is not shown.
    assert living.LATER not in item(coalition, "intel-ai-alliance")
    feed = client.get(url("public:membership-feed")).content.decode()
    assert "oracle-ai-alliance-2024" not in feed


def test_a_day_asked_is_left_out_of_search_engines_for_the_page_of_today(client, rows):
    today = page(client, "public:coalition-detail", slug="ai-alliance")
    before = page(client, "public:coalition-detail", query="?as_of=2023-11-30", slug="ai-alliance")
    assert members_on_record(before) == 0
    assert '<meta name="robots" content="noindex, follow">' in before
    assert 'name="robots"' not in today
    # Its canonical address is the page of today.
    assert '<link rel="canonical" href="http://testserver/fr/coalitions/ai-alliance/">' in before

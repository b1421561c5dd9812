"""An editor adds a new article and four memberships citing it, in a real browser,
counting what they do: clicks, and typing into a field (once per field)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alliance.models import Article, Coalition, Membership
from tests.admin.test_admin_browser import log_in
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = """# Four more join two coalitions

2024-05-02

OpenAI and Cohere joined the Frontier Model Forum in May, the forum said on Thursday.

Stanford and the MIT are now members of the AI Alliance, the alliance said on its site.

Yann LeCun, chief AI scientist at Meta, welcomed the news.

Hugging Face has not joined either coalition so far.

The two coalitions now overlap more than they did when they began.
"""
FORUM_PASSAGE = "OpenAI and Cohere joined the Frontier Model Forum"
ALLIANCE_PASSAGE = "Stanford and the MIT are now members of the AI Alliance"

# Selects `passage` inside a paragraph, across the marks of its mentions, as a mouse would.
SELECT = """([number, passage]) => {
  const paragraph = document.getElementById(`intake-p${number}`);
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, text.length]);
    text += walker.currentNode.data;
  }
  const start = text.indexOf(passage), end = start + passage.length;
  const at = (offset) => {
    const [node, from] = nodes.filter(([, from]) => from <= offset).pop();
    return [node, offset - from];
  };
  const range = document.createRange();
  range.setStart(...at(start));
  range.setEnd(...at(end));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


class Editor:
    """The page, and a count of what the editor does on it."""

    def __init__(self, page):
        self.page, self.actions = page, []

    def click(self, selector):
        self.actions.append(f"click {selector}")
        self.page.click(selector)

    def type_into(self, selector, text):
        self.actions.append(f"type into {selector}")
        self.page.fill(selector, text)

    def select_words(self, paragraph, passage):
        self.actions.append(f"select “{passage}”")
        # The toolbar listens from DOMContentLoaded on: a person cannot select sooner.
        self.page.wait_for_load_state()
        self.page.evaluate(SELECT, [paragraph, passage])
        expect(self.page.locator(".cite-toolbar")).to_be_visible()

    def go_to(self, url):
        self.actions.append(f"go to {url}")  # a bookmark, or the back button
        self.page.goto(url)


def test_an_article_and_four_memberships_citing_it_take_at_most_15_actions(
    record, editor, page, screenshot
):
    log_in(page, editor)  # not counted: the editor is at work already
    you = Editor(page)

    you.click(f"nav a[href='{reverse('admin:alliance_article_intake')}']")
    you.type_into("#id_text", ARTICLE)
    you.click("input[name=_review]")
    expect(page.locator(".intake-paragraph")).to_have_count(5)
    expect(page.locator("mark.mention-organisation").first).to_have_text("OpenAI")
    you.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(title="Four more join two coalitions")
    article_page = page.url

    you.select_words(1, FORUM_PASSAGE)
    screenshot("cite-by-selecting")
    # The picture in the README's "Editing" section.
    page.locator(".intake-review").screenshot(path=str(ARTIFACTS / "admin-intake-review.png"))
    you.click(".cite-toolbar button[data-kind=membership]")
    expect(page.locator("#memberships-group")).to_contain_text("Cohere")
    you.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    you.go_to(article_page)
    you.select_words(2, ALLIANCE_PASSAGE)
    you.click(".cite-toolbar button[data-kind=membership]")
    you.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    added = Membership.objects.filter(citation__article=article).select_related(
        "member", "coalition", "citation"
    )
    assert sorted((m.member.slug, m.coalition.slug, m.role) for m in added) == [
        ("cohere", "frontier-model-forum", "member"),
        ("mit", "ai-alliance", "member"),
        ("openai", "frontier-model-forum", "member"),
        ("stanford", "ai-alliance", "member"),
    ]
    assert {m.citation.passage for m in added} == {FORUM_PASSAGE, ALLIANCE_PASSAGE}
    assert all(m.draft for m in added)  # the article is a draft: they wait with it
    assert article.paragraphs.count() == 5
    # 11 today: 4 for the article, 3 for each passage, and one to go back to the article.
    assert len(you.actions) <= 15, you.actions
    forum = Coalition.objects.get(slug="frontier-model-forum")
    assert forum.memberships.filter(draft=True).count() == 2

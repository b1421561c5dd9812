"""The editor's day in a real browser: log in, search, add a member, conflicts, CSV."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alliance.models import Coalition, Membership, Person
from tests.admin.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPENAI_PASSAGE = "OpenAI et ses homologues comme Anthropic et Cohere"


def log_in(page, user):
    page.goto(reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(user.username)


def change_url(obj):
    return reverse(f"admin:alliance_{obj._meta.model_name}_change", args=[obj.pk])


def pick(page, select_id, text):
    """Choose `text` in an autocomplete (select2) field, typing it without accents."""
    page.click(f"#{select_id} + .select2")
    page.fill(".select2-search__field", text)
    page.click(".select2-results__option >> nth=0")


def fill_new_membership(page, index, passage):
    prefix = f"memberships-{index}"
    pick(page, f"id_{prefix}-member", "openai")
    page.select_option(f"#id_{prefix}-role", "member")
    page.fill(f"#id_{prefix}-passage", passage)


def test_editor_logs_in_and_finds_dario_gil_typing_without_accents(record, editor, page):
    log_in(page, editor)
    page.goto(reverse("admin:alliance_person_changelist"))
    page.fill("#searchbar", "dario")
    page.press("#searchbar", "Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Darío Gil")


def test_editor_adds_a_member_with_its_citation_in_one_form(record, editor, page, screenshot):
    forum = Coalition.objects.get(slug="frontier-model-forum")
    log_in(page, editor)
    page.goto(change_url(forum))

    fill_new_membership(page, forum.memberships.count(), OPENAI_PASSAGE)
    screenshot("filled")
    page.click("input[name=_continue]")

    expect(page.locator(".messagelist .success")).to_be_visible()
    membership = Membership.objects.get(member__slug="openai", coalition=forum)
    assert membership.citation.passage == OPENAI_PASSAGE
    assert membership.citation.paragraph.number == 3


def test_a_wrong_passage_is_shown_refused_and_nothing_is_saved(record, editor, page, screenshot):
    forum = Coalition.objects.get(slug="frontier-model-forum")
    log_in(page, editor)
    page.goto(change_url(forum))

    fill_new_membership(page, forum.memberships.count(), "OpenAI a rejoint le forum")
    page.click("input[name=_continue]")

    error = page.locator(".errorlist", has_text="word for word")
    expect(error).to_contain_text("Not found: “rejoint forum”")
    screenshot("refused")
    assert not Membership.objects.filter(member__slug="openai", coalition=forum).exists()


def test_two_editors_save_the_same_record_and_the_second_sees_a_conflict(
    record, editor, second_editor, page, chromium, live_server, screenshot
):
    person = Person.objects.get(slug="yann-lecun")
    other = chromium.new_context(base_url=live_server.url).new_page()
    try:
        log_in(page, editor)
        log_in(other, second_editor)
        page.goto(change_url(person))
        other.goto(change_url(person))

        page.fill("#id_name", "Yann Le Cun")
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist .success")).to_be_visible()

        other.fill("#id_name", "Yann A. LeCun")
        other.click("input[name=_continue]")
        expect(other.locator(".errornote, .errorlist.nonfield")).to_contain_text(
            ["Edit conflict: ada saved this person"]
        )
    finally:
        other.context.close()
    person.refresh_from_db()
    assert person.name == "Yann Le Cun"


def test_staff_without_the_group_sees_nothing_to_edit(record, staff, page):
    log_in(page, staff)
    expect(page.locator("#content-main")).not_to_contain_text("Alliance")
    # Through the page's own session, without rendering the error page in the tab.
    response = page.request.get(reverse("admin:alliance_membership_changelist"))
    assert response.status == 403

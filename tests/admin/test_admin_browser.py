"""The editor's day in a real browser: log in, search, add a member, conflicts, CSV."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alliance.models import Coalition, Membership, Organisation, Person
from tests.admin.conftest import PASSWORD, in_french
from tests.admin.helpers import NBSP, not_found, quoted

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
    """Choose `text` in an autocomplete (select2) field, typing it without accents.

    The list first shows every organisation and filters after a request, so the click
    waits for an option that matches: the first option may still be a stale one."""
    page.click(f"#{select_id} + .select2")
    page.fill(".select2-search__field", text)
    wanted = re.compile(re.escape(text), re.IGNORECASE)
    page.locator(".select2-results__option", has_text=wanted).first.click()
    expect(page.locator(f"#select2-{select_id}-container")).to_have_text(wanted)


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

    error = page.locator(".errorlist", has_text="mot pour mot")
    expect(error).to_contain_text(not_found("rejoint forum"))
    screenshot("refused")
    assert not Membership.objects.filter(member__slug="openai", coalition=forum).exists()


def test_two_editors_save_the_same_record_and_the_second_sees_a_conflict(
    record, editor, second_editor, page, chromium, live_server, screenshot
):
    person = Person.objects.get(slug="yann-lecun")
    other = in_french(chromium.new_context(base_url=live_server.url).new_page())
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
            [f"Conflit de modification{NBSP}: ada a enregistré cette fiche (personne{NBSP}:"]
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


def test_history_shows_the_diff_and_reverts_to_the_loaded_version(record, editor, page):
    person = Person.objects.get(slug="sriram-raghavan")
    log_in(page, editor)
    page.goto(change_url(person))
    page.fill("#id_name", "Sriram Raghavan (IBM)")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.click("a.historylink")
    expect(page.locator("#change-history")).to_contain_text(
        "Sriram Raghavan → Sriram Raghavan (IBM)"
    )
    expect(page.locator("#change-history")).to_contain_text("ada")
    page.click("#change-history tbody tr:last-child a")  # the version as loaded
    expect(page.locator("#id_name")).to_have_value("Sriram Raghavan")
    page.click("input[name=_save]")  # Revert

    expect(page.locator(".messagelist .success")).to_be_visible()
    person.refresh_from_db()
    assert (person.name, person.version) == ("Sriram Raghavan", 3)


def test_deleting_a_cited_organisation_lists_what_cites_it_and_offers_no_confirm(
    record, editor, page
):
    ibm = Organisation.objects.get(slug="ibm")
    log_in(page, editor)
    page.goto(reverse("admin:alliance_organisation_delete", args=[ibm.pk]))
    content = page.locator("#content")
    expect(content).to_contain_text("IBM — AI Alliance (fondateur)")
    expect(content).to_contain_text("Darío Gil, vice-président principal (IBM)")
    expect(content).to_contain_text("Watsonx")
    expect(page.locator("#content input[type=submit]")).to_have_count(0)
    assert Organisation.objects.filter(slug="ibm").exists()


def csv_file(text):
    return {"name": "members.csv", "mimeType": "text/csv", "buffer": text.encode()}


def upload(page, text):
    page.goto(reverse("admin:alliance_membership_import"))
    page.set_input_files("#id_import_file", csv_file(text))
    page.click("#content input[type=submit]")


def test_csv_import_reports_bad_rows_by_line_and_writes_nothing(record, editor, page, screenshot):
    article = "meta-et-ibm-creent-l-ai-alliance"
    text = (
        "member,coalition,role,started_on,article,passage\n"
        f"google,ai-alliance,member,,{article},OpenAI et ses homologues\n"
        f"nobody,ai-alliance,member,,{article},OpenAI et ses homologues\n"
        f"openai,ai-alliance,member,,{article},OpenAI a rejoint l’alliance\n"
    )
    before = Membership.objects.count()
    log_in(page, editor)
    upload(page, text)

    rows = page.locator("table.import-preview tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(
        f"Aucune organisation n’a l’identifiant d’URL {quoted('nobody')}."
    )
    expect(rows.nth(0).locator("td").first).to_have_text("3")  # line 3 of the file
    expect(rows.nth(1)).to_contain_text(not_found("rejoint"))
    expect(rows.nth(1).locator("td").first).to_have_text("4")
    expect(page.locator("input[name=confirm]")).to_have_count(0)
    screenshot("bad-rows")
    assert Membership.objects.count() == before


def test_csv_export_then_import_previews_every_row_unchanged(record, editor, page, screenshot):
    versions = sorted(Membership.objects.values_list("slug", "version"))
    log_in(page, editor)
    page.goto(reverse("admin:alliance_membership_export"))
    with page.expect_download() as download:
        page.click("#content input[type=submit]")
    exported = download.value.path().read_text()

    upload(page, exported)
    expect(page.locator("table.import-preview tbody tr.skip")).to_have_count(15)
    screenshot("round-trip-preview")
    page.click("input[name=confirm]")

    expect(page.locator(".messagelist")).to_be_visible()
    assert sorted(Membership.objects.values_list("slug", "version")) == versions


def test_select_all_on_the_export_page_unticks_then_ticks_every_column(record, editor, page):
    log_in(page, editor)
    page.goto(reverse("admin:alliance_membership_export"))
    columns = page.locator("input[type=checkbox][name^=membershipresource_]")
    expect(columns).to_have_count(12)
    page.uncheck("input.select-toggle")
    expect(page.locator("input[name^=membershipresource_]:checked")).to_have_count(0)
    page.check("input.select-toggle")
    expect(page.locator("input[name^=membershipresource_]:checked")).to_have_count(12)


def test_new_members_from_csv_are_written_only_after_confirming(record, editor, page):
    text = (
        "member,coalition,role,started_on,article,passage\n"
        "google,ai-alliance,member,2023-12-15,meta-et-ibm-creent-l-ai-alliance,"
        "OpenAI et ses homologues\n"
    )
    log_in(page, editor)
    upload(page, text)
    expect(page.locator("table.import-preview tbody tr.new")).to_have_count(1)
    assert not Membership.objects.filter(slug="google-ai-alliance").exists()

    page.click("input[name=confirm]")

    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Membership.objects.get(slug="google-ai-alliance").citation.paragraph.number == 3


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("staff", []),
        ("editor", ["Appartenances", "Coalitions"]),
        ("superuser", ["Appartenances", "Coalitions", "Utilisateurs", "Groupes"]),
    ],
)
def test_the_admin_index_shows_each_account_what_it_may_edit(
    record, staff, editor, superuser, page, who, sees
):
    user = {"staff": staff, "editor": editor, "superuser": superuser}[who]
    log_in(page, user)
    index = page.locator("#content-main")
    for label in sees:
        expect(index).to_contain_text(label)
    for label in {"Appartenances", "Utilisateurs", "Groupes"} - set(sees):
        expect(index).not_to_contain_text(label)


def test_anonymous_visitors_are_sent_to_the_login_page(record, page):
    page.goto(reverse("admin:alliance_membership_changelist"))
    expect(page.locator("#id_username")).to_be_visible()


def test_an_organisation_is_created_on_the_spot_from_the_coalition_page(record, editor, page):
    alliance = Coalition.objects.get(slug="ai-alliance")
    index = alliance.memberships.count()
    log_in(page, editor)
    page.goto(change_url(alliance))

    with page.expect_popup() as popup_info:
        page.click(f"#add_id_memberships-{index}-member")
    popup = popup_info.value
    popup.locator("#id_name").press_sequentially("Hugging Face")
    expect(popup.locator("#id_slug")).to_have_value("hugging-face")  # prefilled
    popup.select_option("#id_kind", "company")
    # Listening before the click: under load the popup may close before a later wait.
    with popup.expect_event("close"):
        popup.click("input[name=_save]")

    expect(page.locator(f"#id_memberships-{index}-member")).to_have_value(
        str(Organisation.objects.get(slug="hugging-face").pk)
    )
    page.select_option(f"#id_memberships-{index}-role", "member")
    page.fill(
        f"#id_memberships-{index}-passage",
        "d’autres organisations se joignent à l’avenir",
    )
    page.click("input[name=_continue]")

    expect(page.locator(".messagelist .success")).to_be_visible()
    joined = Membership.objects.get(member__slug="hugging-face", coalition=alliance)
    assert joined.citation.paragraph.number == 12

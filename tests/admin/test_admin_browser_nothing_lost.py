"""Nothing lost, path by path, in a real browser (Debian's Chromium): shared new
citations, coalition history, delete and restore, loading twice, two editors on one
coalition, ISO dates, the CSV paths and the Activity page."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from alliance.models import Citation, Coalition, Membership, Organisation
from tests.admin.conftest import in_french
from tests.admin.test_admin_browser import change_url, log_in, pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSAGE = "d’autres organisations se joignent à l’avenir"
ARTICLE = "meta-et-ibm-creent-l-ai-alliance"


def create_with_plus(page, index, name, slug):
    with page.expect_popup() as popup_info:
        page.click(f"#add_id_memberships-{index}-member")
    popup = popup_info.value
    popup.locator("#id_name").press_sequentially(name)
    expect(popup.locator("#id_slug")).to_have_value(slug)
    popup.select_option("#id_kind", "company")
    # Listening before the click: under load the popup may close before a later wait.
    with popup.expect_event("close"):
        popup.click("input[name=_save]")


def test_two_new_members_created_with_plus_share_one_new_passage(record, editor, page):
    alliance = Coalition.objects.get(slug="ai-alliance")
    first = alliance.memberships.count()
    citations = Citation.objects.count()
    log_in(page, editor)
    page.goto(change_url(alliance))

    create_with_plus(page, first, "Hugging Face", "hugging-face")
    page.click(".inline-group .add-row a")
    create_with_plus(page, first + 1, "Stability AI", "stability-ai")
    for index in (first, first + 1):
        page.select_option(f"#id_memberships-{index}-role", "member")
        page.fill(f"#id_memberships-{index}-passage", NEW_PASSAGE)
    page.click("input[name=_continue]")

    expect(page.locator(".messagelist .success")).to_be_visible()
    joined = Membership.objects.filter(member__slug__in=["hugging-face", "stability-ai"])
    assert joined.count() == 2
    assert Citation.objects.count() == citations + 1


def test_a_coalition_edit_shows_in_its_history(record, editor, page):
    alliance = Coalition.objects.get(slug="ai-alliance")
    log_in(page, editor)
    page.goto(change_url(alliance))
    page.fill("#id_declared_member_count", "80")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.click("a.historylink")

    history = page.locator("#change-history")
    expect(history).to_contain_text("50 → 80")
    expect(history).to_contain_text("ada")


def test_a_deleted_fact_is_restored_from_the_deleted_list(record, editor, page, screenshot):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    log_in(page, editor)
    page.goto(reverse("admin:alliance_membership_delete", args=[oracle.pk]))
    page.fill("#id_reason", "Listed twice by mistake.")
    page.click("#content input[type=submit]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert not Membership.objects.filter(pk=oracle.pk).exists()

    page.click(".alliance-nav a[href$='/deleted/']")
    row = page.locator("#feed tbody tr", has_text="Oracle")
    expect(row).to_contain_text("Listed twice by mistake.")
    expect(row).to_contain_text("ada")
    screenshot("deleted-list")
    row.locator("input.restore").click()

    expect(page.locator(".messagelist .success")).to_contain_text("est de retour")
    restored = Membership.objects.get(pk=oracle.pk)
    assert restored.citation_id == oracle.citation_id


def test_loading_the_record_twice_keeps_an_editors_change(record, editor, page):
    ibm = Organisation.objects.get(slug="ibm")
    log_in(page, editor)
    page.goto(change_url(ibm))
    page.fill("#id_name", "IBM Corporation")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    for _ in range(2):  # make run, twice
        call_command("load_record", stdout=io.StringIO())
    page.reload()

    expect(page.locator("#id_name")).to_have_value("IBM Corporation")


def test_two_editors_add_different_members_to_one_coalition(
    record, editor, second_editor, page, chromium, live_server
):
    forum = Coalition.objects.get(slug="frontier-model-forum")
    index = forum.memberships.count()
    other = in_french(chromium.new_context(base_url=live_server.url).new_page())
    try:
        log_in(page, editor)
        log_in(other, second_editor)
        page.goto(change_url(forum))
        other.goto(change_url(forum))
        for browser_page, slug, passage in (
            (page, "openai", "OpenAI et ses homologues comme Anthropic et Cohere"),
            (other, "ibm", NEW_PASSAGE),
        ):
            pick(browser_page, f"id_memberships-{index}-member", slug)
            browser_page.select_option(f"#id_memberships-{index}-role", "member")
            browser_page.fill(f"#id_memberships-{index}-passage", passage)
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist .success")).to_be_visible()
        other.click("input[name=_continue]")
        expect(other.locator(".messagelist .success")).to_be_visible()
    finally:
        other.context.close()
    assert {"openai", "ibm"} <= set(forum.memberships.values_list("member__slug", flat=True))


def test_a_refused_editor_keeps_their_typing_and_sees_what_changed(
    record, editor, second_editor, page, chromium, live_server
):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    other = in_french(chromium.new_context(base_url=live_server.url).new_page())
    try:
        log_in(page, editor)
        log_in(other, second_editor)
        page.goto(change_url(oracle))
        other.goto(change_url(oracle))
        page.fill("#id_started_on", "2023-12-05")
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist .success")).to_be_visible()

        other.select_option("#id_status", "disputed")
        other.fill("#id_correction", "Oracle only observes.")
        other.click("input[name=_continue]")
        expect(other.locator(".errornote, .errorlist.nonfield")).to_contain_text(
            ["Modifié entre-temps"]
        )
        expect(other.locator("#id_correction")).to_have_value("Oracle only observes.")
        expect(other.locator("#id_started_on")).to_have_value("2023-12-05")
        other.click("input[name=_continue]")
        expect(other.locator(".messagelist .success")).to_be_visible()
    finally:
        other.context.close()
    oracle.refresh_from_db()
    assert (oracle.status, str(oracle.started_on)) == ("disputed", "2023-12-05")


@pytest.mark.parametrize(
    ("language", "words", "format_name"),
    [
        ("fr", "6 décembre 2023", "AAAA-MM-JJ"),
        ("en", "6 December 2023", "YYYY-MM-DD"),
    ],
)
def test_dates_are_typed_as_iso_and_shown_in_words(
    record, editor, page, language, words, format_name
):
    page.set_extra_http_headers({"Accept-Language": language})
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    log_in(page, editor)
    page.goto(change_url(oracle))
    expect(page.locator("body")).not_to_contain_text("Note")  # no "N hours behind"
    expect(page.locator(".datetimeshortcuts")).to_have_count(0)

    page.fill("#id_started_on", "06/02/2024")
    page.click("input[name=_continue]")
    expect(page.locator(".field-started_on .errorlist")).to_contain_text(format_name)

    page.fill("#id_started_on", "")
    page.locator("#id_started_on").press_sequentially("2023-12-06")
    expect(page.locator(".field-started_on .iso-date-words")).to_have_text(words)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".field-started_on .iso-date-words")).to_have_text(words)
    oracle.refresh_from_db()
    assert str(oracle.started_on) == "2023-12-06"


def upload(page, text, name="members.csv"):
    page.goto(reverse("admin:alliance_membership_import"))
    page.set_input_files(
        "#id_import_file", {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.click("#content input[type=submit]")


def test_a_french_excel_file_shows_its_errors_in_full_and_is_kept(record, editor, page, screenshot):
    text = (
        "\ufeffmember;coalition;role;started_on;article;passage\n"
        f"google;ai-alliance;sponsor;06/02/2024;{ARTICLE};OpenAI et ses homologues\n"
    )
    log_in(page, editor)
    upload(page, text, name="excel.csv")

    errors = page.locator("table.import-preview .validation-error-container")
    expect(errors).to_be_visible()  # without hovering
    expect(errors).to_contain_text("founder, key_contributor, member, absent")
    expect(errors).to_contain_text("AAAA-MM-JJ")
    expect(page.locator("#content")).to_contain_text("excel.csv")
    screenshot("errors-in-full")

    page.click("#content input[type=submit]")  # no new file chosen: the kept one is sent
    expect(page.locator("table.import-preview .validation-error-container")).to_be_visible()


def test_a_file_with_a_missing_column_gets_a_message(record, editor, page):
    log_in(page, editor)
    upload(page, "member,coalition\ngoogle,ai-alliance\n")
    expect(page.locator(".errorlist")).to_contain_text("Colonnes manquantes")
    expect(page.locator("#content")).not_to_contain_text("Traceback")


def test_an_export_opens_as_utf8_and_imports_back_unchanged(record, editor, page):
    versions = sorted(Membership.objects.values_list("slug", "version"))
    log_in(page, editor)
    page.goto(reverse("admin:alliance_membership_export"))
    with page.expect_download() as download:
        page.click("#content input[type=submit]")
    data = download.value.path().read_bytes()
    assert data.startswith("\ufeff".encode())

    upload(page, data.decode("utf-8-sig"))
    expect(page.locator("table.import-preview tbody tr.skip")).to_have_count(15)
    page.click("input[name=confirm]")
    expect(page.locator(".messagelist")).to_be_visible()
    assert sorted(Membership.objects.values_list("slug", "version")) == versions


def test_the_activity_page_lists_changes_filtered_by_editor(
    record, editor, second_editor, page, screenshot
):
    ibm = Organisation.objects.get(slug="ibm")
    log_in(page, editor)
    page.goto(change_url(ibm))
    page.fill("#id_name", "IBM Corporation")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.click(".alliance-nav a[href$='/activity/']")
    page.select_option("#id_editor", label="ada")
    page.select_option("#id_action", "changed")
    page.click("#activity-filters input[type=submit]")

    rows = page.locator("#feed tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("IBM Corporation")
    screenshot("activity")
    rows.locator("a", has_text="historique").click()
    expect(page.locator("#change-history")).to_contain_text("IBM → IBM Corporation")

"""CSV import and export of memberships: preview, bad rows by line, all or nothing."""

import csv
import io
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from alliance.admin.csv_files import MAX_UPLOAD_BYTES, PendingImportStorage, escape, unescape
from alliance.models import Citation, Membership, Organisation
from tests.admin.helpers import not_found, quoted

pytestmark = pytest.mark.django_db

HEADER = "member,coalition,role,started_on,article,passage,status,correction,correction_source,slug"
ARTICLE = "meta-et-ibm-creent-l-ai-alliance"


def as_csv(*rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    return out.getvalue()


def upload(client, text, name="members.csv"):
    """Send a CSV to the import page: the response is the preview."""
    return client.post(
        reverse("admin:alliance_membership_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile(name, text.encode(), content_type="text/csv"),
        },
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse("admin:alliance_membership_process_import"), data)


def export(client):
    response = client.post(
        reverse("admin:alliance_membership_export"),
        {
            "resource": "0",
            "format": "0",
            **{f"membershipresource_{column}": "on" for column in HEADER.split(",")},
        },
    )
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())  # Excel reads UTF-8 by its BOM
    return response.content.decode("utf-8-sig")


def snapshot():
    return (
        sorted(
            Membership.objects.values_list("slug", "role", "started_on", "citation_id", "version")
        ),
        Citation.objects.count(),
        Membership.history.count(),
    )


def test_export_lists_every_membership_by_slug_with_its_passage(record, editor_client):
    rows = list(csv.DictReader(io.StringIO(export(editor_client))))
    assert len(rows) == Membership.objects.count() == 15
    oracle = next(row for row in rows if row["member"] == "oracle")
    assert oracle["coalition"] == "ai-alliance"
    assert oracle["role"] == "key_contributor"
    assert oracle["article"] == ARTICLE
    assert oracle["passage"] == Membership.objects.get(slug="oracle-ai-alliance").citation.passage


def test_importing_the_export_changes_nothing(record, editor_client):
    exported = export(editor_client)
    before = snapshot()

    preview = upload(editor_client, exported)
    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["skip"] == 15
    response = confirm(editor_client, preview)

    assert response.status_code == 302
    assert snapshot() == before


def test_preview_writes_nothing_and_confirm_writes_the_rows(record, editor_client):
    text = as_csv(
        [
            "google",
            "ai-alliance",
            "member",
            "2023-12-15",
            ARTICLE,
            "les principaux acteurs, dont OpenAI, Google et Anthropic",
            "as_reported",
            "",
            "",
            "",
        ],
        [
            "oracle",
            "ai-alliance",
            "founder",
            "",
            ARTICLE,
            "avec des contributeurs clés comme Intel",
            "disputed",
            "A founder after all.",
            "",
            "oracle-ai-alliance",
        ],
    )
    before = snapshot()

    preview = upload(editor_client, text)
    assert preview.context["result"].totals["new"] == 1
    assert preview.context["result"].totals["update"] == 1
    # The changes are marked up without style attributes, which the policy refuses.
    table = preview.content.decode().split('class="import-preview"')[1].split("</table>")[0]
    assert "<del>key_contributo</del><ins>founde</ins><span>r</span>" in table
    assert "style=" not in table
    assert snapshot() == before

    response = confirm(editor_client, preview)

    assert response.status_code == 302
    google = Membership.objects.get(member__slug="google", coalition__slug="ai-alliance")
    assert (google.slug, str(google.started_on)) == ("google-ai-alliance", "2023-12-15")
    assert google.citation.paragraph.number == 7
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    assert (oracle.role, oracle.status, oracle.version) == ("founder", "disputed", 2)
    latest = oracle.history.latest("history_date")
    assert (latest.history_user.username, latest.history_change_reason) == (
        "ada",
        "imported from CSV",
    )


def test_each_bad_row_is_reported_by_line_and_nothing_is_written(record, editor_client):
    text = "\n".join(
        [
            HEADER,
            f"google,ai-alliance,member,,{ARTICLE},OpenAI et ses homologues,as_reported,,,",
            f"nobody,ai-alliance,member,,{ARTICLE},OpenAI et ses homologues,as_reported,,,",
            f"openai,ai-alliance,member,,{ARTICLE},OpenAI a rejoint l’alliance,as_reported,,,",
            f"microsoft,ai-alliance,absent,2023-12-01,{ARTICLE},Microsoft,as_reported,,,",
            f"cohere,ai-alliance,sponsor,,{ARTICLE},Cohere,as_reported,,,",
        ]
    )
    before = snapshot()

    preview = upload(editor_client, text)

    result = preview.context["result"]
    assert "confirm_form" not in preview.context
    assert not result.has_errors()
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    # Lines of the file: the header is line 1, the good google row line 2.
    assert set(invalid) == {3, 4, 5, 6}
    assert invalid[3]["member"] == [
        f"Aucune organisation n’a l’identifiant d’URL {quoted('nobody')}."
    ]
    assert " ".join(invalid[4]["citation"]).endswith(not_found("rejoint"))
    assert "Une organisation absente n’a pas de date d’adhésion ni de départ." in str(invalid[5])
    assert "sponsor" in str(invalid[6]["role"])
    content = preview.content.decode()
    assert "nobody" in content
    assert "a rejoint" in content
    assert snapshot() == before


def test_export_follows_the_list_filters_and_search(record, editor_client):
    forum = Membership.objects.filter(coalition__slug="frontier-model-forum").first().coalition
    url = reverse("admin:alliance_membership_export")
    data = {"resource": "0", "format": "0", "membershipresource_member": "on"}
    filtered = editor_client.post(f"{url}?coalition__id__exact={forum.pk}", data)
    searched = editor_client.post(f"{url}?q=universite", data)
    assert filtered.content.decode("utf-8-sig").split() == [
        "member",
        "anthropic",
        "google",
        "meta",
        "microsoft",
    ]
    assert searched.content.decode("utf-8-sig").split() == ["member", "cornell"]


# Files as spreadsheets save them ------------------------------------------------------


def test_a_semicolon_separated_file_with_a_bom_is_read(record, editor_client):
    text = "\ufeff" + as_csv(
        [
            "google",
            "ai-alliance",
            "member",
            "2023-12-15",
            ARTICLE,
            "OpenAI et ses homologues",
            "as_reported",
            "",
            "",
            "",
        ]
    ).replace(",", ";")
    preview = upload(editor_client, text)
    assert preview.context["result"].totals["new"] == 1


def test_formulas_are_neutralised_on_export_and_restored_on_import(record, editor_client):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    oracle.status, oracle.correction = "disputed", '=HYPERLINK("http://evil.example","click")'
    oracle.correction_source = ""
    oracle.save()
    exported = export(editor_client)
    row = next(r for r in csv.DictReader(io.StringIO(exported)) if r["slug"] == oracle.slug)
    assert row["correction"] == "'" + oracle.correction
    before = snapshot()

    preview = upload(editor_client, exported)

    assert preview.context["result"].totals["skip"] == 15
    confirm(editor_client, preview)
    assert snapshot() == before
    oracle.refresh_from_db()
    assert oracle.correction.startswith("=HYPERLINK")


@pytest.mark.parametrize(
    "value", ["=1+1", "+33 1", "-x", "@SUM(A1)", "\tx", "'=already", "''=twice", "'plain"]
)
def test_every_formula_escape_round_trips(value):
    assert unescape(escape(value)) == value
    assert not escape(value).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_two_rows_for_the_same_member_coalition_and_date_are_refused(record, editor_client):
    row = [
        "google",
        "ai-alliance",
        "member",
        "2023-12-15",
        ARTICLE,
        "OpenAI et ses homologues",
        "as_reported",
        "",
        "",
        "",
    ]
    preview = upload(editor_client, as_csv(row, ["microsoft", *row[1:]], row))
    invalid = {r.number: str(r.error_dict) for r in preview.context["result"].invalid_rows}
    assert list(invalid) == [4]
    assert "La ligne 2" in invalid[4]
    assert not Membership.objects.filter(member__slug="google", coalition__slug="ai-alliance")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("member,coalition,role,role,started_on,article,passage", "plus d’une fois : role"),
        ("member,coalition,started_on,article,passage", "Colonnes manquantes : role."),
        ("member,coalition,role,started_on,article,passage,colour", "Colonnes inconnues : colour."),
    ],
)
def test_a_file_with_a_missing_or_repeated_column_gets_a_message(
    record, editor_client, header, message
):
    response = upload(editor_client, header + "\ngoogle,ai-alliance,member\n")
    assert response.status_code == 200
    [error] = response.context["form"].errors["import_file"]
    assert message.replace(" :", "\N{NO-BREAK SPACE}:") in error
    assert "Traceback" not in response.content.decode()


def test_a_file_that_is_not_utf8_or_too_large_is_refused_with_a_message(record, editor_client):
    latin = editor_client.post(
        reverse("admin:alliance_membership_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("x.csv", HEADER.encode() + "\né".encode("latin-1")),
        },
    )
    assert "UTF-8" in latin.context["form"].errors["import_file"][0]
    big = upload(editor_client, HEADER + "\n" + "x" * (3 * 1024 * 1024))
    assert "Découpez-le" in big.context["form"].errors["import_file"][0]


def test_bad_values_name_the_valid_choices_and_the_date_format(record, editor_client):
    text = as_csv(
        [
            "google",
            "ai-alliance",
            "sponsor",
            "06/02/2024",
            ARTICLE,
            "OpenAI et ses homologues",
            "maybe",
            "",
            "",
            "",
        ]
    )
    [row] = upload(editor_client, text).context["result"].invalid_rows
    errors = row.error_dict
    assert "founder, key_contributor, member, absent" in errors["role"][0]
    assert "as_reported, disputed, corrected" in errors["status"][0]
    assert "AAAA-MM-JJ" in errors["started_on"][0]


def test_the_file_is_kept_after_an_error_and_can_be_sent_again(record, editor_client):
    text = as_csv(
        [
            "nobody",
            "ai-alliance",
            "member",
            "",
            ARTICLE,
            "OpenAI et ses homologues",
            "as_reported",
            "",
            "",
            "",
        ]
    )
    refused = upload(editor_client, text, name="mine.csv")
    form = refused.context["form"]
    assert form["kept_name"].value() == "mine.csv"
    assert "mine.csv" in refused.content.decode()

    again = editor_client.post(
        reverse("admin:alliance_membership_import"),
        {
            "resource": "0",
            "format": "0",
            "kept_file": form["kept_file"].value(),
            "kept_name": "mine.csv",
        },
    )

    assert [r.number for r in again.context["result"].invalid_rows] == [2]


def test_the_pending_import_waits_in_the_shared_cache_until_confirmed(record, editor_client):
    text = as_csv(
        [
            "google",
            "ai-alliance",
            "member",
            "2023-12-15",
            ARTICLE,
            "OpenAI et ses homologues",
            "as_reported",
            "",
            "",
            "",
        ]
    )
    preview = upload(editor_client, text)
    name = preview.context["confirm_form"]["import_file_name"].value()
    key = PendingImportStorage.CACHE_PREFIX + name
    assert cache.get(key) is not None
    assert PendingImportStorage.CACHE_LIFETIME <= 3600  # stale previews expire

    assert confirm(editor_client, preview).status_code == 302
    assert cache.get(key) is None
    assert Membership.objects.filter(member__slug="google", coalition__slug="ai-alliance")


def test_a_row_with_a_slug_updates_that_membership(record, editor_client):
    text = as_csv(
        [
            "oracle",
            "ai-alliance",
            "key_contributor",
            "2023-12-05",
            ARTICLE,
            "avec des contributeurs clés comme Intel",
            "as_reported",
            "",
            "",
            "oracle-ai-alliance",
        ]
    )
    preview = upload(editor_client, text)
    assert preview.context["result"].totals["update"] == 1
    confirm(editor_client, preview)
    assert str(Membership.objects.get(slug="oracle-ai-alliance").started_on) == "2023-12-05"


def test_two_thousand_rows_preview_and_import_with_a_fixed_number_of_queries_per_row(
    record, editor_client, record_property
):
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {i}", slug=f"org-{i}", kind="company") for i in range(2000)
    )
    text = as_csv(
        *(
            [
                f"org-{i}",
                "ai-alliance",
                "member",
                "2023-12-15",
                ARTICLE,
                "OpenAI et ses homologues",
                "disputed",
                f"Row {i}: the date comes from the organisation's own announcement, later on.",
                "",
                "",
            ]
            for i in range(2000)
        )
    )
    assert 350_000 < len(text.encode()) < MAX_UPLOAD_BYTES
    queries = []

    def count(execute, sql, params, many, context):
        # Each row runs in a savepoint of its own, which is not a query for this count.
        if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            queries.append(sql)
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        preview = upload(editor_client, text)
    previewed = time.perf_counter() - started
    assert preview.context["result"].totals["new"] == 2000
    # Slugs, articles and citations are looked up once per file: per row, the model's
    # own checks (five check constraints, overlapping periods, uniqueness, a free slug),
    # the row and its history.
    assert len(queries) < 11 * 2000
    started = time.perf_counter()
    assert confirm(editor_client, preview).status_code == 302
    imported = time.perf_counter() - started

    assert Membership.objects.filter(member__slug__startswith="org-").count() == 2000
    # Logged, not asserted: the time depends on the machine (gunicorn's timeout is 30 s).
    record_property("preview_seconds", round(previewed, 1))
    record_property("import_seconds", round(imported, 1))
    print(f"2,000 rows: preview {previewed:.1f} s, import {imported:.1f} s")

"""CSV import and export of memberships: preview, bad rows by line, all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.models import Citation, Membership
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
    return response.content.decode()


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
    assert oracle.history.get().history_user.username == "ada"


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
    assert filtered.content.decode().split() == [
        "member",
        "anthropic",
        "google",
        "meta",
        "microsoft",
    ]
    assert searched.content.decode().split() == ["member", "cornell"]

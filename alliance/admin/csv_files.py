"""CSV files as spreadsheets write and read them, for the membership import and export.

- Read: UTF-8 (with or without the byte-order mark), comma- or semicolon-separated (French
  Excel saves with semicolons). A file with a missing or repeated column, or that is not
  UTF-8, or too large, is refused on the form with a message, before any row is read.
- Written: UTF-8 with a byte-order mark, so that Excel opens accents correctly.
- Formula injection: a cell starting with =, +, -, @, a tab or a carriage return is
  written with a leading apostrophe, which spreadsheets show as text, and the apostrophe
  is taken off on import: importing an export changes nothing.
- The file waiting between the preview and the confirmation lives in the shared cache
  (Redis in production), so the confirmation may reach another app server. It expires
  after an hour, which cleans up previews nobody confirmed.
"""

import csv
import re

import tablib
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV
from import_export.forms import ImportForm
from import_export.tmp_storages import CacheStorage

# 2,000 rows are about 400 KB.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
REQUIRED_COLUMNS = ("member", "coalition", "role", "started_on", "article", "passage")
OPTIONAL_COLUMNS = (
    "ended_on",
    "status",
    "correction",
    "correction_source",
    "correction_source_title",
    "slug",
)
# Any number of apostrophes, then a character a spreadsheet reads as a formula.
FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def escape(value):
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value


def unescape(value):
    if isinstance(value, str) and value.startswith("'") and FORMULA.match(value[1:]):
        return value[1:]
    return value


def decode(data):
    if isinstance(data, bytes):
        return data.decode("utf-8-sig")
    return data.removeprefix("\ufeff")


def delimiter_of(text):
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def header_of(text):
    return next(csv.reader([text.split("\n", 1)[0].rstrip("\r")], delimiter=delimiter_of(text)))


class SpreadsheetCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        text = decode(in_stream)
        dataset = tablib.Dataset()
        dataset.load(text, format="csv", delimiter=delimiter_of(text))
        dataset.headers = [name.strip() for name in dataset.headers or []]
        rows = [tuple(unescape(value) for value in row) for row in dataset]
        cleaned = tablib.Dataset(*rows, headers=dataset.headers)
        return cleaned

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(
            *[tuple(escape(value) for value in row) for row in dataset], headers=dataset.headers
        )
        return "\ufeff" + escaped.export("csv", **kwargs)


class PendingImportStorage(CacheStorage):
    CACHE_LIFETIME = 60 * 60
    CACHE_PREFIX = "alliance-pending-import-"


class MembershipImportForm(ImportForm):
    """The import form: checks the file itself, and keeps it across a failed try."""

    kept_file = forms.CharField(widget=forms.HiddenInput, required=False)
    kept_name = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].required = False
        self.fields["import_file"].help_text = _(
            "CSV, UTF-8, comma- or semicolon-separated, at most %(size)s. Columns: "
            "%(required)s; optional: %(optional)s. Dates as precise as the source: YYYY-MM-DD, "
            "YYYY-MM or YYYY."
        ) % {
            "size": filesizeformat(MAX_UPLOAD_BYTES),
            "required": ", ".join(REQUIRED_COLUMNS),
            "optional": ", ".join(OPTIONAL_COLUMNS),
        }
        self.kept = None
        name = self.data.get("kept_name") if self.is_bound else None
        if name and self.data.get("kept_file"):
            self.fields["import_file"].help_text = _(
                "Kept from your last try: %(name)s. Choose a file only to replace it."
            ) % {"name": name}

    def keep(self, uploaded, data):
        """Keep the file in the shared cache, so that the page shown after an error can
        send it again without the editor choosing it again."""
        storage = PendingImportStorage()
        storage.save(data)
        self.kept = (storage.name, uploaded.name)

    def clean_import_file(self):
        uploaded = self.cleaned_data.get("import_file")
        if uploaded is None:
            token = (self.data.get("kept_file") or "").strip()
            if re.fullmatch(r"[0-9a-f]{32}", token):
                data = PendingImportStorage(name=token).read()
                if data is not None:
                    name = (self.data.get("kept_name") or "import.csv")[:200]
                    uploaded = SimpleUploadedFile(name, data, content_type="text/csv")
            if uploaded is None:
                raise forms.ValidationError(_("Choose a CSV file to import."), code="required")
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {
                    "size": filesizeformat(uploaded.size),
                    "limit": filesizeformat(MAX_UPLOAD_BYTES),
                },
                code="too_large",
            )
        data = b"".join(uploaded.chunks())
        uploaded.seek(0)
        self.keep(uploaded, data)
        try:
            text = decode(data)
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”."),
                code="encoding",
            ) from None
        header = [name.strip() for name in header_of(text)] if text.strip() else []
        repeated = sorted({name for name in header if header.count(name) > 1})
        if repeated:
            raise forms.ValidationError(
                _("These columns appear more than once: %(columns)s. Keep one of each.")
                % {"columns": ", ".join(repeated)},
                code="repeated_columns",
            )
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise forms.ValidationError(
                _(
                    "Missing columns: %(missing)s. The first line must name the columns %(required)s."
                )
                % {"missing": ", ".join(missing), "required": ", ".join(REQUIRED_COLUMNS)},
                code="missing_columns",
            )
        unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        if unknown:
            raise forms.ValidationError(
                _("Unknown columns: %(unknown)s. The columns are %(known)s.")
                % {
                    "unknown": ", ".join(unknown),
                    "known": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
                },
                code="unknown_columns",
            )
        return uploaded

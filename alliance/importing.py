"""CSV import and export of memberships, by slug, each with the passage that states it.

Columns: member, coalition, role, started_on, article, passage, status, correction,
correction_source, slug. A row is found by its member and coalition; rows that change
nothing are skipped, so importing an export changes nothing. Any bad row stops the whole
import: nothing is written. Bad rows are reported by their line in the file.
"""

from diff_match_patch import diff_match_patch
from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from alliance.models import Article, Citation, Coalition, Membership, Organisation


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key given by slug; an unknown slug is a row error that names it."""

    def __init__(self, model, unknown, **kwargs):
        super().__init__(model, field="slug", **kwargs)
        # A whole sentence per model, so that each language can agree it with the noun.
        self.unknown = unknown

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.unknown % {"slug": value}) from None


class PreviewDiff(resources.Diff):
    """The import preview's changes as <ins> and <del>, without style attributes.

    The library's diff colours them with style attributes, which the Content-Security-Policy
    refuses; alliance/admin.css colours them instead.
    """

    TAGS = {
        diff_match_patch.DIFF_INSERT: "ins",
        diff_match_patch.DIFF_DELETE: "del",
        diff_match_patch.DIFF_EQUAL: "span",
    }

    def as_html(self):
        matcher = diff_match_patch()
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            if old != new and self.new:
                old = ""
            diff = matcher.diff_main(force_str(old), force_str(new))
            matcher.diff_cleanupSemantic(diff)
            cells.append(
                format_html_join(
                    "", "<{}>{}</{}>", ((self.TAGS[op], text, self.TAGS[op]) for op, text in diff)
                )
            )
        return cells


class MembershipResource(resources.ModelResource):
    member = fields.Field(
        "member",
        "member",
        SlugWidget(Organisation, gettext_lazy("No organisation has the slug “%(slug)s”.")),
    )
    coalition = fields.Field(
        "coalition",
        "coalition",
        SlugWidget(Coalition, gettext_lazy("No coalition has the slug “%(slug)s”.")),
    )
    started_on = fields.Field("started_on", "started_on", widgets.DateWidget("%Y-%m-%d"))
    article = fields.Field("citation__article__slug", "article", readonly=True)
    passage = fields.Field("citation__passage", "passage", readonly=True)

    class Meta:
        model = Membership
        fields = [
            "member",
            "coalition",
            "role",
            "started_on",
            "article",
            "passage",
            "status",
            "correction",
            "correction_source",
            "slug",
        ]
        export_order = fields
        import_id_fields = ["member", "coalition"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("member", "coalition", "citation__article")

    def get_diff_class(self):
        return PreviewDiff

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # An unknown member or coalition: import_instance() reports it with the row's
            # other problems, in the same table of invalid rows.
            return None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.citation = self.citation_for(row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def citation_for(self, row):
        """The citation of the row's article and passage: reused, or checked and made."""
        slug, passage = (row.get("article") or "").strip(), (row.get("passage") or "").strip()
        if not slug or not passage:
            raise ValidationError({"citation": _("The article and the passage are both needed.")})
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise ValidationError(
                {"citation": _("No article has the slug “%(slug)s”.") % {"slug": slug}}
            )
        citation = Citation.objects.filter(article=article, passage=passage).first()
        if citation is None:
            citation = Citation(article=article, passage=passage)
            try:
                citation.full_clean()
            except ValidationError as error:
                raise ValidationError({"citation": error.messages}) from None
            # Inside the import's transaction: rolled back with everything else when any
            # row is bad, and always in the preview.
            citation.save()
        return citation

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # Number bad rows as lines of the file (the header is line 1), which is also how
        # a spreadsheet numbers them, so an editor finds the row they are told about.
        for invalid in result.invalid_rows:
            invalid.number += 1
        for error_row in result.error_rows:
            error_row.number += 1
            for error in error_row.errors:
                error.number += 1

    def import_data(self, *args, **kwargs):
        # A bad row anywhere means nothing is written, not just the rows that failed.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(*args, **kwargs)

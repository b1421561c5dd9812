"""CSV import and export of memberships, by slug, each with the passage that states it.

Columns: member, coalition, role, started_on, ended_on, article, passage, status,
correction, correction_source, correction_source_title, slug. Dates are as precise as the
source: `2023`, `2023-12` or `2023-12-05`. A row is the membership its `slug` names when
the column is filled, else the one of its member and coalition starting on its
`started_on`; two rows of one file with the same member, coalition and start are an
error. Rows that change
nothing are skipped, so importing an export changes nothing. Any bad row stops the whole
import: nothing is written. Bad rows are reported by their line in the file, with the
valid choices and the date format named.

Slugs, articles and citations are looked up once per file, not once per row, so that a
file of a few thousand rows previews within the request timeout.
"""

from diff_match_patch import diff_match_patch
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.encoding import force_str
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from alliance.admin.history import IMPORTED, keep_baseline
from alliance.models import (
    Article,
    Citation,
    Coalition,
    FactStatus,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
)
from alliance.models.dates import DatePrecision, iso, parse_partial


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key given by slug; an unknown slug is a row error that names it.

    `known` (slug -> row) is filled once per file by MembershipResource.before_import.
    """

    def __init__(self, model, unknown, **kwargs):
        super().__init__(model, field="slug", **kwargs)
        # A whole sentence per model, so that each language can agree it with the noun.
        self.unknown = unknown
        self.known = None

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        value = str(value).strip()
        if self.known is not None:
            if value in self.known:
                return self.known[value]
            raise ValueError(self.unknown % {"slug": value})
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.unknown % {"slug": value}) from None


class PartialDateWidget(widgets.Widget):
    """`2023`, `2023-12` or `2023-12-05`, the same in every language; cleans to
    (date, precision), and anything else names the formats."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_partial(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PartialDateColumn(fields.Field):
    """A date column that sets the date and its precision, and exports it at that precision."""

    def __init__(self, name):
        super().__init__(attribute=name, column_name=name, widget=PartialDateWidget())
        self.precision_attribute = name.replace("_on", "_precision")

    def get_value(self, instance):
        return iso(getattr(instance, self.attribute), getattr(instance, self.precision_attribute))

    def save(self, instance, row, is_m2m=False, **kwargs):
        date, precision = self.clean(row, **kwargs) or (None, DatePrecision.DAY)
        setattr(instance, self.attribute, date)
        setattr(instance, self.precision_attribute, precision)


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
    started_on = PartialDateColumn("started_on")
    ended_on = PartialDateColumn("ended_on")
    article = fields.Field("citation__article__slug", "article", readonly=True)
    passage = fields.Field("citation__passage", "passage", readonly=True)

    class Meta:
        model = Membership
        fields = [
            "member",
            "coalition",
            "role",
            "started_on",
            "ended_on",
            "article",
            "passage",
            "status",
            "correction",
            "correction_source",
            "correction_source_title",
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

    #: Closed sets of values, checked first so that the message lists the valid ones.
    CHOICES = {"role": MembershipRole, "status": FactStatus}

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = {name: index for index, name in enumerate(dataset.headers or [])}

        def values(name):
            if name not in column:
                return set()
            return {str(row[column[name]] or "").strip() for row in dataset} - {""}

        organisations = Organisation.objects.filter(slug__in=values("member") | values("coalition"))
        self.fields["member"].widget.known = {org.slug: org for org in organisations}
        self.fields["coalition"].widget.known = {
            org.slug: Coalition(
                **{f.attname: getattr(org, f.attname) for f in org._meta.concrete_fields}
            )
            for org in organisations
            if org.kind == OrganisationKind.COALITION
        }
        self.articles = {
            article.slug: article for article in Article.objects.filter(slug__in=values("article"))
        }
        self.citations = {
            (citation.article_id, citation.passage): citation
            for citation in Citation.objects.filter(
                article__in=self.articles.values()
            ).select_related("article", "paragraph")
        }
        for article in self.articles.values():
            # Passages are looked for in these, once per file.
            article.paragraph_list = list(article.paragraphs.all())
        existing = Membership.objects.select_related("member", "coalition", "citation__article")
        by_slug = existing.filter(slug__in=values("slug"))
        by_parts = existing.filter(
            member__slug__in=values("member"), coalition__slug__in=values("coalition")
        )
        self.by_slug = {membership.slug: membership for membership in by_slug}
        self.by_parts = {}
        for membership in by_parts:
            self.by_parts.setdefault(
                (membership.member_id, membership.coalition_id, membership.started_on), membership
            )
        self.seen = {}

    def get_instance(self, instance_loader, row):
        slug = str(row.get("slug") or "").strip()
        if slug:
            return self.by_slug.get(slug)
        try:
            member = self.fields["member"].clean(row)
            coalition = self.fields["coalition"].clean(row)
            started = self.fields["started_on"].clean(row)
        except (ValueError, ValidationError):
            # An unknown member or coalition, or a bad date: import_instance() reports it
            # with the row's other problems, in the same table of invalid rows.
            return None
        if member is None or coalition is None:
            return None
        started_on = started[0] if started else None
        return self.by_parts.get((member.pk, coalition.pk, started_on))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for name, choices in self.CHOICES.items():
            value = str(row.get(name) or "").strip()
            if name in row and value and value not in choices.values:
                errors[name] = [
                    _("“%(value)s” is not a valid %(field)s. Valid: %(choices)s.")
                    % {"value": value, "field": name, "choices": ", ".join(choices.values)}
                ]
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.citation = self.citation_for(row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        key = tuple(
            str(row.get(name) or "").strip() for name in ("member", "coalition", "started_on")
        )
        line = kwargs.get("row_number", 0) + 1  # the header is line 1
        if key in self.seen:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("Line %(line)s has the same member, coalition and date: one row each.")
                % {"line": self.seen[key]}
            )
        else:
            self.seen[key] = line
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Member, coalition and citation were found by slug here: no need to check again
        # that they exist. The rest (constraints, uniqueness) is checked by the model.
        errors = dict(import_validation_errors or {})
        choice_errors = {name for name in self.CHOICES if name in errors}
        try:
            instance.full_clean(
                exclude=[*errors.keys(), *choice_errors, "member", "coalition", "citation"],
                validate_unique=validate_unique,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create:
            keep_baseline(instance)
        instance._change_reason = IMPORTED
        super().save_instance(instance, is_create, row, **kwargs)

    def citation_for(self, row):
        """The citation of the row's article and passage: reused, or checked and made."""
        slug, passage = (row.get("article") or "").strip(), (row.get("passage") or "").strip()
        if not slug or not passage:
            raise ValidationError({"citation": _("The article and the passage are both needed.")})
        article = self.articles.get(slug)
        if article is None:
            raise ValidationError(
                {"citation": _("No article has the slug “%(slug)s”.") % {"slug": slug}}
            )
        citation = self.citations.get((article.pk, passage))
        if citation is None:
            citation = Citation(article=article, passage=passage)
            paragraph = next((p for p in article.paragraph_list if passage in p.text), None)
            if paragraph is None:
                try:
                    citation.full_clean()
                except ValidationError as error:
                    raise ValidationError({"citation": error.messages}) from None
            citation.paragraph = paragraph
            citation.slug = Citation.make_slug(article.slug, passage)
            # Inside the import's transaction: rolled back with everything else when any
            # row is bad, and always in the preview.
            citation.save()
            self.citations[(article.pk, passage)] = citation
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

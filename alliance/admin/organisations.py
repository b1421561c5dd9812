"""Organisations, coalitions with their memberships inline, and memberships (CSV too)."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from alliance.admin.citing import membership_rows
from alliance.admin.csv_files import MembershipImportForm, PendingImportStorage, SpreadsheetCSV
from alliance.admin.dates import PeriodFields
from alliance.admin.forms import CitedFactForm, CitedFactInlineForm, CoalitionForm
from alliance.admin.mixins import (
    ContentAdmin,
    FactAdmin,
    FactInlineMixin,
    IdentifierInline,
    fact_fieldsets,
    record_fieldset,
)
from alliance.importing import MembershipResource
from alliance.models import Coalition, Membership, Organisation

DECLARED_COUNT_FIELDS = [
    "declared_member_count",
    "declared_member_count_qualifier",
    "declared_member_count_citation",
]


@admin.register(Organisation)
class OrganisationAdmin(ContentAdmin):
    list_display = ["name", "kind", "country", "coalitions", "full_name"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_en", "full_name", "aliases"]
    inlines = [IdentifierInline]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["declared_member_count_citation"]
    formfield_overrides = {
        **ContentAdmin.formfield_overrides,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})},
    }
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name", "name_en"),
                    "slug",
                    "kind",
                    "full_name",
                    "aliases",
                    "country",
                    "wikidata_id",
                ]
            },
        ),
        (_("About"), {"fields": [("description", "description_en")]}),
        (
            _("Declared member count (coalitions only)"),
            {"fields": DECLARED_COUNT_FIELDS, "classes": ["collapse"]},
        ),
        record_fieldset(),
    ]

    def get_queryset(self, request):
        memberships = Membership.objects.select_related("coalition").order_by("coalition__name")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("coalition_memberships", queryset=memberships))
        )

    @admin.display(description=_("in coalitions"))
    def coalitions(self, obj):
        return ", ".join(
            f"{membership.coalition} ({membership.get_role_display()})"
            for membership in obj.coalition_memberships.all()
        )


class MembershipForm(PeriodFields, CitedFactForm):
    pass


class MembershipInlineForm(PeriodFields, CitedFactInlineForm):
    pass


class MembershipInline(FactInlineMixin, admin.TabularInline):
    model = Membership
    form = MembershipInlineForm
    fk_name = "coalition"
    # Disputes and corrections are made on the membership's own page (its Change link).
    fields = ["member", "role", "started_on", "ended_on", "article", "passage", "opened_version"]
    autocomplete_fields = ["member"]
    extra = 1
    verbose_name_plural = _(
        "memberships (to add a member: pick or create the organisation, its role, and paste "
        "the passage that says so)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "citation", "coalition")

    def get_extra(self, request, obj=None, **kwargs):
        # Opened from "cite by selecting": one new row per organisation of the passage.
        return max(len(membership_rows(request)), self.extra)


@admin.register(Coalition)
class CoalitionAdmin(OrganisationAdmin):
    form = CoalitionForm
    list_display = ["name", "members_on_record", "absentees_on_record", "declared_count"]
    list_filter = []
    inlines = [MembershipInline, IdentifierInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name", "name_en"),
                    "slug",
                    "full_name",
                    "aliases",
                    "country",
                    "wikidata_id",
                ]
            },
        ),
        (_("About"), {"fields": [("description", "description_en")], "classes": ["collapse"]}),
        (_("Declared member count"), {"fields": DECLARED_COUNT_FIELDS}),
        record_fieldset(),
    ]

    def get_queryset(self, request):
        return Coalition.objects.with_member_counts()

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, MembershipInline) and request.method == "GET":
            rows = membership_rows(request)
            if rows:
                kwargs["initial"] = rows
        return kwargs

    @admin.display(description=_("members on record"), ordering="members_on_record")
    def members_on_record(self, obj):
        return obj.members_on_record

    @admin.display(description=_("notably absent"), ordering="absentees_on_record")
    def absentees_on_record(self, obj):
        return obj.absentees_on_record

    @admin.display(description=_("declared count"), ordering="declared_member_count")
    def declared_count(self, obj):
        if obj.declared_member_count is None:
            return ""
        return f"{obj.get_declared_member_count_qualifier_display()} {obj.declared_member_count}"


@admin.register(Membership)
class MembershipAdmin(ImportExportModelAdmin, FactAdmin):
    resource_classes = [MembershipResource]
    import_formats = [SpreadsheetCSV]
    export_formats = [SpreadsheetCSV]
    import_form_class = MembershipImportForm
    # Shared by every app server: the confirmation may reach another one than the preview.
    tmp_storage_class = PendingImportStorage
    form = MembershipForm
    list_display = [
        "member",
        "coalition",
        "role",
        "started_on",
        "ended_on",
        "status",
        "cited_paragraph",
    ]
    list_filter = ["role", "status", ("coalition", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["member", "coalition", "citation__paragraph"]
    search_fields = ["member__name", "coalition__name"]
    autocomplete_fields = ["member", "coalition"]
    fieldsets = fact_fieldsets("member", "coalition", "role", "started_on", "ended_on")

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        form = getattr(response, "context_data", {}).get("form")
        if form is not None and getattr(form, "kept", None):
            # Shown again after an error: the file goes with it, so that the editor can
            # try again (another format, a fixed record) without choosing it again.
            token, name = form.kept
            form.data = form.data.copy()
            form.data["kept_file"], form.data["kept_name"] = token, name
            form.fields["import_file"].help_text = _(
                "Kept from your last try: %(name)s. Choose a file only to replace it."
            ) % {"name": name}
        return response

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

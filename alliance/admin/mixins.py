"""What every content admin shares: accent-insensitive search, history, edit conflicts."""

import dataclasses

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import OperationalError, models, router, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from alliance.admin.fields import IsoDateField
from alliance.admin.forms import (
    NOT_DIFFED,
    CitedFactForm,
    CitedFactInlineForm,
    InlineVersionLockedForm,
    VersionLockedForm,
)
from alliance.admin.history import keep_baseline
from alliance.admin.translations import TranslatedAdminMixin
from alliance.models import ExternalIdentifier, Source

RECORD_FIELDS = ("version", "created_at", "updated_at")
# Dates typed as YYYY-MM-DD in every language (alliance.admin.fields).
DATE_FIELDS = {models.DateField: {"form_class": IsoDateField}}


def busy_database(request, error):
    """SQLite lets one writer at a time: past its busy timeout, say so, and nothing of
    the refused save was written (the admin's transaction rolled back)."""
    if request.method != "POST" or "locked" not in str(error):
        raise error
    messages.error(
        request,
        _(
            "Another save was holding the database, so nothing of yours was saved. "
            "Please save again."
        ),
    )
    return HttpResponseRedirect(request.get_full_path())


class FoldedSearchMixin:
    """Search through `Model.objects.search()`: "dario" finds "Darío Gil", in lists and
    in every autocomplete that points here."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False


class VersionLockedMixin:
    """Adds the hidden opened version to every form, and locks reverts too."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        first_name, first_options = fieldsets[0]
        if "opened_version" in first_options["fields"]:
            return fieldsets
        first = (
            first_name,
            {**first_options, "fields": [*first_options["fields"], "opened_version"]},
        )
        return [first, *fieldsets[1:]]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *RECORD_FIELDS]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The change view runs in a transaction; a revert must too, for the row lock.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class ContentAdmin(TranslatedAdminMixin, FoldedSearchMixin, VersionLockedMixin, SimpleHistoryAdmin):
    """History with diff and revert, folded search, and refused conflicting edits."""

    form = VersionLockedForm
    list_per_page = 50
    formfield_overrides = DATE_FIELDS
    delete_confirmation_template = "admin/alliance/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/alliance/delete_selected_confirmation.html"
    #: Facts say why they are deleted; the reason goes into their history.
    reason_required = False

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST" and self.reason_missing(request):
            return HttpResponseRedirect(request.get_full_path())
        extra_context = {**(extra_context or {}), "reason_required": self.reason_required}
        try:
            return super().delete_view(request, object_id, extra_context)
        except OperationalError as error:
            return busy_database(request, error)

    def reason_missing(self, request):
        if self.reason_required and not request.POST.get("reason", "").strip():
            messages.error(request, _("Say why it is deleted: the reason is kept in its history."))
            return True
        return False

    def delete_model(self, request, obj):
        obj._change_reason = request.POST.get("reason", "").strip()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One by one, so that each row's history keeps the reason.
        reason = request.POST.get("reason", "").strip()
        for obj in queryset:
            obj._change_reason = reason
            obj.delete()

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if "delete_selected" in actions:
            action = actions["delete_selected"]

            def delete_selected(modeladmin, request, queryset):
                if request.POST.get("post") and self.reason_missing(request):
                    return None
                return action.func(modeladmin, request, queryset)

            actions["delete_selected"] = dataclasses.replace(action, func=delete_selected)
        return actions

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OperationalError as error:
            return busy_database(request, error)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed() and not getattr(form, "is_revert", False):
            # Nothing changed: no history row, and the version stays, so that nobody who
            # opened the page meanwhile is refused for a save that changed nothing.
            return
        keep_baseline(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.instance.pk is not None and inline_form.has_changed():
                keep_baseline(inline_form.instance)
        super().save_formset(request, form, formset, change)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=NOT_DIFFED,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history calls select_related() with no names for models without foreign
        # keys, which Django 6.1 deprecates: name them, or leave it out.
        tracked = history_manager.model.tracked_fields
        names = [field.name for field in tracked if isinstance(field, models.ForeignKey)]
        return (
            history_manager.filter(**{pk_name: object_id})
            .select_related("history_user", *names)
            .order_by("-history_date", "-history_id")
        )


def record_fieldset():
    return (_("Record"), {"fields": [*RECORD_FIELDS], "classes": ["collapse"]})


def fact_fieldsets(*fields):
    """The fieldsets of a fact's form: its own fields, its source, its dispute, its record."""
    return [
        (None, {"fields": [*fields, "slug", "draft"]}),
        (
            _("Source"),
            {
                "fields": ["article", "passage"],
                "description": _(
                    "The passage is checked against the article word for word; an existing "
                    "citation of the same passage is reused."
                ),
            },
        ),
        (
            _("Dispute or correction"),
            {
                "fields": [
                    "status",
                    ("correction", "correction_en"),
                    "correction_citation",
                    ("correction_source", "correction_source_title"),
                ],
                "description": _(
                    "The original claim and its citation stay on record: say what is wrong "
                    "and where the correction comes from."
                ),
            },
        ),
        record_fieldset(),
    ]


class ContentInlineMixin:
    form = InlineVersionLockedForm
    formfield_overrides = DATE_FIELDS
    extra = 0
    show_change_link = True


class FactInlineMixin(ContentInlineMixin):
    form = CitedFactInlineForm


class SourceInline(FactInlineMixin, GenericTabularInline):
    """Further passages stating the fact: later reports, confirmations, each verbatim."""

    model = Source
    fields = ["article", "passage", "opened_version"]
    show_change_link = False
    verbose_name_plural = _(
        "further sources (a later article, or another passage, that states the same fact)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("citation__article")


class IdentifierInline(ContentInlineMixin, admin.TabularInline):
    """What other registers call the same organisation or person."""

    model = ExternalIdentifier
    fields = ["scheme", "value", "opened_version"]
    show_change_link = False


class FactAdmin(ContentAdmin):
    """A fact's source is entered with it: article and passage, on the same form."""

    form = CitedFactForm
    list_filter = ["status", "draft"]
    inlines = [SourceInline]
    reason_required = True
    delete_selected_confirmation_template = "admin/alliance/delete_selected_confirmation_fact.html"

    def get_autocomplete_fields(self, request):
        return [*super().get_autocomplete_fields(request), "correction_citation"]

    @admin.display(description=_("cited ¶"), ordering="citation__paragraph__number")
    def cited_paragraph(self, obj):
        return f"¶{obj.citation.paragraph.number}"

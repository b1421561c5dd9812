"""Translations in the admin: which rows have a stale or missing one, and confirming them.

A text is stale when the other language's text changed after it was written
(`Translatable.track_translations`); rewriting it clears the mark, and so does an
editor who reads it and confirms it still says the same (the action below, recorded in
the row's history). The Activity page lists every stale and missing translation.
"""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from alliance.models.base import RECORD_LANGUAGE, TRANSLATION_LANGUAGES, Translatable, text_column

#: Said in the history of a row whose stale translations an editor confirmed.
CONFIRMED_REASON = "translation confirmed"


def missing_condition(model):
    """Rows where one language has a text the other lacks, in one WHERE clause."""
    condition = Q(pk__in=[])
    for field in model.translated_fields:
        columns = [text_column(field, code) for code in (RECORD_LANGUAGE, *TRANSLATION_LANGUAGES)]
        for empty in columns:
            written = [column for column in columns if column != empty]
            condition |= Q(**{empty: ""}) & ~Q(**{written[0]: ""})
    return condition


def column_label(model, column):
    return model._meta.get_field(column).verbose_name


class TranslationStateFilter(admin.SimpleListFilter):
    title = _("translations")
    parameter_name = "translations"

    def lookups(self, request, model_admin):
        return [
            ("stale", pgettext_lazy("translation state", "stale")),
            ("missing", pgettext_lazy("translation state", "missing")),
            ("up_to_date", pgettext_lazy("translation state", "up to date")),
        ]

    def queryset(self, request, queryset):
        missing = missing_condition(queryset.model)
        if self.value() == "stale":
            return queryset.exclude(stale_translations=[])
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "up_to_date":
            return queryset.filter(stale_translations=[]).exclude(missing)
        return queryset


@admin.action(description=_("Confirm the selected rows' stale translations"))
def confirm_translations(modeladmin, request, queryset):
    confirmed = 0
    for row in queryset.exclude(stale_translations=[]):
        for column in list(row.stale_translations):
            row.confirm_translation(column)
        row._change_reason = CONFIRMED_REASON
        row.save()
        confirmed += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d row's translations confirmed: no longer stale.",
            "%(count)d rows' translations confirmed: no longer stale.",
            confirmed,
        )
        % {"count": confirmed},
        messages.SUCCESS,
    )


class TranslatedAdminMixin:
    """For a Translatable model: the filter, the action, and a column saying what is stale."""

    def is_translated(self):
        return issubclass(self.model, Translatable)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return [*filters, TranslationStateFilter] if self.is_translated() else filters

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        return [*shown, "translation_state"] if self.is_translated() else shown

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if self.is_translated() and self.has_change_permission(request):
            action = self.get_action(confirm_translations, action_location)
            if action is not None:
                actions[action.name] = action
        return actions

    @admin.display(description=_("translations"))
    def translation_state(self, obj):
        return translation_state(obj) or pgettext_lazy("translation state", "up to date")


def translation_state(row):
    """`stale: summary (English); missing: rationale (English)`, or "" when up to date."""
    model = type(row)
    parts = []
    if row.stale_translations:
        columns = ", ".join(str(column_label(model, c)) for c in row.stale_translations)
        parts.append(_("stale: %(columns)s") % {"columns": columns})
    missing = row.missing_translations()
    if missing:
        columns = ", ".join(str(column_label(model, c)) for c in missing)
        parts.append(_("missing: %(columns)s") % {"columns": columns})
    return "; ".join(parts)


def translations_to_do():
    """Every row with a stale or missing translation, for the Activity page: a query per
    translated model, whatever the rows."""
    rows = []
    for model in apps.get_app_config("alliance").get_models():
        if not issubclass(model, Translatable) or model._meta.proxy:
            continue
        manager = model._base_manager
        for row in manager.filter(~Q(stale_translations=[]) | missing_condition(model)):
            try:
                url = reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk]
                )
            except NoReverseMatch:
                url = ""
            rows.append(
                {
                    "kind": model._meta.verbose_name,
                    "row": getattr(row, "slug", row.pk),
                    "state": translation_state(row),
                    "url": url,
                }
            )
    return rows

"""People and the titles they hold."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from alliance.admin.dates import PeriodFields
from alliance.admin.forms import CitedFactForm
from alliance.admin.mixins import (
    ContentAdmin,
    FactAdmin,
    IdentifierInline,
    fact_fieldsets,
    record_fieldset,
)
from alliance.models import Person, Role


@admin.register(Person)
class PersonAdmin(ContentAdmin):
    list_display = ["name", "titles"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [(None, {"fields": ["name", "slug", "wikidata_id"]}), record_fieldset()]
    inlines = [IdentifierInline]

    def get_queryset(self, request):
        roles = Role.objects.select_related("organisation")
        return super().get_queryset(request).prefetch_related(Prefetch("roles", queryset=roles))

    @admin.display(description=_("titles"))
    def titles(self, obj):
        return "; ".join(f"{role.title} ({role.organisation})" for role in obj.roles.all())


class RoleForm(PeriodFields, CitedFactForm):
    pass


@admin.register(Role)
class RoleAdmin(FactAdmin):
    form = RoleForm
    list_display = [
        "person",
        "title",
        "organisation",
        "started_on",
        "ended_on",
        "status",
        "cited_paragraph",
    ]
    list_filter = ["status", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "organisation", "citation__paragraph"]
    search_fields = ["person__name", "organisation__name", "title", "title_en"]
    autocomplete_fields = ["person", "organisation"]
    fieldsets = fact_fieldsets(
        "person", ("title", "title_en"), "organisation", "started_on", "ended_on"
    )

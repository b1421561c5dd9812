"""People and the titles they hold."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from alliance.admin.mixins import ContentAdmin, FactAdmin, fact_fieldsets, record_fieldset
from alliance.models import Person, Role


@admin.register(Person)
class PersonAdmin(ContentAdmin):
    list_display = ["name", "titles"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [(None, {"fields": ["name", "slug"]}), record_fieldset()]

    def get_queryset(self, request):
        roles = Role.objects.select_related("organisation")
        return super().get_queryset(request).prefetch_related(Prefetch("roles", queryset=roles))

    @admin.display(description=_("titles"))
    def titles(self, obj):
        return "; ".join(f"{role.title} ({role.organisation})" for role in obj.roles.all())


@admin.register(Role)
class RoleAdmin(FactAdmin):
    list_display = ["person", "title", "organisation", "status", "cited_paragraph"]
    list_filter = ["status", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "organisation", "citation__paragraph"]
    search_fields = ["person__name", "organisation__name", "title"]
    autocomplete_fields = ["person", "organisation"]
    fieldsets = fact_fieldsets("person", "title", "organisation")

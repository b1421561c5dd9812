"""Topics, the positions taken on them, and the AI systems the sources name."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from alliance.admin.mixins import ContentAdmin, FactAdmin, fact_fieldsets, record_fieldset
from alliance.models import AISystem, Position, Topic


@admin.register(Topic)
class TopicAdmin(ContentAdmin):
    list_display = ["name", "position_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": [("name", "name_en"), "slug", ("description", "description_en")]}),
        record_fieldset(),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(position_count=Count("positions"))

    @admin.display(description=_("positions"), ordering="position_count")
    def position_count(self, obj):
        return obj.position_count


@admin.register(Position)
class PositionAdmin(FactAdmin):
    list_display = [
        "holder_name",
        "leaning",
        "topic",
        "summary",
        "is_quote",
        "reported_by",
        "status",
        "cited_paragraph",
    ]
    list_filter = ["leaning", "topic", "is_quote", "status"]
    list_select_related = ["organisation", "person", "topic", "reported_by", "citation__paragraph"]
    search_fields = ["summary", "organisation__name", "person__name"]
    autocomplete_fields = ["topic", "organisation", "person", "reported_by"]
    fieldsets = fact_fieldsets(
        "topic",
        "organisation",
        "person",
        "leaning",
        ("summary", "summary_en"),
        ("rationale", "rationale_en"),
        "is_quote",
        "reported_by",
    )

    @admin.display(description=_("held by"))
    def holder_name(self, obj):
        return obj.holder


@admin.register(AISystem)
class AISystemAdmin(FactAdmin):
    list_display = ["name", "owner", "description", "status", "cited_paragraph"]
    list_filter = ["status", ("owner", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["owner", "citation__paragraph"]
    search_fields = ["name", "owner__name"]
    autocomplete_fields = ["owner"]
    fieldsets = fact_fieldsets("name", "owner", ("description", "description_en"))

"""Relations between two parties, and claims about one, each with its source."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.admin.mixins import FactAdmin, fact_fieldsets
from alliance.models import Claim, Relation


@admin.register(Relation)
class RelationAdmin(FactAdmin):
    list_display = ["subject", "kind", "object", "summary", "status", "cited_paragraph"]
    list_filter = ["kind", "status", "draft"]
    list_select_related = [
        "subject_organisation",
        "subject_person",
        "object_organisation",
        "object_person",
        "citation__paragraph",
    ]
    search_fields = ["summary", "summary_en"]
    autocomplete_fields = [
        "subject_organisation",
        "subject_person",
        "object_organisation",
        "object_person",
    ]
    fieldsets = fact_fieldsets(
        ("subject_organisation", "subject_person"),
        "kind",
        ("object_organisation", "object_person"),
        ("summary", "summary_en"),
    )

    @admin.display(description=_("from"))
    def subject(self, obj):
        return obj.subject

    @admin.display(description=_("towards"))
    def object(self, obj):
        return obj.object


@admin.register(Claim)
class ClaimAdmin(FactAdmin):
    list_display = ["about", "summary", "said_by", "is_quote", "status", "cited_paragraph"]
    list_filter = ["is_quote", "status", "draft"]
    list_select_related = [
        "about_organisation",
        "about_person",
        "said_by_organisation",
        "said_by_person",
        "citation__paragraph",
    ]
    search_fields = ["summary", "summary_en"]
    autocomplete_fields = [
        "about_organisation",
        "about_person",
        "said_by_organisation",
        "said_by_person",
    ]
    fieldsets = fact_fieldsets(
        ("about_organisation", "about_person"),
        ("summary", "summary_en"),
        ("said_by_organisation", "said_by_person"),
        "is_quote",
    )

    @admin.display(description=_("about"))
    def about(self, obj):
        return obj.about

    @admin.display(description=_("said by"))
    def said_by(self, obj):
        return obj.said_by or ""

"""Articles with their numbered paragraphs, and the citations taken from them."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from alliance.admin.forms import ParagraphForm, VersionLockedForm
from alliance.admin.mixins import ContentAdmin, ContentInlineMixin, record_fieldset
from alliance.models import Article, Citation, Paragraph


class ParagraphInline(ContentInlineMixin, admin.TabularInline):
    model = Paragraph
    form = ParagraphForm
    fields = ["number", "section", "text", "opened_version"]
    show_change_link = False


@admin.register(Article)
class ArticleAdmin(ContentAdmin):
    list_display = ["title", "published_on", "language", "paragraph_count", "citation_count"]
    list_filter = ["language"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ParagraphInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "published_on",
                    "date_precision",
                    "language",
                    "source_url",
                ]
            },
        ),
        record_fieldset(),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                paragraph_count=Count("paragraphs", distinct=True),
                citation_count=Count("citations", distinct=True),
            )
        )

    @admin.display(description=_("paragraphs"), ordering="paragraph_count")
    def paragraph_count(self, obj):
        return obj.paragraph_count

    @admin.display(description=_("citations"), ordering="citation_count")
    def citation_count(self, obj):
        return obj.citation_count


class CitationForm(VersionLockedForm):
    class Meta:
        widgets = {"passage": forms.Textarea(attrs={"rows": 3, "cols": 80})}


@admin.register(Citation)
class CitationAdmin(ContentAdmin):
    form = CitationForm
    list_display = ["passage", "article", "paragraph_number"]
    list_filter = ["article"]
    list_select_related = ["article", "paragraph"]
    search_fields = ["passage"]
    readonly_fields = ["paragraph"]
    autocomplete_fields = ["article"]
    fieldsets = [
        (None, {"fields": ["article", "passage", "paragraph", "slug"]}),
        record_fieldset(),
    ]

    @admin.display(description=_("¶"), ordering="paragraph__number")
    def paragraph_number(self, obj):
        return obj.paragraph.number

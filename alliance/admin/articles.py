"""Articles with their numbered paragraphs, and the citations taken from them."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from alliance.admin.dates import PartialDateField, PartialDatesMixin
from alliance.admin.forms import ParagraphForm, VersionLockedForm
from alliance.admin.mixins import ContentAdmin, ContentInlineMixin, record_fieldset
from alliance.models import Article, Citation, Paragraph


class ParagraphInline(ContentInlineMixin, admin.TabularInline):
    model = Paragraph
    form = ParagraphForm
    fields = ["number", "section", "text", "translation", "opened_version"]
    show_change_link = False


class ArticleForm(PartialDatesMixin, VersionLockedForm):
    published_on = PartialDateField(
        precision_field="date_precision", label=_("Published"), required=True
    )

    def clean_published_on(self):
        return self.take_partial_date("published_on")


@admin.register(Article)
class ArticleAdmin(ContentAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "published_on",
        "language",
        "outlet",
        "draft",
        "paragraph_count",
        "citation_count",
    ]
    list_filter = ["language", "draft"]
    search_fields = ["title", "title_translation"]
    autocomplete_fields = ["outlet"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ParagraphInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("title", "title_translation"),
                    "slug",
                    "published_on",
                    "language",
                    "outlet",
                    "authors",
                    "source_url",
                    "draft",
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
        (None, {"fields": ["article", ("passage", "translation"), "paragraph", "slug"]}),
        record_fieldset(),
    ]

    @admin.display(description=_("¶"), ordering="paragraph__number")
    def paragraph_number(self, obj):
        return obj.paragraph.number

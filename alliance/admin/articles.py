"""Articles with their numbered paragraphs, and the citations taken from them."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import path
from django.utils.translation import gettext_lazy as _

from alliance.admin.citing import article_review_context, cite_view
from alliance.admin.dates import PartialDateField, PartialDatesMixin
from alliance.admin.forms import ParagraphForm, VersionLockedForm
from alliance.admin.intake import PUBLISH, intake_view
from alliance.admin.mixins import ContentAdmin, ContentInlineMixin, record_fieldset
from alliance.models import (
    AISystem,
    Article,
    Citation,
    Claim,
    Membership,
    Paragraph,
    Position,
    Relation,
    Role,
)

#: The kinds of fact that cite articles and may be drafts.
FACT_MODELS = [Membership, Role, Position, AISystem, Relation, Claim]


class ParagraphInline(ContentInlineMixin, admin.TabularInline):
    model = Paragraph
    form = ParagraphForm
    fields = ["number", "section", "text", "translation", "opened_version"]
    show_change_link = False

    def get_queryset(self, request):
        # Each row is titled with its article ("Title ¶3"): one query, not one per row.
        return super().get_queryset(request).select_related("article")


class ArticleForm(PartialDatesMixin, VersionLockedForm):
    published_on = PartialDateField(
        precision_field="date_precision", label=_("Published"), required=True
    )

    #: Set by ArticleAdmin.get_form: whether the editor may publish drafts.
    can_publish = True

    def clean_published_on(self):
        return self.take_partial_date("published_on")

    def clean_draft(self):
        draft = self.cleaned_data["draft"]
        was_draft = self.instance.draft or self.instance.pk is None
        if was_draft and not draft and not self.can_publish:
            raise ValidationError(
                _("Only an editor allowed to publish can publish an article: leave it a draft."),
                code="cannot_publish",
            )
        return draft


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
    actions = ["publish"]
    change_form_template = "admin/alliance/article/change_form.html"
    change_list_template = "admin/alliance/article/change_list.html"
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

    def get_urls(self):
        return [
            path(
                "intake/",
                self.admin_site.admin_view(lambda request: intake_view(request, self)),
                name="alliance_article_intake",
            ),
            path(
                "<path:object_id>/cite/",
                self.admin_site.admin_view(
                    lambda request, object_id: cite_view(request, self, object_id)
                ),
                name="alliance_article_cite",
            ),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.can_publish = request.user.has_perm(PUBLISH)
        return form

    def get_changeform_initial_data(self, request):
        # New articles start as drafts for those who cannot publish them.
        return {
            "draft": not request.user.has_perm(PUBLISH),
            **super().get_changeform_initial_data(request),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None and request.method == "GET":
            extra_context = {**(extra_context or {}), **article_review_context(article)}
        return super().change_view(request, object_id, form_url, extra_context)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH)

    @admin.action(
        description=_("Publish the selected articles and the draft facts citing them"),
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        articles = facts = 0
        with transaction.atomic():
            for article in queryset.filter(draft=True):
                facts += publish_article(article)
                articles += 1
        messages.success(
            request,
            _("Published %(articles)s articles and %(facts)s facts citing them.")
            % {"articles": articles, "facts": facts},
        )

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


def publish_article(article):
    """Publish a draft article and the draft facts citing it, each saved with its
    history; return how many facts were published."""
    published = 0
    for model in FACT_MODELS:
        for fact in model.objects.filter(draft=True, citation__article=article):
            fact.draft = False
            fact.save()
            published += 1
    article.draft = False
    article.save()
    return published


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

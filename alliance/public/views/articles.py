"""Articles: the list, and each article with numbered paragraphs and its cited passages marked.

The article page proves every fact on the site: each marked passage is followed by a note
listing the facts it supports, each a link to where the fact is shown.
"""

from django.db.models import Count, Prefetch

from alliance.models import AISystem, Article, Citation, Membership, Position, Role
from alliance.public import structured_data
from alliance.public.filters import ArticleFilter
from alliance.public.passages import segments
from alliance.public.views.base import FilteredList, RecordDetail


class ArticleList(FilteredList):
    template_name = "public/article_list.html"
    filterset_class = ArticleFilter

    def get_queryset(self):
        return Article.objects.annotate(paragraph_count=Count("paragraphs")).order_by(
            "-published_on", "title"
        )


class ArticleDetail(RecordDetail):
    model = Article
    template_name = "public/article_detail.html"
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        citations = list(
            Citation.objects.filter(article=article)
            .select_related("paragraph")
            .prefetch_related(
                Prefetch(
                    "memberships", queryset=Membership.objects.select_related("member", "coalition")
                ),
                Prefetch("roles", queryset=Role.objects.select_related("person", "organisation")),
                Prefetch(
                    "positions",
                    queryset=Position.objects.select_related("organisation", "person", "topic"),
                ),
                Prefetch("aisystems", queryset=AISystem.objects.select_related("owner")),
                "declared_counts",
            )
        )
        by_paragraph = {}
        for citation in citations:
            by_paragraph.setdefault(citation.paragraph_id, []).append(citation)
        paragraphs = []
        number = 0
        for paragraph in article.paragraphs.all():
            cited = sorted(
                by_paragraph.get(paragraph.pk, []),
                # Notes are numbered in the order their markers appear: where passages end.
                key=lambda c, text=paragraph.text: (
                    text.find(c.passage) + len(c.passage),
                    text.find(c.passage),
                ),
            )
            for citation in cited:
                number += 1
                citation.note_number = number
            paragraphs.append(
                {
                    "paragraph": paragraph,
                    "segments": segments(paragraph.text, cited),
                    "citations": cited,
                }
            )
        sections = []
        for entry in paragraphs:
            heading = entry["paragraph"].section
            if not sections or sections[-1]["heading"] != heading:
                sections.append({"heading": heading, "paragraphs": []})
            sections[-1]["paragraphs"].append(entry)
        context.update(
            sections=sections,
            citation_count=len(citations),
            structured_data=[structured_data.article(self.request, article)],
        )
        return context

"""Articles: the list, and each article with numbered paragraphs and its cited passages marked.

The article page proves every fact on the site: each marked passage is followed by a note
listing the facts it supports (as their first source, a later one, the date of a period's
start or end, or a correction's source), each a link to where the fact is shown.
"""

from django.db.models import Count, Q

from alliance.models import AISystem, Article, Citation, Membership, Position, Role, Source
from alliance.public import structured_data
from alliance.public.filters import ArticleFilter
from alliance.public.passages import segments
from alliance.public.views.base import FilteredList, RecordDetail

#: How a passage supports a fact: the field of the fact that points to it.
STATES, CONFIRMS, DATES_START, DATES_END, CORRECTS = (
    "states",
    "confirms",
    "dates_start",
    "dates_end",
    "corrects",
)


class ArticleList(FilteredList):
    template_name = "public/article_list.html"
    filterset_class = ArticleFilter

    def get_queryset(self):
        return (
            Article.objects.public()
            .select_related("outlet")
            .annotate(paragraph_count=Count("paragraphs"))
            .order_by("-published_on", "title")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["article_count"] = Article.objects.public().count()
        return context


def facts_citing(passages):
    """Every public fact that any of `passages` (an article's citation ids) supports, in one
    query per kind of fact (and one for their further sources), whatever the number of
    facts."""
    if not passages:
        return []
    kinds = [
        (
            "membership",
            Membership.objects.select_related("member", "coalition"),
            True,
        ),
        ("role", Role.objects.select_related("person", "organisation"), True),
        ("position", Position.objects.select_related("organisation", "person", "topic"), False),
        ("ai_system", AISystem.objects.select_related("owner"), False),
    ]
    found = []
    for kind, queryset, has_period in kinds:
        model = queryset.model
        columns = ["citation", "correction_citation"]
        if has_period:
            columns += ["start_citation", "end_citation"]
        cites = Q()
        for column in columns:
            cites |= Q(**{f"{column}__in": passages})
        cited_again = Source.objects.filter(
            citation__in=passages,
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        ).values("object_id")
        # The facts citing the passages in a column of their own, united with those they
        # confirm: each half is answered from indexes, on SQLite and PostgreSQL alike.
        # One OR over both (or joins through the passages) made the database read every
        # fact of the kind, 100,000 positions for each article.
        public = model.objects.public()
        citing = public.filter(cites).values("pk")
        confirmed = public.filter(pk__in=cited_again).values("pk")
        facts = queryset.filter(pk__in=citing.union(confirmed)).with_sources()
        found += [(kind, fact) for fact in facts]
    return found


def notes_by_citation(facts):
    """{citation id: [(kind, fact, how)]}: what each passage supports, and how."""
    notes = {}
    for kind, fact in facts:
        links = [(fact.citation_id, STATES)]
        links += [(source.citation_id, CONFIRMS) for source in fact.further()]
        for field, how in (
            ("start_citation_id", DATES_START),
            ("end_citation_id", DATES_END),
            ("correction_citation_id", CORRECTS),
        ):
            if getattr(fact, field, None) is not None:
                links.append((getattr(fact, field), how))
        for citation_id, how in links:
            notes.setdefault(citation_id, []).append({"kind": kind, "fact": fact, "how": how})
    return notes


class ArticleDetail(RecordDetail):
    model = Article
    template_name = "public/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.public().select_related("outlet")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        citations = list(
            Citation.objects.filter(article=article)
            .select_related("paragraph")
            .prefetch_related("declared_counts")
        )
        notes = notes_by_citation(facts_citing([citation.pk for citation in citations]))
        by_paragraph = {}
        for citation in citations:
            citation.notes = notes.get(citation.pk, [])
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
                    # What the paragraph is drawn from besides its rows and its passages':
                    # the facts in its notes and how each passage supports them, and the
                    # notes' numbers (which count the paragraphs before it). Its key in
                    # the fragments cache (alliance.fragments).
                    "facts": [note["fact"] for c in cited for note in c.notes],
                    "notes": [
                        (c.pk, c.note_number, [(n["kind"], n["how"]) for n in c.notes])
                        for c in cited
                    ],
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

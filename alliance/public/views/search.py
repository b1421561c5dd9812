"""One search box across organisations, people and their titles, positions, AI systems,
what the sources say (relations, claims) and articles.

`search()` folds accents and case on both sides, so "dario" finds "Darío" and
"attenuer" finds the paragraphs under the heading "Atténuer les risques".
"""

from django.shortcuts import render

from alliance.models import (
    AISystem,
    Article,
    Claim,
    Organisation,
    Paragraph,
    Person,
    Position,
    Relation,
    Role,
)
from alliance.models.relations import CLAIM_PARTIES, RELATION_PARTIES
from alliance.public.caching import record_page
from alliance.public.views.base import sourced

#: Results shown per group; a group with more says so and points to the full list.
LIMIT = 20
MAX_QUERY_LENGTH = 200


def _first(queryset):
    rows = list(queryset[: LIMIT + 1])
    return {"rows": rows[:LIMIT], "more": len(rows) > LIMIT}


@record_page
def search(request):
    query = request.GET.get("q", "").strip()
    too_long = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH]
    groups = None
    if query:
        groups = {
            "organisations": _first(Organisation.objects.search(query)),
            "people": _first(Person.objects.search(query)),
            # Titles: "IBM Research" finds who directs it.
            "titles": _first(
                Role.objects.public().search(query).select_related("person", "organisation")
            ),
            "systems": _first(sourced(AISystem.objects.search(query), "owner")),
            "relations": _first(sourced(Relation.objects.search(query), *RELATION_PARTIES)),
            "claims": _first(sourced(Claim.objects.search(query), *CLAIM_PARTIES)),
            "positions": _first(
                sourced(
                    Position.objects.search(query), "topic", "organisation", "person", "reported_by"
                )
            ),
            "articles": _first(Article.objects.public().search(query)),
            "paragraphs": _first(
                Paragraph.objects.search(query)
                .filter(article__draft=False)
                .select_related("article")
            ),
        }
    total = sum(len(group["rows"]) for group in groups.values()) if groups else 0
    return render(
        request,
        "public/search.html",
        {"query": query, "groups": groups, "total": total, "too_long": too_long},
    )

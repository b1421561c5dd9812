"""One search box across organisations, people, positions and articles.

`search()` folds accents and case on both sides, so "dario" finds "Darío" and
"attenuer" finds the paragraphs under the heading "Atténuer les risques".
"""

from django.shortcuts import render

from alliance.models import Article, Organisation, Paragraph, Person, Position
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
            "positions": _first(
                sourced(Position.objects.search(query), "topic", "organisation", "person")
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

"""About this record: what its words mean and what it rests on."""

from django.shortcuts import render

from alliance.models import Article, Citation, Leaning, Membership, Position
from alliance.public.caching import record_page


@record_page
def about(request):
    articles = Article.objects.public()
    context = {
        "article_count": articles.count(),
        "citation_count": Citation.objects.filter(article__draft=False).count(),
        "membership_count": Membership.objects.standing().count(),
        "position_count": Position.objects.standing().count(),
        "leanings": Leaning,
    }
    return render(request, "public/about.html", context)

from django.shortcuts import render
from django.views.generic import DetailView, ListView

from alliance.models import Article, Coalition, Organisation, Person, Position


def home(request):
    return render(request, "public/home.html", {"organisations": Organisation.objects.all()})


class OrganisationDetail(DetailView):
    model = Organisation
    template_name = "public/organisation_detail.html"


class CoalitionDetail(DetailView):
    model = Coalition
    template_name = "public/organisation_detail.html"


class PersonDetail(DetailView):
    model = Person
    template_name = "public/person_detail.html"


class PositionList(ListView):
    model = Position
    template_name = "public/position_list.html"


class ArticleDetail(DetailView):
    model = Article
    template_name = "public/article_detail.html"

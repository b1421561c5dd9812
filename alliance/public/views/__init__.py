"""The public pages, one module per area. Each page runs a fixed number of queries."""

from alliance.public.views.about import about
from alliance.public.views.articles import ArticleDetail, ArticleList
from alliance.public.views.coalitions import CoalitionDetail, CoalitionList
from alliance.public.views.home import home
from alliance.public.views.organisations import OrganisationDetail, OrganisationList
from alliance.public.views.people import PersonDetail, PersonList
from alliance.public.views.positions import PositionList
from alliance.public.views.robots import robots_txt
from alliance.public.views.search import search
from alliance.public.views.systems import AISystemDetail, AISystemList

__all__ = [
    "AISystemDetail",
    "AISystemList",
    "ArticleDetail",
    "ArticleList",
    "CoalitionDetail",
    "CoalitionList",
    "OrganisationDetail",
    "OrganisationList",
    "PersonDetail",
    "PersonList",
    "PositionList",
    "about",
    "home",
    "robots_txt",
    "search",
]

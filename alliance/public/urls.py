"""The public, read-only pages (under /fr/ and /en/)."""

from django.urls import path

from alliance.public import views
from alliance.public.caching import record_page
from alliance.public.feeds import ArticleFeed, MembershipFeed
from alliance.public.party_feeds import CoalitionFeed, OrganisationFeed, PersonFeed

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("about/", views.about, name="about"),
    path("coalitions/", views.CoalitionList.as_view(), name="coalition-list"),
    path("coalitions/<slug:slug>/", views.CoalitionDetail.as_view(), name="coalition-detail"),
    path("organisations/", views.OrganisationList.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>/", views.OrganisationDetail.as_view(), name="organisation-detail"
    ),
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetail.as_view(), name="person-detail"),
    path("positions/", views.PositionList.as_view(), name="position-list"),
    path("ai-systems/", views.AISystemList.as_view(), name="aisystem-list"),
    path("ai-systems/<slug:slug>/", views.AISystemDetail.as_view(), name="aisystem-detail"),
    path("articles/", views.ArticleList.as_view(), name="article-list"),
    path("articles/<slug:slug>/", views.ArticleDetail.as_view(), name="article-detail"),
    path("feeds/articles/", record_page(ArticleFeed()), name="article-feed"),
    path("feeds/memberships/", record_page(MembershipFeed()), name="membership-feed"),
    path(
        "feeds/organisations/<slug:slug>/",
        record_page(OrganisationFeed()),
        name="organisation-feed",
    ),
    path("feeds/people/<slug:slug>/", record_page(PersonFeed()), name="person-feed"),
    path("feeds/coalitions/<slug:slug>/", record_page(CoalitionFeed()), name="coalition-feed"),
]

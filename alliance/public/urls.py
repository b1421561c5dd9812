from django.urls import path

from alliance.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "organisations/<slug:slug>/", views.OrganisationDetail.as_view(), name="organisation-detail"
    ),
    path("coalitions/<slug:slug>/", views.CoalitionDetail.as_view(), name="coalition-detail"),
    path("people/<slug:slug>/", views.PersonDetail.as_view(), name="person-detail"),
    path("positions/", views.PositionList.as_view(), name="position-list"),
    path("articles/<slug:slug>/", views.ArticleDetail.as_view(), name="article-detail"),
]

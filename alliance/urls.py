from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("alliance.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *i18n_patterns(path("", include("alliance.public.urls"))),
]

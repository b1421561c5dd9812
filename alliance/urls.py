from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from alliance.public.sitemaps import sitemap
from alliance.public.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("alliance.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    *i18n_patterns(path("", include("alliance.public.urls"))),
]

# A database that cannot be reached answers 503 with Retry-After, not 500.
handler500 = "alliance.ops.server_error"

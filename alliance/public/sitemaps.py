"""sitemap.xml: every public page, in both languages, with its alternates.

`x-default` names the default language's address (`/fr/…`), as the pages' own hreflang
links do; Django's would name the bare address, which only redirects there. The sitemap
answers conditional requests like every page (the record's version).
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.urls import reverse

from alliance.models import AISystem, Article, Coalition, Organisation, OrganisationKind, Person
from alliance.public.caching import record_page


class DefaultLanguageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            by_language = {alt["lang_code"]: alt["location"] for alt in url["alternates"]}
            for alternate in url["alternates"]:
                if alternate["lang_code"] == "x-default":
                    alternate["location"] = by_language[settings.LANGUAGE_CODE]
        return urls


class RecordSitemap(DefaultLanguageSitemap):
    def lastmod(self, item):
        return item.updated_at


class PageSitemap(DefaultLanguageSitemap):
    names = (
        "public:home",
        "public:coalition-list",
        "public:organisation-list",
        "public:person-list",
        "public:position-list",
        "public:aisystem-list",
        "public:about",
        "public:article-list",
    )

    def items(self):
        return list(self.names)

    def location(self, item):
        return reverse(item)


class CoalitionSitemap(RecordSitemap):
    def items(self):
        return Coalition.objects.order_by("slug")


class OrganisationSitemap(RecordSitemap):
    def items(self):
        return Organisation.objects.exclude(kind=OrganisationKind.COALITION).order_by("slug")


class PersonSitemap(RecordSitemap):
    def items(self):
        return Person.objects.order_by("slug")


class AISystemSitemap(RecordSitemap):
    def items(self):
        return AISystem.objects.public().order_by("slug")


class ArticleSitemap(RecordSitemap):
    def items(self):
        return Article.objects.order_by("slug")


SITEMAPS = {
    "pages": PageSitemap,
    "coalitions": CoalitionSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "ai-systems": AISystemSitemap,
    "articles": ArticleSitemap,
}


def sitemap(request, **kwargs):
    return django_sitemap(request, sitemaps=SITEMAPS, **kwargs)


sitemap = record_page(sitemap)

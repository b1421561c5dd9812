"""sitemap.xml: every public page, in both languages, with its alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from alliance.models import Article, Coalition, Organisation, OrganisationKind, Person


class RecordSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    names = (
        "public:home",
        "public:coalition-list",
        "public:organisation-list",
        "public:person-list",
        "public:position-list",
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


class ArticleSitemap(RecordSitemap):
    def items(self):
        return Article.objects.order_by("slug")


SITEMAPS = {
    "pages": PageSitemap,
    "coalitions": CoalitionSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "articles": ArticleSitemap,
}

"""URLs under /api/: version 1 of the resources, the schema, the docs."""

from django.urls import include, path, re_path
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from alliance.api import viewsets
from alliance.api.conditional import ConditionalMixin

app_name = "api"


class Router(routers.DefaultRouter):
    APIRootView = viewsets.APIRootView
    include_format_suffixes = False


router = Router()
router.register("organisations", viewsets.OrganisationViewSet, basename="organisation")
router.register("coalitions", viewsets.CoalitionViewSet, basename="coalition")
router.register("people", viewsets.PersonViewSet, basename="person")
router.register("memberships", viewsets.MembershipViewSet, basename="membership")
router.register("positions", viewsets.PositionViewSet, basename="position")
router.register("articles", viewsets.ArticleViewSet, basename="article")
router.register("ai-systems", viewsets.AISystemViewSet, basename="ai-system")
router.register("citations", viewsets.CitationViewSet, basename="citation")


class SchemaView(ConditionalMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; `?format=json` for JSON), in English unless `?lang=`."""

    authentication_classes = ()
    etag_from_record = True

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        with translation.override(request.GET.get("lang") or "en"):
            return super().get(request, *args, **kwargs)


class DocsView(ConditionalMixin, SpectacularSwaggerSplitView):
    """Swagger UI, from our own static files; its script is a separate file (strict CSP)."""

    authentication_classes = ()
    url_name = "api:schema"


class NotFoundView(ConditionalMixin, APIView):
    """Any other URL under /api/: a JSON 404, like the rest of the API."""

    authentication_classes = ()
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    # Only URLs ending in a slash, so that CommonMiddleware can still append a missing one.
    re_path(r"^.*/$", NotFoundView.as_view(), name="not-found"),
]

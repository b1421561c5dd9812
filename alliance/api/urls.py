"""URLs under /api/: version 1 of the resources, the schema, the docs."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from alliance.api import reconcile, viewsets
from alliance.api.changes import ChangeListView
from alliance.api.conditional import ConditionalMixin
from alliance.api.exports import ExportFileView, ExportListView
from alliance.api.schema import served_schema

app_name = "api"


class Router(routers.DefaultRouter):
    APIRootView = viewsets.APIRootView
    include_format_suffixes = False


router = Router()
router.register("organisations", viewsets.OrganisationViewSet, basename="organisation")
router.register("coalitions", viewsets.CoalitionViewSet, basename="coalition")
router.register("people", viewsets.PersonViewSet, basename="person")
router.register("memberships", viewsets.MembershipViewSet, basename="membership")
router.register("roles", viewsets.RoleViewSet, basename="role")
router.register("positions", viewsets.PositionViewSet, basename="position")
router.register("articles", viewsets.ArticleViewSet, basename="article")
router.register("ai-systems", viewsets.AISystemViewSet, basename="ai-system")
router.register("citations", viewsets.CitationViewSet, basename="citation")
router.register("relations", viewsets.RelationViewSet, basename="relation")
router.register("claims", viewsets.ClaimViewSet, basename="claim")


class SchemaView(ConditionalMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; `?format=json` for JSON), in English unless `?lang=fr`.

    Made once per process and language and format (it takes about a second), then
    served from memory; any other parameter answers 400, so none can skip that.
    """

    authentication_classes = ()
    etag_from_record = True
    language_from_query = False
    PARAMETERS = ("format", "lang")

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        errors = {
            name: [str(_("Unknown query parameter."))]
            for name in request.query_params
            if name not in self.PARAMETERS
        }
        errors.update(
            {
                name: [str(_("Give this parameter once."))]
                for name in self.PARAMETERS
                if len(request.query_params.getlist(name)) > 1
            }
        )
        language = request.query_params.get("lang") or "en"
        if language not in dict(settings.LANGUAGES):
            errors["lang"] = [str(_("Unknown language."))]
        if errors:
            # In JSON, like every other refusal of the API (the schema's formats are not).
            return JsonResponse(errors, status=400)
        renderer = request.accepted_renderer
        content_type = renderer.media_type
        if renderer.charset:
            content_type += f"; charset={renderer.charset}"
        response = HttpResponse(served_schema(language, type(renderer)), content_type=content_type)
        response["Content-Language"] = language
        return response


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
    path("v1/changes/", ChangeListView.as_view(), name="change-list"),
    path("v1/exports/", ExportListView.as_view(), name="export-list"),
    path("v1/exports/<str:name>", ExportFileView.as_view(), name="export-file"),
    path("v1/", include(router.urls)),
    path("reconcile/", reconcile.ReconcileView.as_view(), name="reconcile"),
    path(
        "reconcile/suggest/entity/",
        reconcile.SuggestEntityView.as_view(),
        name="reconcile-suggest-entity",
    ),
    path(
        "reconcile/suggest/type/",
        reconcile.SuggestTypeView.as_view(),
        name="reconcile-suggest-type",
    ),
    path("reconcile/preview/", reconcile.PreviewView.as_view(), name="reconcile-preview"),
    path("reconcile/view/", reconcile.EntityView.as_view(), name="reconcile-view"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    # Only URLs ending in a slash, so that CommonMiddleware can still append a missing one.
    re_path(r"^.*/$", NotFoundView.as_view(), name="not-found"),
]

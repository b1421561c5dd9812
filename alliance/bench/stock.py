"""The stock baseline: a plain Django ListView and DetailView and a plain DRF ListAPIView
over the same organisations, written as the tutorials write them.

What the site's pages do beyond them (sources, filters, dates, the layout, the page
cache's bookkeeping) is what the report's "x stock" column prices.
"""

from django.urls import path
from django.views.generic import DetailView, ListView
from rest_framework import generics, pagination, permissions, renderers, serializers

from alliance.models import Organisation


class OrganisationList(ListView):
    queryset = Organisation.objects.exclude(kind="coalition").order_by("name", "slug")
    paginate_by = 25
    template_name = "bench/organisation_list.html"


class OrganisationDetail(DetailView):
    queryset = Organisation.objects.all()
    template_name = "bench/organisation_detail.html"


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "country", "description"]


class Pages(pagination.PageNumberPagination):
    page_size = 50


class OrganisationListAPI(generics.ListAPIView):
    queryset = Organisation.objects.exclude(kind="coalition").order_by("name", "slug")
    serializer_class = OrganisationSerializer
    pagination_class = Pages
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = []
    renderer_classes = [renderers.JSONRenderer]
    filter_backends = []


urlpatterns = [
    path("organisations/", OrganisationList.as_view(), name="stock-list"),
    path("organisations/<slug:slug>/", OrganisationDetail.as_view(), name="stock-detail"),
    path("api/organisations/", OrganisationListAPI.as_view(), name="stock-api-list"),
]

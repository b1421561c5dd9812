"""Links: the API URL and the public page of a record, absolute, public pages in French."""

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

#: Public pages are French first, like the source article.
PUBLIC_LANGUAGE = "fr"


def public_url(request, obj):
    with translation.override(PUBLIC_LANGUAGE):
        return request.build_absolute_uri(obj.get_absolute_url())


def api_url(request, view_name, slug):
    return reverse(view_name, kwargs={"slug": slug}, request=request)


class PublicURLField(serializers.Field):
    """The absolute URL of the object's public page (French)."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return public_url(self.context["request"], value)


extend_schema_field(OpenApiTypes.URI)(PublicURLField)


def identity(view_name):
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{view_name}-detail", lookup_field="slug"
    )

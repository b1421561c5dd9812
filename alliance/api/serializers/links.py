"""Links: the API URL and the public page of a record, absolute, the page in the answer's
language (French unless English was asked)."""

from django.conf import settings
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.addresses import absolute_url, slug_url

#: Public pages are French first, like the source article.
PUBLIC_LANGUAGE = "fr"


def public_url(request, obj):
    """The page a reader of the answer's language reads: /en/… for an English answer."""
    language = translation.get_language() or PUBLIC_LANGUAGE
    if language not in dict(settings.LANGUAGES):
        language = PUBLIC_LANGUAGE
    with translation.override(language):
        return absolute_url(request, obj.get_absolute_url())


def api_url(request, view_name, slug):
    return absolute_url(request, slug_url(view_name, slug))


class PublicURLField(serializers.Field):
    """The absolute URL of the object's public page, in the answer's language."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return public_url(self.context["request"], value)


extend_schema_field(OpenApiTypes.URI)(PublicURLField)


class APIURLField(serializers.Field):
    """The absolute URL of the object in the API: its detail, by slug."""

    def __init__(self, view_name, **kwargs):
        self.view_name = view_name
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return api_url(self.context["request"], self.view_name, value.slug)


extend_schema_field(OpenApiTypes.URI)(APIURLField)


def identity(view_name):
    return APIURLField(f"api:{view_name}-detail")

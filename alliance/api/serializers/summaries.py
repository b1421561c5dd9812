"""Records in a few words, as other records name them; and citations, in full."""

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.addresses import absolute_url
from alliance.api.serializers.dates import PartialDateField
from alliance.api.serializers.links import PUBLIC_LANGUAGE, PublicURLField, api_url, identity
from alliance.api.serializers.localised import LocalisedSerializer, gloss, gloss_field
from alliance.models import (
    Article,
    Citation,
    Coalition,
    Organisation,
    OrganisationKind,
    Person,
)


class OrganisationSummarySerializer(LocalisedSerializer):
    """An organisation in a few words; a coalition's `url` points to /coalitions/."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        view = "coalition" if obj.kind == OrganisationKind.COALITION else "organisation"
        return api_url(self.context["request"], f"api:{view}-detail", obj.slug)


class CoalitionSummarySerializer(LocalisedSerializer):
    url = identity("coalition")

    class Meta:
        model = Coalition
        fields = ["slug", "name", "url"]


class PersonSummarySerializer(serializers.ModelSerializer):
    url = identity("person")

    class Meta:
        model = Person
        fields = ["slug", "name", "url"]


class ArticleSummarySerializer(serializers.ModelSerializer):
    url = identity("article")
    public_url = PublicURLField()
    published_on = PartialDateField("published_on", "date_precision")
    title_translation = gloss_field()

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "title_translation",
            "published_on",
            "date_precision",
            "language",
            "url",
            "public_url",
        ]

    def get_title_translation(self, obj) -> str | None:
        return gloss(obj.title_translation, obj.language)


#: Characters of context on each side of a quoted passage (W3C Web Annotation).
QUOTE_CONTEXT = 32


class AnnotationTargetSerializer(serializers.Serializer):
    source = serializers.URLField(help_text="The article's public page.")
    selector = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            "W3C Web Annotation selectors, each enough on its own: the passage with the "
            "words around it (TextQuoteSelector), and the paragraph it is in "
            "(FragmentSelector, refined by the same quote)."
        ),
    )


class CitationSerializer(serializers.ModelSerializer):
    """A passage quoted word for word, with the paragraph (and its anchor) it comes from."""

    url = identity("citation")
    public_url = serializers.SerializerMethodField(
        help_text="The paragraph on the public article page (#pN)."
    )
    article = ArticleSummarySerializer(read_only=True)
    paragraph = serializers.IntegerField(source="paragraph.number", read_only=True)
    target = serializers.SerializerMethodField(
        help_text="Where the passage is, in the W3C Web Annotation model: portable to any copy."
    )
    translation = gloss_field()

    class Meta:
        model = Citation
        fields = [
            "slug",
            "url",
            "public_url",
            "article",
            "paragraph",
            "passage",
            "translation",
            "target",
        ]

    def get_translation(self, obj) -> str | None:
        return gloss(obj.translation, obj.article.language)

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, obj):
        with translation.override(PUBLIC_LANGUAGE):
            path = f"{obj.article.get_absolute_url()}#{obj.paragraph.anchor}"
        return absolute_url(self.context["request"], path)

    @extend_schema_field(AnnotationTargetSerializer)
    def get_target(self, obj):
        text, passage = obj.paragraph.text, obj.passage
        start = max(text.find(passage), 0)
        end = start + len(passage)
        quote = {
            "type": "TextQuoteSelector",
            "exact": passage,
            "prefix": text[max(start - QUOTE_CONTEXT, 0) : start],
            "suffix": text[end : end + QUOTE_CONTEXT],
        }
        with translation.override(PUBLIC_LANGUAGE):
            page = obj.article.get_absolute_url()
        return {
            "source": absolute_url(self.context["request"], page),
            "selector": [
                quote,
                {
                    "type": "FragmentSelector",
                    "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
                    "value": obj.paragraph.anchor,
                    "refinedBy": quote,
                },
            ],
        }

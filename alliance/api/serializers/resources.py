"""The resources: what /api/v1/ lists and shows."""

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.addresses import absolute_url
from alliance.api.serializers.dates import PartialDateField
from alliance.api.serializers.facts import (
    AISystemSummarySerializer,
    MemberSerializer,
    PlaceSerializer,
    PositionSerializer,
    RoleAtSerializer,
    RoleHolderSerializer,
)
from alliance.api.serializers.identifiers import IdentifiersField
from alliance.api.serializers.links import PUBLIC_LANGUAGE, PublicURLField, api_url, identity
from alliance.api.serializers.summaries import CitationSerializer
from alliance.models import (
    Article,
    Coalition,
    Organisation,
    Paragraph,
    Person,
)


class OrganisationListSerializer(serializers.ModelSerializer):
    """An organisation in a list: its own fields; its detail adds the facts about it."""

    url = identity("organisation")
    public_url = PublicURLField()
    aliases = serializers.ListField(source="alias_list", child=serializers.CharField())

    class Meta:
        model = Organisation
        fields = [
            "url",
            "public_url",
            "slug",
            "name",
            "full_name",
            "aliases",
            "kind",
            "country",
            "description",
            "wikidata_id",
            "updated_at",
        ]


class OrganisationSerializer(OrganisationListSerializer):
    places = PlaceSerializer(
        source="coalition_memberships",
        many=True,
        read_only=True,
        help_text="Its places in coalitions, absences included, each with its citation.",
    )
    roles = RoleHolderSerializer(many=True, read_only=True)
    positions = PositionSerializer(many=True, read_only=True)
    ai_systems = AISystemSummarySerializer(many=True, read_only=True)
    identifiers = IdentifiersField(help_text="Its identifiers in other registers, Wikidata first.")

    class Meta(OrganisationListSerializer.Meta):
        fields = [
            *OrganisationListSerializer.Meta.fields[:-1],
            "identifiers",
            "places",
            "roles",
            "positions",
            "ai_systems",
            "updated_at",
        ]


class DeclaredCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="declared_member_count")
    qualifier = serializers.CharField(source="declared_member_count_qualifier")
    citation = CitationSerializer(source="declared_member_count_citation", allow_null=True)


class CoalitionListSerializer(serializers.ModelSerializer):
    """A coalition in a list: its size, declared and on record; its detail adds who."""

    url = identity("coalition")
    public_url = PublicURLField()
    declared_member_count = serializers.SerializerMethodField(
        help_text="The size the sources declare (“more than 50”), not the members on record."
    )
    members_on_record = serializers.IntegerField(read_only=True)
    absentees_on_record = serializers.IntegerField(read_only=True)

    class Meta:
        model = Coalition
        fields = [
            "url",
            "public_url",
            "slug",
            "name",
            "full_name",
            "description",
            "declared_member_count",
            "members_on_record",
            "absentees_on_record",
            "updated_at",
        ]

    @extend_schema_field(DeclaredCountSerializer(allow_null=True))
    def get_declared_member_count(self, obj):
        if obj.declared_member_count is None:
            return None
        return DeclaredCountSerializer(obj, context=self.context).data


class CoalitionSerializer(CoalitionListSerializer):
    members = MemberSerializer(many=True, read_only=True, source="present_memberships")
    absentees = MemberSerializer(many=True, read_only=True, source="absent_memberships")

    class Meta(CoalitionListSerializer.Meta):
        fields = [*CoalitionListSerializer.Meta.fields[:-1], "members", "absentees", "updated_at"]


class PersonListSerializer(serializers.ModelSerializer):
    """A person in a list: the name; the detail adds titles and positions."""

    url = identity("person")
    public_url = PublicURLField()

    class Meta:
        model = Person
        fields = ["url", "public_url", "slug", "name", "wikidata_id", "updated_at"]


class PersonSerializer(PersonListSerializer):
    identifiers = IdentifiersField(
        help_text="Their identifiers in other registers, Wikidata first."
    )
    roles = RoleAtSerializer(many=True, read_only=True)
    positions = PositionSerializer(many=True, read_only=True)

    class Meta(PersonListSerializer.Meta):
        fields = [
            *PersonListSerializer.Meta.fields[:-1],
            "identifiers",
            "roles",
            "positions",
            "updated_at",
        ]


class ParagraphSerializer(serializers.ModelSerializer):
    public_url = serializers.SerializerMethodField(help_text="The paragraph's anchor (#pN).")

    class Meta:
        model = Paragraph
        fields = ["number", "section", "text", "public_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, obj):
        article = self.context["article"]  # set by ArticleSerializer: no query per paragraph
        with translation.override(PUBLIC_LANGUAGE):
            path = f"{article.get_absolute_url()}#{obj.anchor}"
        return absolute_url(self.context["request"], path)


class ArticleListSerializer(serializers.ModelSerializer):
    """An article in a list: what it is; its detail adds its paragraphs."""

    url = identity("article")
    public_url = PublicURLField()
    published_on = PartialDateField("published_on", "date_precision")

    class Meta:
        model = Article
        fields = [
            "url",
            "public_url",
            "slug",
            "title",
            "published_on",
            "date_precision",
            "language",
            "source_url",
            "updated_at",
        ]


class ArticleSerializer(ArticleListSerializer):
    paragraphs = serializers.SerializerMethodField()

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields[:-1], "paragraphs", "updated_at"]

    @extend_schema_field(ParagraphSerializer(many=True))
    def get_paragraphs(self, obj):
        context = {**self.context, "article": obj}
        return ParagraphSerializer(obj.paragraphs.all(), many=True, context=context).data


class SupportedFactSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["membership", "role", "position", "ai_system"])
    slug = serializers.SlugField()
    url = serializers.URLField(help_text="The fact in the API (a role: its person).")


class CitationDetailSerializer(CitationSerializer):
    """A citation, with the facts it supports."""

    supports = serializers.SerializerMethodField()

    class Meta(CitationSerializer.Meta):
        fields = [*CitationSerializer.Meta.fields, "supports", "updated_at"]

    @extend_schema_field(SupportedFactSerializer(many=True))
    def get_supports(self, obj):
        request = self.context["request"]
        facts = [
            ("membership", m.slug, api_url(request, "api:membership-detail", m.slug))
            for m in obj.memberships.all()
        ]
        facts += [
            ("role", r.slug, api_url(request, "api:person-detail", r.person.slug))
            for r in obj.roles.all()
        ]
        facts += [
            ("position", p.slug, api_url(request, "api:position-detail", p.slug))
            for p in obj.positions.all()
        ]
        facts += [
            ("ai_system", s.slug, api_url(request, "api:ai-system-detail", s.slug))
            for s in obj.aisystems.all()
        ]
        return [{"type": kind, "slug": slug, "url": url} for kind, slug, url in facts]

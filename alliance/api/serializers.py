"""How each record reads in JSON: its API URL, its public page, and its sources.

Relations are small summaries ({slug, name, url}), never bare ids. Every fact
(membership, absence, role, position, AI system) carries its citation: the article,
the paragraph number, the passage word for word, and a link to that paragraph.
"""

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from alliance.models import (
    AISystem,
    Article,
    Citation,
    Coalition,
    Membership,
    Organisation,
    OrganisationKind,
    Paragraph,
    Person,
    Position,
    Role,
)

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


# Summaries ----------------------------------------------------------------------------


class OrganisationSummarySerializer(serializers.ModelSerializer):
    """An organisation in a few words; a coalition's `url` points to /coalitions/."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        view = "coalition" if obj.kind == OrganisationKind.COALITION else "organisation"
        return api_url(self.context["request"], f"api:{view}-detail", obj.slug)


class CoalitionSummarySerializer(serializers.ModelSerializer):
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

    class Meta:
        model = Article
        fields = ["slug", "title", "published_on", "language", "url", "public_url"]


class CitationSerializer(serializers.ModelSerializer):
    """A passage quoted word for word, with the paragraph (and its anchor) it comes from."""

    url = identity("citation")
    public_url = serializers.SerializerMethodField(
        help_text="The paragraph on the public article page (#pN)."
    )
    article = ArticleSummarySerializer(read_only=True)
    paragraph = serializers.IntegerField(source="paragraph.number", read_only=True)

    class Meta:
        model = Citation
        fields = ["slug", "url", "public_url", "article", "paragraph", "passage"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, obj):
        with translation.override(PUBLIC_LANGUAGE):
            path = f"{obj.article.get_absolute_url()}#{obj.paragraph.anchor}"
        return self.context["request"].build_absolute_uri(path)


class FactSerializer(serializers.ModelSerializer):
    """What every fact shows: where it comes from, and whether it still stands."""

    citation = CitationSerializer(read_only=True)

    class Meta:
        fields = ["status", "correction", "correction_source", "citation"]


# Facts ----------------------------------------------------------------------------------


class MembershipSerializer(FactSerializer):
    url = identity("membership")
    public_url = PublicURLField()
    organisation = OrganisationSummarySerializer(source="member", read_only=True)
    coalition = CoalitionSummarySerializer(read_only=True)
    is_absence = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "url",
            "public_url",
            "slug",
            "organisation",
            "coalition",
            "role",
            "is_absence",
            "joined_on",
            *FactSerializer.Meta.fields,
        ]


class PlaceSerializer(FactSerializer):
    """A membership seen from its organisation: the coalition and the place in it."""

    url = identity("membership")
    coalition = CoalitionSummarySerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["url", "slug", "coalition", "role", "joined_on", *FactSerializer.Meta.fields]


class MemberSerializer(FactSerializer):
    """A membership seen from its coalition: the organisation and its place."""

    url = identity("membership")
    organisation = OrganisationSummarySerializer(source="member", read_only=True)

    class Meta:
        model = Membership
        fields = ["url", "slug", "organisation", "role", "joined_on", *FactSerializer.Meta.fields]


class RoleAtSerializer(FactSerializer):
    """A title held, seen from the person: where."""

    organisation = OrganisationSummarySerializer(read_only=True)

    class Meta:
        model = Role
        fields = ["slug", "organisation", "title", *FactSerializer.Meta.fields]


class RoleHolderSerializer(FactSerializer):
    """A title held, seen from the organisation: by whom."""

    person = PersonSummarySerializer(read_only=True)

    class Meta:
        model = Role
        fields = ["slug", "person", "title", *FactSerializer.Meta.fields]


class HolderSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["organisation", "person"])
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.URLField()


class PositionSerializer(FactSerializer):
    url = identity("position")
    public_url = PublicURLField()
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    holder = serializers.SerializerMethodField()
    reported_by = OrganisationSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Position
        fields = [
            "url",
            "public_url",
            "slug",
            "topic",
            "holder",
            "leaning",
            "summary",
            "is_quote",
            "reported_by",
            *FactSerializer.Meta.fields,
        ]

    @extend_schema_field(HolderSerializer)
    def get_holder(self, obj):
        request = self.context["request"]
        if obj.organisation_id:
            summary = OrganisationSummarySerializer(obj.organisation, context=self.context).data
            return {"type": "organisation", **summary}
        return {
            "type": "person",
            "slug": obj.person.slug,
            "name": obj.person.name,
            "url": api_url(request, "api:person-detail", obj.person.slug),
        }


class AISystemSerializer(FactSerializer):
    url = identity("ai-system")
    public_url = PublicURLField()
    owner = OrganisationSummarySerializer(read_only=True)

    class Meta:
        model = AISystem
        fields = [
            "url",
            "public_url",
            "slug",
            "name",
            "description",
            "owner",
            *FactSerializer.Meta.fields,
        ]


class AISystemSummarySerializer(serializers.ModelSerializer):
    url = identity("ai-system")

    class Meta:
        model = AISystem
        fields = ["slug", "name", "url"]


# Resources ------------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    url = identity("organisation")
    public_url = PublicURLField()
    aliases = serializers.ListField(source="alias_list", child=serializers.CharField())
    places = PlaceSerializer(
        source="coalition_memberships",
        many=True,
        read_only=True,
        help_text="Its places in coalitions, absences included, each with its citation.",
    )
    roles = RoleHolderSerializer(many=True, read_only=True)
    positions = PositionSerializer(many=True, read_only=True)
    ai_systems = AISystemSummarySerializer(many=True, read_only=True)

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


class CoalitionSerializer(serializers.ModelSerializer):
    url = identity("coalition")
    public_url = PublicURLField()
    declared_member_count = serializers.SerializerMethodField(
        help_text="The size the sources declare (“more than 50”), not the members on record."
    )
    members_on_record = serializers.IntegerField(read_only=True)
    absentees_on_record = serializers.IntegerField(read_only=True)
    members = MemberSerializer(many=True, read_only=True, source="present_memberships")
    absentees = MemberSerializer(many=True, read_only=True, source="absent_memberships")

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
            "members",
            "absentees",
            "updated_at",
        ]

    @extend_schema_field(DeclaredCountSerializer(allow_null=True))
    def get_declared_member_count(self, obj):
        if obj.declared_member_count is None:
            return None
        return DeclaredCountSerializer(obj, context=self.context).data


class PersonSerializer(serializers.ModelSerializer):
    url = identity("person")
    public_url = PublicURLField()
    roles = RoleAtSerializer(many=True, read_only=True)
    positions = PositionSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["url", "public_url", "slug", "name", "roles", "positions", "updated_at"]


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
        return self.context["request"].build_absolute_uri(path)


class ArticleSerializer(serializers.ModelSerializer):
    url = identity("article")
    public_url = PublicURLField()
    paragraphs = serializers.SerializerMethodField()

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
            "paragraphs",
            "updated_at",
        ]

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

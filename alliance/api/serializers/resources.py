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
from alliance.api.serializers.localised import (
    LocalisedSerializer,
    fallback_fields_field,
    gloss,
    gloss_field,
)
from alliance.api.serializers.summaries import CitationSerializer, OrganisationSummarySerializer
from alliance.asof import sort_memberships, sort_roles, today
from alliance.models import (
    Article,
    Coalition,
    Organisation,
    Paragraph,
    Person,
)


class OrganisationListSerializer(LocalisedSerializer):
    """An organisation in a list: its own fields; its detail adds the facts about it."""

    url = identity("organisation")
    public_url = PublicURLField()
    aliases = serializers.ListField(source="alias_list", child=serializers.CharField())
    fallback_fields = fallback_fields_field()

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
            "fallback_fields",
            "updated_at",
        ]


class OnDayMixin:
    """Facts of a detail sorted by the day asked (`as_of`, or today), once per record."""

    def day(self):
        return self.context.get("day") or today()

    def places_of(self, obj):
        if not hasattr(obj, "_places"):
            obj._places = sort_memberships(obj.public_memberships, self.day())
        return obj._places

    def titles_of(self, obj):
        if not hasattr(obj, "_titles"):
            obj._titles = sort_roles(obj.public_roles, self.day())
        return obj._titles

    def many(self, serializer_class, rows):
        return serializer_class(rows, many=True, context=self.context).data


class OrganisationSerializer(OnDayMixin, OrganisationListSerializer):
    places = serializers.SerializerMethodField(
        help_text=(
            "Its places in coalitions on the day asked (`as_of`, or today): memberships that "
            "count that day, and its notable absences; each with its sources."
        )
    )
    former_places = serializers.SerializerMethodField(
        help_text="Memberships that had ended by that day."
    )
    corrected_places = serializers.SerializerMethodField(
        help_text=(
            "Places a source reported that were corrected or whose sources were retracted: "
            "shown with the correction, never counted."
        )
    )
    roles = serializers.SerializerMethodField(
        help_text="The titles people hold there on the day asked (`as_of`, or today)."
    )
    former_roles = serializers.SerializerMethodField(help_text="Titles given up by that day.")
    corrected_roles = serializers.SerializerMethodField(
        help_text="Titles a source reported that were corrected or retracted: never counted."
    )
    positions = serializers.SerializerMethodField(
        help_text="Its stances that count (as reported or disputed)."
    )
    corrected_positions = serializers.SerializerMethodField(
        help_text="Its stances a source reported that were corrected or retracted."
    )
    ai_systems = AISystemSummarySerializer(
        many=True, read_only=True, source="standing_systems", help_text="Its AI systems."
    )
    identifiers = IdentifiersField(help_text="Its identifiers in other registers, Wikidata first.")

    class Meta(OrganisationListSerializer.Meta):
        fields = [
            *OrganisationListSerializer.Meta.fields[:-1],
            "identifiers",
            "places",
            "former_places",
            "corrected_places",
            "roles",
            "former_roles",
            "corrected_roles",
            "positions",
            "corrected_positions",
            "ai_systems",
            "updated_at",
        ]

    @extend_schema_field(PlaceSerializer(many=True))
    def get_places(self, obj):
        places = self.places_of(obj)
        return self.many(PlaceSerializer, [*places.current, *places.absent])

    @extend_schema_field(PlaceSerializer(many=True))
    def get_former_places(self, obj):
        return self.many(PlaceSerializer, self.places_of(obj).former)

    @extend_schema_field(PlaceSerializer(many=True))
    def get_corrected_places(self, obj):
        return self.many(PlaceSerializer, self.places_of(obj).corrected)

    @extend_schema_field(RoleHolderSerializer(many=True))
    def get_roles(self, obj):
        return self.many(RoleHolderSerializer, self.titles_of(obj).current)

    @extend_schema_field(RoleHolderSerializer(many=True))
    def get_former_roles(self, obj):
        return self.many(RoleHolderSerializer, self.titles_of(obj).former)

    @extend_schema_field(RoleHolderSerializer(many=True))
    def get_corrected_roles(self, obj):
        return self.many(RoleHolderSerializer, self.titles_of(obj).corrected)

    @extend_schema_field(PositionSerializer(many=True))
    def get_positions(self, obj):
        return self.many(PositionSerializer, [p for p in obj.public_positions if p.counts])

    @extend_schema_field(PositionSerializer(many=True))
    def get_corrected_positions(self, obj):
        return self.many(PositionSerializer, [p for p in obj.public_positions if not p.counts])


class DeclaredCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="declared_member_count")
    qualifier = serializers.CharField(source="declared_member_count_qualifier")
    citation = CitationSerializer(source="declared_member_count_citation", allow_null=True)


class CoalitionListSerializer(LocalisedSerializer):
    """A coalition in a list: its size, declared and on record; its detail adds who."""

    url = identity("coalition")
    public_url = PublicURLField()
    declared_member_count = serializers.SerializerMethodField(
        help_text="The size the sources declare (“more than 50”), not the members on record."
    )
    members_on_record = serializers.IntegerField(read_only=True)
    absentees_on_record = serializers.IntegerField(read_only=True)
    fallback_fields = fallback_fields_field()

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
            "fallback_fields",
            "updated_at",
        ]

    @extend_schema_field(DeclaredCountSerializer(allow_null=True))
    def get_declared_member_count(self, obj):
        if obj.declared_member_count is None:
            return None
        return DeclaredCountSerializer(obj, context=self.context).data


class CoalitionSerializer(OnDayMixin, CoalitionListSerializer):
    members = serializers.SerializerMethodField(
        help_text=(
            "Founders, key contributors and members that count on the day asked (`as_of`, "
            "or today), each with its sources; disputed ones are flagged by `status`."
        )
    )
    former_members = serializers.SerializerMethodField(
        help_text="Members whose membership had ended by that day."
    )
    absentees = serializers.SerializerMethodField(
        help_text="Organisations the sources name as notably absent."
    )
    corrected_members = serializers.SerializerMethodField(
        help_text=(
            "Places a source reported that were corrected or whose sources were retracted: "
            "shown with the correction, never counted."
        )
    )

    class Meta(CoalitionListSerializer.Meta):
        fields = [
            *CoalitionListSerializer.Meta.fields[:-1],
            "members",
            "former_members",
            "absentees",
            "corrected_members",
            "updated_at",
        ]

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, obj):
        return self.many(MemberSerializer, self.places_of(obj).current)

    @extend_schema_field(MemberSerializer(many=True))
    def get_former_members(self, obj):
        return self.many(MemberSerializer, self.places_of(obj).former)

    @extend_schema_field(MemberSerializer(many=True))
    def get_absentees(self, obj):
        return self.many(MemberSerializer, self.places_of(obj).absent)

    @extend_schema_field(MemberSerializer(many=True))
    def get_corrected_members(self, obj):
        return self.many(MemberSerializer, self.places_of(obj).corrected)


class PersonListSerializer(serializers.ModelSerializer):
    """A person in a list: the name; the detail adds titles and positions."""

    url = identity("person")
    public_url = PublicURLField()

    class Meta:
        model = Person
        fields = ["url", "public_url", "slug", "name", "wikidata_id", "updated_at"]


class PersonSerializer(OnDayMixin, PersonListSerializer):
    identifiers = IdentifiersField(
        help_text="Their identifiers in other registers, Wikidata first."
    )
    roles = serializers.SerializerMethodField(
        help_text="The titles held on the day asked (`as_of`, or today), each with its sources."
    )
    former_roles = serializers.SerializerMethodField(help_text="Titles given up by that day.")
    corrected_roles = serializers.SerializerMethodField(
        help_text="Titles a source reported that were corrected or retracted: never counted."
    )
    positions = serializers.SerializerMethodField(
        help_text="The stances that count (as reported or disputed)."
    )
    corrected_positions = serializers.SerializerMethodField(
        help_text="Stances a source reported that were corrected or retracted."
    )

    class Meta(PersonListSerializer.Meta):
        fields = [
            "url",
            "public_url",
            "slug",
            "name",
            "wikidata_id",
            "identifiers",
            "roles",
            "former_roles",
            "corrected_roles",
            "positions",
            "corrected_positions",
            "updated_at",
        ]

    @extend_schema_field(RoleAtSerializer(many=True))
    def get_roles(self, obj):
        return self.many(RoleAtSerializer, self.titles_of(obj).current)

    @extend_schema_field(RoleAtSerializer(many=True))
    def get_former_roles(self, obj):
        return self.many(RoleAtSerializer, self.titles_of(obj).former)

    @extend_schema_field(RoleAtSerializer(many=True))
    def get_corrected_roles(self, obj):
        return self.many(RoleAtSerializer, self.titles_of(obj).corrected)

    @extend_schema_field(PositionSerializer(many=True))
    def get_positions(self, obj):
        return self.many(PositionSerializer, [p for p in obj.public_positions if p.counts])

    @extend_schema_field(PositionSerializer(many=True))
    def get_corrected_positions(self, obj):
        return self.many(PositionSerializer, [p for p in obj.public_positions if not p.counts])


class ParagraphSerializer(serializers.ModelSerializer):
    public_url = serializers.SerializerMethodField(help_text="The paragraph's anchor (#pN).")
    translation = gloss_field()

    class Meta:
        model = Paragraph
        fields = ["number", "section", "text", "translation", "public_url"]

    def get_translation(self, obj) -> str | None:
        return gloss(obj.translation, self.context["article"].language)

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
    title_translation = gloss_field()
    outlet = OrganisationSummarySerializer(
        read_only=True,
        allow_null=True,
        help_text="The news outlet that published it; null when the source does not say.",
    )

    class Meta:
        model = Article
        fields = [
            "url",
            "public_url",
            "slug",
            "title",
            "title_translation",
            "published_on",
            "date_precision",
            "language",
            "outlet",
            "authors",
            "source_url",
            "updated_at",
        ]
        extra_kwargs = {
            "authors": {"help_text": "As the article signs it; empty when it is not signed."},
            "source_url": {
                "help_text": "Where it was published; empty when the source does not say."
            },
        }

    def get_title_translation(self, obj) -> str | None:
        return gloss(obj.title_translation, obj.language)


class ArticleSerializer(ArticleListSerializer):
    paragraphs = serializers.SerializerMethodField()

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields[:-1], "paragraphs", "updated_at"]

    @extend_schema_field(ParagraphSerializer(many=True))
    def get_paragraphs(self, obj):
        context = {**self.context, "article": obj}
        return ParagraphSerializer(obj.paragraphs.all(), many=True, context=context).data


class SupportedFactSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=["membership", "role", "position", "ai_system", "relation", "claim"]
    )
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
        facts += [
            ("relation", r.slug, api_url(request, "api:relation-detail", r.slug))
            for r in obj.relations.all()
        ]
        facts += [
            ("claim", c.slug, api_url(request, "api:claim-detail", c.slug))
            for c in obj.claims.all()
        ]
        return [{"type": kind, "slug": slug, "url": url} for kind, slug, url in facts]

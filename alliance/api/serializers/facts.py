"""Facts (memberships, roles, positions, AI systems), each with its citation and status."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.api.serializers.dates import PartialDateField
from alliance.api.serializers.links import PublicURLField, api_url, identity
from alliance.api.serializers.summaries import (
    CitationSerializer,
    CoalitionSummarySerializer,
    OrganisationSummarySerializer,
    PersonSummarySerializer,
)
from alliance.models import (
    AISystem,
    Membership,
    OrganisationKind,
    Position,
    Role,
)

PERIOD_FIELDS = ["started_on", "started_precision", "ended_on", "ended_precision"]


class FactSerializer(serializers.ModelSerializer):
    """What every fact shows: where it comes from, and whether it still stands."""

    citation = CitationSerializer(read_only=True)

    class Meta:
        fields = ["status", "correction", "correction_source", "citation"]


class MembershipSerializer(FactSerializer):
    started_on = PartialDateField("started_on", "started_precision")
    ended_on = PartialDateField("ended_on", "ended_precision")
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
            *PERIOD_FIELDS,
            *FactSerializer.Meta.fields,
        ]


class PlaceSerializer(FactSerializer):
    """A membership seen from its organisation: the coalition and the place in it."""

    started_on = PartialDateField("started_on", "started_precision")
    ended_on = PartialDateField("ended_on", "ended_precision")
    url = identity("membership")
    coalition = CoalitionSummarySerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["url", "slug", "coalition", "role", *PERIOD_FIELDS, *FactSerializer.Meta.fields]


class MemberSerializer(FactSerializer):
    """A membership seen from its coalition: the organisation and its place."""

    started_on = PartialDateField("started_on", "started_precision")
    ended_on = PartialDateField("ended_on", "ended_precision")
    url = identity("membership")
    organisation = OrganisationSummarySerializer(source="member", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "url",
            "slug",
            "organisation",
            "role",
            *PERIOD_FIELDS,
            *FactSerializer.Meta.fields,
        ]


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
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices,
        required=False,
        help_text="The organisation's kind; absent when the holder is a person.",
    )
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

"""Facts (memberships, roles, positions, AI systems), each with its sources and status.

Every fact carries the passage that first states it (`citation`) and every passage it
rests on, the earliest article first (`sources`); a disputed, corrected or retracted one
carries its correction and where that comes from. Facts in time carry their period at the
precision the sources give (`started_on: "2023-12"`, `started_precision: "month"`), the
passages that date it when they are not the fact's own, and whether it is `in_force` on
the day asked (`as_of`, or today).
"""

from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.api.serializers.dates import PartialDateField, PrecisionField
from alliance.api.serializers.kept import KeptListSerializer
from alliance.api.serializers.links import PublicURLField, api_url, identity
from alliance.api.serializers.localised import LocalisedSerializer, fallback_fields_field
from alliance.api.serializers.summaries import (
    CitationSerializer,
    CoalitionSummarySerializer,
    OrganisationSummarySerializer,
    PersonSummarySerializer,
)
from alliance.asof import today
from alliance.models import (
    AISystem,
    Claim,
    Membership,
    OrganisationKind,
    Person,
    Position,
    Relation,
    Role,
)

FACT_FIELDS = [
    "status",
    "correction",
    "correction_citation",
    "correction_source",
    "correction_source_title",
    "citation",
    "sources",
    "fallback_fields",
]
PERIOD_FIELDS = [
    "started_on",
    "started_precision",
    "start_citation",
    "ended_on",
    "ended_precision",
    "end_citation",
    "in_force",
]


class FactSerializer(LocalisedSerializer):
    """What every fact shows: where it comes from, and whether it still stands."""

    fallback_fields = fallback_fields_field()
    citation = CitationSerializer(
        read_only=True, help_text="The passage that first states the fact."
    )
    sources = CitationSerializer(
        many=True,
        read_only=True,
        help_text=(
            "Every passage the fact rests on, the earliest article first: the first report "
            "(`citation`) and any later confirmation."
        ),
    )
    correction_citation = CitationSerializer(
        read_only=True,
        allow_null=True,
        help_text="Where the correction comes from, when an article on record states it.",
    )

    class Meta:
        fields = FACT_FIELDS
        # Each fact of a list kept under the rows it shows (`alliance.fragments`).
        list_serializer_class = KeptListSerializer
        extra_kwargs = {
            "correction": {"help_text": "Why the fact is disputed, or what is correct instead."},
            "correction_source": {
                "help_text": "The page the correction comes from, when it is outside the record."
            },
        }

    @cached_property
    def organisation_summary(self):
        """One for all the rows of a list: see `party`."""
        return OrganisationSummarySerializer(context=self.context)

    def party(self, organisation_or_person):
        return party(self.context, organisation_or_person, self.organisation_summary)


class PeriodSerializer(FactSerializer):
    """A fact in time: when it started and ended, as precisely as its sources say."""

    started_on = PartialDateField("started_on", "started_precision")
    started_precision = PrecisionField("started_on", "started_precision")
    ended_on = PartialDateField("ended_on", "ended_precision")
    ended_precision = PrecisionField("ended_on", "ended_precision")
    start_citation = CitationSerializer(
        read_only=True,
        allow_null=True,
        help_text="The passage that dates the start, when it is not the fact's own.",
    )
    end_citation = CitationSerializer(
        read_only=True,
        allow_null=True,
        help_text="The passage that says it ended, when it is not the fact's own.",
    )
    in_force = serializers.SerializerMethodField(
        help_text=(
            "On the day asked (`as_of`, or today): the fact stands (not corrected or "
            "retracted) and its period is under way. For a membership, the organisation "
            "counts as a member that day (or, for an absence, is notably absent); for a "
            "role, the title is held."
        )
    )

    def get_in_force(self, obj) -> bool:
        day = self.context.get("day") or today()
        if isinstance(obj, Membership) and not obj.is_absence:
            return obj.counts_as_member_on(day)
        return obj.counts and obj.is_in_force(day)


class MembershipSerializer(PeriodSerializer):
    url = identity("membership")
    public_url = PublicURLField()
    organisation = OrganisationSummarySerializer(source="member", read_only=True)
    coalition = CoalitionSummarySerializer(read_only=True)
    is_absence = serializers.BooleanField(read_only=True)

    class Meta(FactSerializer.Meta):
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
            *FACT_FIELDS,
        ]


class PlaceSerializer(PeriodSerializer):
    """A membership seen from its organisation: the coalition and the place in it."""

    url = identity("membership")
    coalition = CoalitionSummarySerializer(read_only=True)

    class Meta(FactSerializer.Meta):
        model = Membership
        fields = ["url", "slug", "coalition", "role", *PERIOD_FIELDS, *FACT_FIELDS]


class MemberSerializer(PeriodSerializer):
    """A membership seen from its coalition: the organisation and its place."""

    url = identity("membership")
    organisation = OrganisationSummarySerializer(source="member", read_only=True)

    class Meta(FactSerializer.Meta):
        model = Membership
        fields = ["url", "slug", "organisation", "role", *PERIOD_FIELDS, *FACT_FIELDS]


class RoleSerializer(PeriodSerializer):
    """A title a person holds at an organisation, for a time."""

    url = identity("role")
    public_url = PublicURLField()
    person = PersonSummarySerializer(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)

    class Meta(FactSerializer.Meta):
        model = Role
        fields = [
            "url",
            "public_url",
            "slug",
            "person",
            "organisation",
            "title",
            *PERIOD_FIELDS,
            *FACT_FIELDS,
        ]


class RoleAtSerializer(PeriodSerializer):
    """A title held, seen from the person: where."""

    url = identity("role")
    organisation = OrganisationSummarySerializer(read_only=True)

    class Meta(FactSerializer.Meta):
        model = Role
        fields = ["url", "slug", "organisation", "title", *PERIOD_FIELDS, *FACT_FIELDS]


class RoleHolderSerializer(PeriodSerializer):
    """A title held, seen from the organisation: by whom."""

    url = identity("role")
    person = PersonSummarySerializer(read_only=True)

    class Meta(FactSerializer.Meta):
        model = Role
        fields = ["url", "slug", "person", "title", *PERIOD_FIELDS, *FACT_FIELDS]


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

    class Meta(FactSerializer.Meta):
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
            *FACT_FIELDS,
        ]

    @extend_schema_field(HolderSerializer)
    def get_holder(self, obj):
        return self.party(obj.holder)


def party(context, organisation_or_person, organisation_summary=None):
    """An organisation or a person in a few words, saying which it is.

    `organisation_summary`, an `OrganisationSummarySerializer` to reuse: a list names a
    party on every row, and building a serializer (a copy of its fields) for each costs
    more than the summary itself.
    """
    if organisation_or_person is None:
        return None
    if isinstance(organisation_or_person, Person):
        return {
            "type": "person",
            "slug": organisation_or_person.slug,
            "name": organisation_or_person.name,
            "url": api_url(context["request"], "api:person-detail", organisation_or_person.slug),
        }
    if organisation_summary is None:
        organisation_summary = OrganisationSummarySerializer(context=context)
    return {
        "type": "organisation",
        **organisation_summary.to_representation(organisation_or_person),
    }


class RelationSerializer(FactSerializer):
    """A link a source states between two parties: who criticises or competes with whom."""

    url = identity("relation")
    subject = serializers.SerializerMethodField(help_text="The party the relation starts from.")
    object = serializers.SerializerMethodField(help_text="The party it points to.")

    class Meta(FactSerializer.Meta):
        model = Relation
        fields = ["url", "slug", "subject", "kind", "object", "summary", *FACT_FIELDS]

    @extend_schema_field(HolderSerializer)
    def get_subject(self, obj):
        return self.party(obj.subject)

    @extend_schema_field(HolderSerializer)
    def get_object(self, obj):
        return self.party(obj.object)


class ClaimSerializer(FactSerializer):
    """Something a source says about one party that is not a stance: the article's own
    statement (`said_by` null), or someone's words it reports."""

    url = identity("claim")
    about = serializers.SerializerMethodField(help_text="The party the claim is about.")
    said_by = serializers.SerializerMethodField(
        help_text="Who said it, when the article reports someone's words; null for its own."
    )

    class Meta(FactSerializer.Meta):
        model = Claim
        fields = ["url", "slug", "about", "said_by", "summary", "is_quote", *FACT_FIELDS]

    @extend_schema_field(HolderSerializer)
    def get_about(self, obj):
        return self.party(obj.about)

    @extend_schema_field(HolderSerializer(allow_null=True))
    def get_said_by(self, obj):
        return self.party(obj.said_by)


class AISystemSerializer(FactSerializer):
    url = identity("ai-system")
    public_url = PublicURLField()
    owner = OrganisationSummarySerializer(read_only=True)

    class Meta(FactSerializer.Meta):
        model = AISystem
        fields = [
            "url",
            "public_url",
            "slug",
            "name",
            "description",
            "owner",
            *FACT_FIELDS,
        ]


class AISystemSummarySerializer(serializers.ModelSerializer):
    url = identity("ai-system")

    class Meta:
        model = AISystem
        fields = ["slug", "name", "url"]

"""The filters and orderings each API resource accepts."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from alliance.api.filtering import (
    AsOfFilter,
    BoundedNumberFilter,
    ISODateFilter,
    SlugChoiceFilter,
    SlugFilter,
    SlugTiebreakOrderingFilter,
    StrictFilterSet,
)
from alliance.models import (
    AISystem,
    Article,
    Citation,
    Claim,
    Coalition,
    FactStatus,
    Language,
    Leaning,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
    Position,
    Relation,
    RelationKind,
    Role,
    Topic,
)

# A choice among a column's own values never repeats a row: `distinct=False` on those keeps
# SELECT DISTINCT (a sort of every column of every matching row) out of their queries.
BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


def status_filter():
    return django_filters.MultipleChoiceFilter(
        choices=FactStatus.choices,
        distinct=False,
        help_text=_(
            "Whether the fact stands as reported, is disputed, was corrected, or its sources "
            "were retracted; repeat for several. Without it, the list holds the facts that "
            "count: as reported and disputed (flagged by their `status`), never corrected "
            "or retracted ones."
        ),
    )


class FactFilterSet(StrictFilterSet):
    """A list of facts: those that count (not corrected or retracted) unless `status` says."""

    status = status_filter()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.standing()
        return queryset


class PeriodFilterSet(FactFilterSet):
    """A list of facts in time; `as_of` keeps those under way that day."""

    as_of = AsOfFilter(
        help_text=_(
            "A day (YYYY-MM-DD): only the facts under way that day (started, not yet ended), "
            "by the dates their sources give; undated ones always are."
        )
    )

    def filter_as_of(self, queryset, name, value):
        return queryset.in_force(value)


class OrganisationFilter(StrictFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices, distinct=False)
    coalition = SlugChoiceFilter(
        queryset=Coalition.objects.all(),
        method="filter_by_place",
        help_text=_(
            "Slug of a coalition: its members (founders, key contributors, members). "
            "With `role=absent`, the organisations notably absent from it instead."
        ),
    )
    role = django_filters.MultipleChoiceFilter(
        choices=MembershipRole.choices,
        method="filter_by_place",
        help_text=_(
            "A place in a coalition (in the one given by `coalition`, or in any): "
            "repeat the parameter to accept several."
        ),
    )
    leaning = django_filters.MultipleChoiceFilter(
        choices=Leaning.choices,
        method="filter_by_leaning",
        help_text=_("Organisations holding at least one position with this leaning."),
    )
    country = django_filters.CharFilter(
        max_length=2,
        min_length=2,
        lookup_expr="iexact",
        help_text=_("ISO 3166 two-letter country code."),
    )
    as_of = AsOfFilter(
        help_text=_(
            "A day (YYYY-MM-DD): `coalition` and `role` name the places held that day. "
            "Today by default."
        )
    )
    ordering = SlugTiebreakOrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("country", "country"), ("slug", "slug"))
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_by_place(self, queryset, name, value):
        # Applied in filter_queryset: coalition and role must match the same membership.
        return queryset

    def filter_by_leaning(self, queryset, name, value):
        # A corrected or retracted stance is never counted.
        positions = Position.objects.standing().filter(
            organisation=OuterRef("pk"), leaning__in=value
        )
        return queryset.filter(Exists(positions))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        coalition = self.form.cleaned_data.get("coalition")
        roles = self.form.cleaned_data.get("role")
        if coalition or roles:
            # What counts: a membership under way that day, or (asked by `role`) a
            # standing absence.
            if roles:
                places = Membership.objects.placed(self.day).filter(role__in=roles)
            else:
                places = Membership.objects.counting(self.day)
            places = places.filter(member=OuterRef("pk"))
            if coalition:
                places = places.filter(coalition=coalition)
            queryset = queryset.filter(Exists(places))
        return queryset


class CoalitionFilter(StrictFilterSet):
    member = SlugChoiceFilter(
        queryset=Organisation.objects.all(),
        method="filter_by_member",
        help_text=_("Slug of an organisation: the coalitions it is a member of (on `as_of`)."),
    )
    as_of = AsOfFilter(
        help_text=_(
            "A day (YYYY-MM-DD): the counts on record and `member` as they stood that day. "
            "Today by default."
        )
    )
    ordering = SlugTiebreakOrderingFilter(fields=(("name", "name"), ("slug", "slug")))

    class Meta:
        model = Coalition
        fields = []

    def filter_by_member(self, queryset, name, value):
        places = Membership.objects.counting(self.day).filter(
            coalition=OuterRef("pk"), member=value
        )
        return queryset.filter(Exists(places))


class PersonFilter(StrictFilterSet):
    organisation = SlugChoiceFilter(
        queryset=Organisation.objects.all(),
        method="filter_by_organisation",
        help_text=_("Slug of an organisation: the people who hold a title there."),
    )
    ordering = SlugTiebreakOrderingFilter(fields=(("name", "name"), ("slug", "slug")))

    class Meta:
        model = Person
        fields = []

    def filter_by_organisation(self, queryset, name, value):
        roles = Role.objects.standing().filter(person=OuterRef("pk"), organisation=value)
        return queryset.filter(Exists(roles))


class MembershipFilter(PeriodFilterSet):
    coalition = SlugChoiceFilter(
        queryset=Coalition.objects.all(), help_text=_("Slug of a coalition.")
    )
    organisation = SlugChoiceFilter(
        field_name="member",
        queryset=Organisation.objects.all(),
        help_text=_("Slug of the member (or absent) organisation."),
    )
    role = django_filters.MultipleChoiceFilter(
        choices=MembershipRole.choices,
        distinct=False,
        help_text=_("Founder, key contributor, member, or notably absent; repeat for several."),
    )
    started_on_after = ISODateFilter(
        field_name="started_on",
        lookup_expr="gte",
        help_text=_("Started (joined) on or after (YYYY-MM-DD)."),
    )
    started_on_before = ISODateFilter(
        field_name="started_on",
        lookup_expr="lte",
        help_text=_("Started (joined) on or before (YYYY-MM-DD)."),
    )
    ordering = SlugTiebreakOrderingFilter(
        fields=(
            ("coalition__name", "coalition"),
            ("member__name", "organisation"),
            ("role", "role"),
            ("started_on", "started_on"),
            ("slug", "slug"),
        )
    )

    class Meta:
        model = Membership
        fields = []


class PositionFilter(FactFilterSet):
    leaning = django_filters.MultipleChoiceFilter(choices=Leaning.choices, distinct=False)
    topic = SlugChoiceFilter(queryset=Topic.objects.all(), help_text=_("Slug of a topic."))
    holder = SlugFilter(
        max_length=200,
        method="filter_by_holder",
        help_text=_("Slug of the organisation or person holding the position."),
    )
    affiliated_with = SlugChoiceFilter(
        queryset=Organisation.objects.all(),
        method="filter_by_affiliation",
        help_text=_(
            "Slug of an organisation: its own positions and those of the people who hold "
            "a title there (“everything IBM said”)."
        ),
    )
    article = SlugChoiceFilter(
        field_name="citation__article",
        queryset=Article.objects.all(),
        help_text=_("Slug of the article the position is cited from."),
    )
    is_quote = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="filter_by_is_quote",
        help_text=_("`true`: only the holder's own words."),
    )
    ordering = SlugTiebreakOrderingFilter(
        fields=(("topic_name", "topic"), ("leaning", "leaning"), ("slug", "slug"))
    )

    class Meta:
        model = Position
        fields = []

    def filter_by_holder(self, queryset, name, value):
        return queryset.filter(Q(organisation__slug=value) | Q(person__slug=value))

    def filter_by_affiliation(self, queryset, name, value):
        people = Role.objects.standing().filter(organisation=value).values("person")
        return queryset.filter(Q(organisation=value) | Q(person__in=people))

    def filter_by_is_quote(self, queryset, name, value):
        return queryset.filter(is_quote=value == "true")


class ArticleFilter(StrictFilterSet):
    language = django_filters.MultipleChoiceFilter(choices=Language.choices, distinct=False)
    published_on_after = ISODateFilter(
        field_name="published_on",
        lookup_expr="gte",
        help_text=_("Published on or after (YYYY-MM-DD)."),
    )
    published_on_before = ISODateFilter(
        field_name="published_on",
        lookup_expr="lte",
        help_text=_("Published on or before (YYYY-MM-DD)."),
    )
    ordering = SlugTiebreakOrderingFilter(
        fields=(("published_on", "published_on"), ("title", "title"), ("slug", "slug"))
    )

    class Meta:
        model = Article
        fields = []


class AISystemFilter(FactFilterSet):
    owner = SlugChoiceFilter(
        queryset=Organisation.objects.all(), help_text=_("Slug of the owning organisation.")
    )
    ordering = SlugTiebreakOrderingFilter(fields=(("name", "name"), ("slug", "slug")))

    class Meta:
        model = AISystem
        fields = []


class RelationFilter(FactFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=RelationKind.choices, distinct=False)
    party = SlugFilter(
        max_length=200,
        method="filter_by_party",
        help_text=_("Slug of an organisation or a person on either side of the relation."),
    )
    article = SlugChoiceFilter(
        field_name="citation__article",
        queryset=Article.objects.all(),
        help_text=_("Slug of the article the relation is cited from."),
    )
    ordering = SlugTiebreakOrderingFilter(fields=(("kind", "kind"), ("slug", "slug")))

    class Meta:
        model = Relation
        fields = []

    def filter_by_party(self, queryset, name, value):
        return queryset.filter(
            Q(subject_organisation__slug=value)
            | Q(subject_person__slug=value)
            | Q(object_organisation__slug=value)
            | Q(object_person__slug=value)
        )


class ClaimFilter(FactFilterSet):
    about = SlugFilter(
        max_length=200,
        method="filter_by_about",
        help_text=_("Slug of the organisation or person the claim is about."),
    )
    said_by = SlugFilter(
        max_length=200,
        method="filter_by_said_by",
        help_text=_("Slug of the organisation or person who said it."),
    )
    article = SlugChoiceFilter(
        field_name="citation__article",
        queryset=Article.objects.all(),
        help_text=_("Slug of the article the claim is cited from."),
    )
    ordering = SlugTiebreakOrderingFilter(fields=(("slug", "slug"),))

    class Meta:
        model = Claim
        fields = []

    def filter_by_about(self, queryset, name, value):
        return queryset.filter(Q(about_organisation__slug=value) | Q(about_person__slug=value))

    def filter_by_said_by(self, queryset, name, value):
        return queryset.filter(Q(said_by_organisation__slug=value) | Q(said_by_person__slug=value))


class RoleFilter(PeriodFilterSet):
    person = SlugChoiceFilter(queryset=Person.objects.all(), help_text=_("Slug of a person."))
    organisation = SlugChoiceFilter(
        queryset=Organisation.objects.all(), help_text=_("Slug of the organisation.")
    )
    ordering = SlugTiebreakOrderingFilter(
        fields=(
            ("person__name", "person"),
            ("organisation__name", "organisation"),
            ("title", "title"),
            ("started_on", "started_on"),
            ("slug", "slug"),
        )
    )

    class Meta:
        model = Role
        fields = []


class CitationFilter(StrictFilterSet):
    article = SlugChoiceFilter(queryset=Article.objects.all(), help_text=_("Slug of an article."))
    paragraph = BoundedNumberFilter(
        field_name="paragraph__number",
        min_value=1,
        help_text=_("Paragraph number in the article, from 1."),
    )
    ordering = SlugTiebreakOrderingFilter(
        fields=(("paragraph__number", "paragraph"), ("slug", "slug"))
    )

    class Meta:
        model = Citation
        fields = []

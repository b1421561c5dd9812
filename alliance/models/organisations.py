"""Organisations, the coalitions among them, and who belongs to (or is left out of) which."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.addresses import slug_url
from alliance.models.base import (
    RECORD_LANGUAGE,
    TRANSLATION_LANGUAGES,
    SlugNamed,
    SlugQuerySet,
    Translatable,
    text_column,
)
from alliance.models.facts import NOT_COUNTED, Fact, Period, PeriodQuerySet
from alliance.search import fold


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("company")
    ACADEMIC = "academic", _("university or research institution")
    GOVERNMENT = "government", _("government agency")
    NONPROFIT = "nonprofit", _("non-profit")
    COALITION = "coalition", _("coalition")
    NEWS_OUTLET = "news_outlet", _("news outlet")
    OTHER = "other", _("other")


class CountQualifier(models.TextChoices):
    EXACTLY = "exactly", _("exactly")
    MORE_THAN = "more_than", _("more than")
    ABOUT = "about", _("about")


def reading_order(path=""):
    """The order readers expect names in, in the active language: accents and capitals
    aside ("Adept" before "AI Alliance"), by the indexed `sort_name` columns. `path` leads
    to the organisation: `reading_order("member__")` for memberships."""
    language = (get_language() or RECORD_LANGUAGE)[:2]
    if language not in TRANSLATION_LANGUAGES:
        language = RECORD_LANGUAGE
    return [f"{path}{text_column('sort_name', language)}", f"{path}slug"]


class OrganisationQuerySet(SlugQuerySet):
    def in_reading_order(self):
        return self.order_by(*reading_order())

    def coalitions(self):
        return self.filter(kind=OrganisationKind.COALITION)

    def news_outlets(self):
        return self.filter(kind=OrganisationKind.NEWS_OUTLET)


#: Wikidata's item identifiers: Q and a number without leading zero.
validate_wikidata_id = RegexValidator(
    r"^Q[1-9][0-9]{0,11}$",
    _("A Wikidata identifier is Q followed by a number, e.g. Q37156."),
    code="invalid_wikidata_id",
)


def wikidata_field():
    return models.CharField(
        _("Wikidata identifier"),
        max_length=13,
        blank=True,
        validators=[validate_wikidata_id],
        help_text=_("The Wikidata item (e.g. Q37156 for IBM), only when checked by hand."),
    )


class Organisation(SlugNamed, Translatable):
    search_source = ("name", "name_en", "full_name", "aliases", "description", "description_en")
    translated_fields = ("name", "description")

    name = models.CharField(
        _("name (French)"),
        max_length=200,
        help_text=_("The short name the sources use, e.g. “IBM”."),
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=200,
        blank=True,
        help_text=_("Where English says it otherwise (“Cornell University”); else the same."),
    )
    sort_name = models.CharField(max_length=200, editable=False, default="")
    sort_name_en = models.CharField(max_length=200, editable=False, default="")
    wikidata_id = wikidata_field()
    full_name = models.CharField(
        _("full name"),
        max_length=300,
        blank=True,
        help_text=_("The full legal or formal name, e.g. “International Business Machines”."),
    )
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other names the sources use, one per line. Search finds them too."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OrganisationKind)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166 two-letter code, when a source states it."),
    )
    description = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    declared_member_count = models.PositiveIntegerField(
        _("reported member count"),
        null=True,
        blank=True,
        help_text=_(
            "Coalitions only: the member count a source reports (“more than 50”), which "
            "is not the number of members on record here."
        ),
    )
    declared_member_count_qualifier = models.CharField(
        _("reported count is"), max_length=9, choices=CountQualifier, blank=True
    )
    declared_member_count_citation = models.ForeignKey(
        "alliance.Citation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="declared_counts",
        verbose_name=_("citation for the reported count"),
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(SlugNamed.Meta):
        ordering = ["sort_name", "slug"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["updated_at"], name="organisation_updated_idx"),
            models.Index(fields=["name", "slug"], name="organisation_name_slug_idx"),
            models.Index(fields=["sort_name", "slug"], name="organisation_sort_fr_idx"),
            models.Index(fields=["sort_name_en", "slug"], name="organisation_sort_en_idx"),
            models.Index(fields=["kind", "name", "slug"], name="organisation_kind_name_idx"),
            models.Index(fields=["country"], name="organisation_country_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="organisation_wikidata_id_unique",
                violation_error_message=_("Another organisation has this Wikidata identifier."),
            ),
            models.CheckConstraint(
                condition=Q(declared_member_count__isnull=True)
                | Q(kind=OrganisationKind.COALITION),
                name="organisation_declared_count_only_for_coalitions",
                violation_error_message=_("Only a coalition has a declared member count."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(declared_member_count__isnull=True, declared_member_count_qualifier="")
                    | (
                        Q(declared_member_count__isnull=False)
                        & ~Q(declared_member_count_qualifier="")
                    )
                ),
                name="organisation_declared_count_has_qualifier",
                violation_error_message=_(
                    "A declared member count needs its qualifier (exactly, more than, about), "
                    "and a qualifier needs a count."
                ),
            ),
        ]

    def fill_sort_names(self):
        self.sort_name = fold(self.name)
        self.sort_name_en = fold(self.name_en or self.name)

    def get_absolute_url(self):
        if self.kind == OrganisationKind.COALITION:
            return slug_url("public:coalition-detail", self.slug)
        return slug_url("public:organisation-detail", self.slug)

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self):
        """The name in the active language (the same in both for most organisations)."""
        return self.localised("name")

    def save(self, *args, **kwargs):
        # A name is a name in both languages unless English says it otherwise, so an
        # English name that only copied the French one follows it when it is renamed.
        loaded = getattr(self, "_loaded_texts", {})
        copied = "name" in loaded and loaded.get("name_en") == loaded["name"]
        if not self.name_en or (copied and self.name_en == loaded["name"]):
            self.name_en = self.name
        super().save(*args, **kwargs)


class CoalitionQuerySet(OrganisationQuerySet):
    def with_member_counts(self, on=None):
        """Annotate `members_on_record` (present members that count on the day `on`, today
        by default) and `absentees_on_record` (standing absences)."""
        return self.annotate(
            members_on_record=Count(
                "memberships",
                filter=Membership.counts_as_member(on, prefix="memberships__"),
                distinct=True,
            ),
            absentees_on_record=Count(
                "memberships",
                filter=Membership.counts_as_absent(prefix="memberships__"),
                distinct=True,
            ),
        )


class CoalitionManager(models.Manager.from_queryset(CoalitionQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=OrganisationKind.COALITION)


class Coalition(Organisation):
    """An organisation of kind coalition: the rows that memberships point to."""

    objects = CoalitionManager()

    class Meta:
        proxy = True
        ordering = ["sort_name", "slug"]
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")

    def save(self, *args, **kwargs):
        self.kind = OrganisationKind.COALITION
        super().save(*args, **kwargs)


class MembershipRole(models.TextChoices):
    FOUNDER = "founder", _("founder")
    KEY_CONTRIBUTOR = "key_contributor", _("key contributor")
    MEMBER = "member", _("member")
    ABSENT = "absent", _("notably absent")


class MembershipQuerySet(PeriodQuerySet):
    search_paths = ("member__search_text", "coalition__search_text")

    def present(self):
        return self.exclude(role=MembershipRole.ABSENT)

    def absent(self):
        return self.filter(role=MembershipRole.ABSENT)

    def founders(self):
        return self.filter(role=MembershipRole.FOUNDER)

    def counting(self, on=None):
        """Memberships that make their organisation a member on the day `on` (today by
        default): the one rule behind every count, filter, overlap, chart and feed."""
        return self.filter(Membership.counts_as_member(on))

    def placed(self, on=None):
        """Memberships that count on the day `on`, and standing absences (undated): the
        places a coalition's page and the `role` filters show."""
        return self.filter(Membership.counts_as_member(on) | Membership.counts_as_absent())


class Membership(Period, Fact):
    """An organisation's place in a coalition for a time: founder, member, key
    contributor, or notably absent. Leaving ends the period; rejoining starts another."""

    member = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="coalition_memberships",
        verbose_name=_("organisation"),
    )
    coalition = models.ForeignKey(
        Coalition, models.PROTECT, related_name="memberships", verbose_name=_("coalition")
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Fact.Meta):
        ordering = ["coalition__sort_name", "role", "member__sort_name", "started_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            *Fact.Meta.constraints,
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["member", "coalition", "role", "started_on"],
                name="membership_period_once",
                violation_error_message=_(
                    "This organisation already has this place in this coalition from that date."
                ),
            ),
            models.UniqueConstraint(
                fields=["member", "coalition"],
                condition=Q(role=MembershipRole.ABSENT),
                name="membership_absent_once",
                violation_error_message=_(
                    "This organisation is already recorded as absent from this coalition."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("coalition")),
                name="membership_not_in_itself",
                violation_error_message=_("A coalition cannot be a member of itself."),
            ),
            models.CheckConstraint(
                condition=~Q(role=MembershipRole.ABSENT)
                | Q(started_on__isnull=True, ended_on__isnull=True),
                name="membership_absentee_has_no_dates",
                violation_error_message=_(
                    "An absent organisation has no dates of joining or leaving."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["coalition", "role"], name="membership_coalition_role_idx"),
            models.Index(fields=["member", "role"], name="membership_member_role_idx"),
            models.Index(fields=["role"], name="membership_role_idx"),
            models.Index(fields=["status"], name="membership_status_idx"),
            models.Index(fields=["started_on"], name="membership_started_idx"),
            models.Index(fields=["updated_at"], name="membership_updated_idx"),
        ]

    def __str__(self):
        return f"{self.member} — {self.coalition} ({self.get_role_display()})"

    def get_absolute_url(self):
        return self.coalition.get_absolute_url()

    def slug_parts(self):
        return [self.member.slug, self.coalition.slug]

    @property
    def is_absence(self):
        return self.role == MembershipRole.ABSENT

    @property
    def counts_as_member_now(self):
        """In Python, for rows already loaded: the rule of `counts_as_member()` for today."""
        return self.counts_as_member_on()

    def counts_as_member_on(self, on=None):
        """In Python, for rows already loaded: the rule of `counts_as_member()` for `on`.

        The article's draft flag is left to the query that loaded the row (`public()`).
        """
        return not self.is_absence and self.counts and not self.draft and self.is_in_force(on)

    @staticmethod
    def counts_as_member(on=None, prefix=""):
        """The condition, from a query on memberships reached through `prefix`, that a
        membership makes its organisation a member on the day `on` (today by default):
        public, standing (not corrected or retracted), present, and under way that day."""
        on = on or datetime.date.today()
        return Q(
            Q(**{f"{prefix}started_on__isnull": True}) | Q(**{f"{prefix}started_on__lte": on}),
            Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on}),
            ~Q(**{f"{prefix}role": MembershipRole.ABSENT}),
            ~Q(**{f"{prefix}status__in": NOT_COUNTED}),
            **{f"{prefix}draft": False, f"{prefix}citation__article__draft": False},
        )

    @staticmethod
    def counts_as_absent(prefix=""):
        return Q(
            ~Q(**{f"{prefix}status__in": NOT_COUNTED}),
            **{
                f"{prefix}role": MembershipRole.ABSENT,
                f"{prefix}draft": False,
                f"{prefix}citation__article__draft": False,
            },
        )

    def clean(self):
        super().clean()
        if self.role == MembershipRole.ABSENT or not (self.member_id and self.coalition_id):
            return
        others = Membership.objects.present().filter(
            member_id=self.member_id, coalition_id=self.coalition_id
        )
        clash = self.overlaps(others)
        if clash is not None:
            raise ValidationError(
                _(
                    "This period overlaps another period of %(member)s in %(coalition)s "
                    "(%(other)s). End that one first, or change these dates."
                )
                % {
                    "member": self.member,
                    "coalition": self.coalition,
                    "other": clash.period_in_words(),
                },
                code="overlapping_period",
            )

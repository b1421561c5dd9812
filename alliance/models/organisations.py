"""Organisations, the coalitions among them, and who belongs to (or is left out of) which."""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.addresses import slug_url
from alliance.models.base import SlugNamed, SlugQuerySet
from alliance.models.facts import Fact


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


class OrganisationQuerySet(SlugQuerySet):
    def coalitions(self):
        return self.filter(kind=OrganisationKind.COALITION)

    def news_outlets(self):
        return self.filter(kind=OrganisationKind.NEWS_OUTLET)


class Organisation(SlugNamed):
    search_source = ("name", "full_name", "aliases")

    name = models.CharField(
        _("name"), max_length=200, help_text=_("The short name the sources use, e.g. “IBM”.")
    )
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
    description = models.TextField(_("description"), blank=True)
    declared_member_count = models.PositiveIntegerField(
        _("declared member count"),
        null=True,
        blank=True,
        help_text=_(
            "Coalitions only: the member count the sources declare (“more than 50”), "
            "which is not the number of members on record here."
        ),
    )
    declared_member_count_qualifier = models.CharField(
        _("declared count is"), max_length=9, choices=CountQualifier, blank=True
    )
    declared_member_count_citation = models.ForeignKey(
        "alliance.Citation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="declared_counts",
        verbose_name=_("citation for the declared count"),
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(SlugNamed.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
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

    def get_absolute_url(self):
        if self.kind == OrganisationKind.COALITION:
            return slug_url("public:coalition-detail", self.slug)
        return slug_url("public:organisation-detail", self.slug)

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class CoalitionQuerySet(OrganisationQuerySet):
    def with_member_counts(self):
        """Annotate `members_on_record` (founders and members) and `absentees_on_record`."""
        return self.annotate(
            members_on_record=Count(
                "memberships", filter=~Q(memberships__role=MembershipRole.ABSENT), distinct=True
            ),
            absentees_on_record=Count(
                "memberships", filter=Q(memberships__role=MembershipRole.ABSENT), distinct=True
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
        ordering = ["name"]
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


class MembershipQuerySet(SlugQuerySet):
    search_paths = ("member__search_text", "coalition__search_text")

    def present(self):
        return self.exclude(role=MembershipRole.ABSENT)

    def absent(self):
        return self.filter(role=MembershipRole.ABSENT)

    def founders(self):
        return self.filter(role=MembershipRole.FOUNDER)


class Membership(Fact):
    """An organisation's place in a coalition: founder, member, or notably absent."""

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
    joined_on = models.DateField(
        _("joined on"),
        null=True,
        blank=True,
        help_text=_("When a source dates it. Absentees have no date."),
    )

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Fact.Meta):
        ordering = ["coalition__name", "role", "member__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            *Fact.Meta.constraints,
            models.UniqueConstraint(
                fields=["member", "coalition"],
                name="membership_once_per_coalition",
                violation_error_message=_(
                    "This organisation already has a place in this coalition."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("coalition")),
                name="membership_not_in_itself",
                violation_error_message=_("A coalition cannot be a member of itself."),
            ),
            models.CheckConstraint(
                condition=~Q(role=MembershipRole.ABSENT) | Q(joined_on__isnull=True),
                name="membership_absentee_has_no_join_date",
                violation_error_message=_("An absent organisation has no date of joining."),
            ),
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

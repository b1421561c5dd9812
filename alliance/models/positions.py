"""Stances that organisations and people take on a topic, and the AI systems in the debate."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.addresses import slug_url
from alliance.models.base import Searchable, SlugNamed, Translatable
from alliance.models.facts import Fact, FactQuerySet


class Topic(SlugNamed, Translatable):
    search_source = ("name", "name_en", "description", "description_en")
    translated_fields = ("name", "description")

    name = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    history = HistoricalRecords()

    class Meta(SlugNamed.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(fields=["updated_at"], name="topic_updated_idx"),
            models.Index(fields=["name"], name="topic_name_idx"),
        ]

    def __str__(self):
        return self.localised("name")

    def get_absolute_url(self):
        return reverse("public:position-list") + f"?topic={self.slug}"


class Leaning(models.TextChoices):
    OPEN = "open", _("open")
    CAUTIOUS = "cautious", _("cautious")
    CLOSED = "closed", _("closed")


#: Open first, closed last: the order of the debate, not of the alphabet.
LEANING_ORDER = models.Case(
    *[models.When(leaning=value, then=index) for index, value in enumerate(Leaning.values)],
    output_field=models.IntegerField(),
)


class PositionQuerySet(FactQuerySet):
    search_paths = (
        "search_text",
        "organisation__search_text",
        "person__search_text",
        "citation__search_text",
    )
    search_choices = {"leaning": Leaning}

    def in_leaning_order(self):
        return self.order_by(LEANING_ORDER, "topic__name", "slug")


class Position(Fact, Searchable):
    """A stance on a topic, held by exactly one organisation or one person.

    A leaning is recorded only where the passage states it; `rationale` says how.
    """

    search_source = ("summary", "summary_en", "rationale", "rationale_en")
    translated_fields = ("summary", "rationale", "correction")

    topic = models.ForeignKey(Topic, models.PROTECT, related_name="positions")
    organisation = models.ForeignKey(
        "alliance.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("organisation"),
        help_text=_("The organisation that holds the stance; leave empty for a person."),
    )
    person = models.ForeignKey(
        "alliance.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("person"),
        help_text=_("The person who holds the stance; leave empty for an organisation."),
    )
    leaning = models.CharField(_("leaning"), max_length=8, choices=Leaning)
    summary = models.CharField(
        _("summary (French)"), max_length=300, help_text=_("The stance in one sentence.")
    )
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    rationale = models.TextField(
        _("rationale (French)"),
        blank=True,
        help_text=_("Why the passage shows this leaning, in the passage's own terms."),
    )
    rationale_en = models.TextField(_("rationale (English)"), blank=True)
    is_quote = models.BooleanField(
        _("direct quote"),
        default=False,
        help_text=_("The cited passage is the holder's own words."),
    )
    reported_by = models.ForeignKey(
        "alliance.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_positions",
        limit_choices_to={"kind": "news_outlet"},
        verbose_name=_("reported by"),
        help_text=_("The outlet the article credits (“cité par le Wall Street Journal”)."),
    )

    #: What the lists sort by, copied from the topic and the leaning on every save
    #: (`models.signals`): 100,000 positions are walked in an index's order instead of
    #: being sorted by a joined column on every request.
    topic_name = models.CharField(max_length=200, editable=False, default="")
    #: The leaning's place in the debate: open, cautious, closed.
    leaning_rank = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = PositionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Fact.Meta):
        ordering = ["topic_name", "leaning", "slug"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        indexes = [
            models.Index(fields=["updated_at"], name="position_updated_idx"),
            models.Index(fields=["leaning", "organisation"], name="position_leaning_org_idx"),
            models.Index(fields=["leaning", "person"], name="position_leaning_person_idx"),
            models.Index(fields=["status"], name="position_status_idx"),
            models.Index(fields=["is_quote"], name="position_is_quote_idx"),
            # The public list's order, and the API's.
            models.Index(fields=["topic_name", "leaning_rank", "slug"], name="position_listed_idx"),
            models.Index(fields=["topic_name", "leaning", "slug"], name="position_api_order_idx"),
        ]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, person__isnull=True)
                    | Q(organisation__isnull=True, person__isnull=False)
                ),
                name="position_held_by_organisation_or_person",
                violation_error_message=_(
                    "A position is held by exactly one organisation or one person."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.holder}: {self.get_leaning_display()} ({self.topic})"

    @property
    def holder(self):
        return self.organisation or self.person

    def fill_sort_keys(self, topic_name=None):
        """Copy what the lists sort by; `topic_name` spares a query when it is known."""
        if topic_name is None:
            topic_name = (
                self.topic.name
                if Position.topic.is_cached(self)
                else Topic.objects.filter(pk=self.topic_id).values_list("name", flat=True).first()
            )
        self.topic_name = topic_name or ""
        self.leaning_rank = (
            Leaning.values.index(self.leaning) if self.leaning in Leaning.values else 0
        )

    def get_absolute_url(self):
        return reverse("public:position-list") + f"#{self.slug}"

    def slug_parts(self):
        return [self.holder.slug, self.topic.slug]


class AISystemQuerySet(FactQuerySet):
    search_paths = ("search_text", "owner__search_text")


class AISystem(Fact, Searchable):
    """An AI system or platform the sources name, with the organisation behind it."""

    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        "alliance.Organisation",
        models.PROTECT,
        related_name="ai_systems",
        verbose_name=_("owner"),
    )
    description = models.CharField(
        _("description (French)"),
        max_length=300,
        blank=True,
        help_text=_("What the sources say it is."),
    )
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    search_source = ("name", "description", "description_en")
    translated_fields = ("description", "correction")

    objects = AISystemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Fact.Meta):
        ordering = ["name"]
        verbose_name = _("AI system")
        verbose_name_plural = _("AI systems")
        indexes = [
            models.Index(fields=["updated_at"], name="aisystem_updated_idx"),
            models.Index(fields=["name", "slug"], name="aisystem_name_slug_idx"),
            models.Index(fields=["status"], name="aisystem_status_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("public:aisystem-detail", self.slug)

    def slug_parts(self):
        return [self.name]

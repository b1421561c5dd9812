"""What the sources say between two parties, and about one, that is not a stance on a topic.

A relation links two parties (organisations or people): who criticises whom, who
competes with whom, what is part of what. A claim is something a source says about one
party: IBM's rising revenue from generative AI, the questions its motives raise. Both
are facts: each rests on a passage, and can be disputed or corrected.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.models.base import Searchable
from alliance.models.facts import Fact, FactQuerySet


class RelationKind(models.TextChoices):
    CRITICISES = "criticises", _("criticises")
    COMPETES_WITH = "competes_with", _("competes with")
    PART_OF = "part_of", _("is part of")
    RESPONDS_TO = "responds_to", _("responds to")
    WARNS_AGAINST = "warns_against", _("warns against")


def party_constraint(prefix, name, message):
    """Exactly one of `<prefix>_organisation` and `<prefix>_person` is set."""
    return models.CheckConstraint(
        condition=(
            Q(**{f"{prefix}_organisation__isnull": False, f"{prefix}_person__isnull": True})
            | Q(**{f"{prefix}_organisation__isnull": True, f"{prefix}_person__isnull": False})
        ),
        name=name,
        violation_error_message=message,
    )


def party_field(prefix, verbose_name, model, **kwargs):
    return models.ForeignKey(
        model,
        models.PROTECT,
        null=True,
        blank=True,
        related_name=f"{prefix}_%(class)ss",
        verbose_name=verbose_name,
        **kwargs,
    )


#: Both parties of a relation, to join in one query.
RELATION_PARTIES = (
    "subject_organisation",
    "subject_person",
    "object_organisation",
    "object_person",
)
#: The party a claim is about and who said it, to join in one query.
CLAIM_PARTIES = ("about_organisation", "about_person", "said_by_organisation", "said_by_person")


class RelationQuerySet(FactQuerySet):
    search_paths = (
        "search_text",
        "subject_organisation__search_text",
        "subject_person__search_text",
        "object_organisation__search_text",
        "object_person__search_text",
    )
    search_choices = {"kind": RelationKind}

    def involving_organisation(self, organisation):
        return self.filter(
            Q(subject_organisation=organisation) | Q(object_organisation=organisation)
        )

    def involving_person(self, person):
        return self.filter(Q(subject_person=person) | Q(object_person=person))


class Relation(Fact, Searchable):
    """A link a source states between two parties: "LeCun criticises OpenAI"."""

    search_source = ("summary", "summary_en")
    translated_fields = ("summary", "correction")

    subject_organisation = party_field("subject", _("organisation"), "alliance.Organisation")
    subject_person = party_field("subject", _("person"), "alliance.Person")
    kind = models.CharField(_("relation"), max_length=16, choices=RelationKind)
    object_organisation = party_field("object", _("towards organisation"), "alliance.Organisation")
    object_person = party_field("object", _("towards person"), "alliance.Person")
    summary = models.CharField(
        _("summary (French)"), max_length=300, help_text=_("What the source says, in one sentence.")
    )
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)

    objects = RelationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Fact.Meta):
        ordering = ["kind", "slug"]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            *Fact.Meta.constraints,
            party_constraint(
                "subject",
                "relation_has_one_subject",
                _("A relation starts from exactly one organisation or one person."),
            ),
            party_constraint(
                "object",
                "relation_has_one_object",
                _("A relation points to exactly one organisation or one person."),
            ),
            models.CheckConstraint(
                condition=~Q(subject_organisation=models.F("object_organisation")),
                name="relation_not_to_itself",
                violation_error_message=_("An organisation has no relation with itself here."),
            ),
        ]
        indexes = [
            models.Index(fields=["updated_at"], name="relation_updated_idx"),
            models.Index(fields=["kind"], name="relation_kind_idx"),
        ]

    def __str__(self):
        return f"{self.subject} {self.get_kind_display()} {self.object}"

    @property
    def subject(self):
        return self.subject_organisation or self.subject_person

    @property
    def object(self):
        return self.object_organisation or self.object_person

    def get_absolute_url(self):
        return f"{self.subject.get_absolute_url()}#{self.slug}"

    def slug_parts(self):
        return [self.subject.slug, self.kind, self.object.slug]


class ClaimQuerySet(FactQuerySet):
    search_paths = (
        "search_text",
        "about_organisation__search_text",
        "about_person__search_text",
    )


class Claim(Fact, Searchable):
    """Something a source says about one party that is not a stance on a topic.

    `said_by_*` names who said it, when the article reports someone's words; empty, it is
    the article's own statement.
    """

    search_source = ("summary", "summary_en")
    translated_fields = ("summary", "correction")

    about_organisation = party_field("about", _("about organisation"), "alliance.Organisation")
    about_person = party_field("about", _("about person"), "alliance.Person")
    said_by_organisation = party_field(
        "said_by", _("said by organisation"), "alliance.Organisation"
    )
    said_by_person = party_field("said_by", _("said by person"), "alliance.Person")
    summary = models.CharField(
        _("summary (French)"), max_length=300, help_text=_("What the source says, in one sentence.")
    )
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    is_quote = models.BooleanField(
        _("direct quote"),
        default=False,
        help_text=_("The cited passage is the speaker's own words."),
    )

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Fact.Meta):
        ordering = ["slug"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            *Fact.Meta.constraints,
            party_constraint(
                "about",
                "claim_about_one_party",
                _("A claim is about exactly one organisation or one person."),
            ),
            models.CheckConstraint(
                condition=Q(said_by_organisation__isnull=True) | Q(said_by_person__isnull=True),
                name="claim_said_by_at_most_one",
                violation_error_message=_("A claim is said by one party at most."),
            ),
            models.CheckConstraint(
                condition=Q(is_quote=False)
                | Q(said_by_organisation__isnull=False)
                | Q(said_by_person__isnull=False),
                name="claim_quote_has_speaker",
                violation_error_message=_(
                    "A direct quote needs the person or organisation who said it."
                ),
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="claim_updated_idx")]

    def __str__(self):
        return f"{self.about}: {self.localised('summary')}"

    @property
    def about(self):
        return self.about_organisation or self.about_person

    @property
    def said_by(self):
        return self.said_by_organisation or self.said_by_person

    def get_absolute_url(self):
        return f"{self.about.get_absolute_url()}#{self.slug}"

    def slug_parts(self):
        return [self.about.slug, *self.summary.split()[:6]]

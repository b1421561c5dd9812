"""People named by the sources, and the titles they hold at organisations, for a time."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.addresses import slug_url
from alliance.models.base import Searchable, SlugNamed
from alliance.models.facts import Fact, Period, PeriodQuerySet
from alliance.models.organisations import wikidata_field
from alliance.search import fold


class Person(SlugNamed):
    wikidata_id = wikidata_field()
    sort_name = models.CharField(max_length=200, editable=False, default="")

    history = HistoricalRecords()

    class Meta(SlugNamed.Meta):
        ordering = ["sort_name", "slug"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["updated_at"], name="person_updated_idx"),
            models.Index(fields=["name", "slug"], name="person_name_slug_idx"),
            models.Index(fields=["sort_name", "slug"], name="person_sort_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="person_wikidata_id_unique",
                violation_error_message=_("Another person has this Wikidata identifier."),
            ),
        ]

    def fill_sort_names(self):
        self.sort_name = fold(self.name)

    def get_absolute_url(self):
        return slug_url("public:person-detail", self.slug)


class RoleQuerySet(PeriodQuerySet):
    search_paths = ("search_text", "person__search_text", "organisation__search_text")


class Role(Period, Fact, Searchable):
    """A title a person holds at an organisation for a time, as a source gives it."""

    translated_fields = ("title", "correction")
    search_source = ("title", "title_en")

    person = models.ForeignKey(
        Person, models.PROTECT, related_name="roles", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        "alliance.Organisation",
        models.PROTECT,
        related_name="roles",
        verbose_name=_("organisation"),
    )
    title = models.CharField(
        _("title (French)"),
        max_length=300,
        help_text=_("In the source's words, e.g. “vice-président principal”."),
    )
    title_en = models.CharField(
        _("title (English)"),
        max_length=300,
        blank=True,
        help_text=_("The record's translation, e.g. “senior vice president”."),
    )
    objects = RoleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Fact.Meta):
        ordering = ["person__sort_name", "organisation__sort_name", "title", "started_on"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            *Fact.Meta.constraints,
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["person", "organisation", "title", "started_on"],
                name="role_title_period_once",
                violation_error_message=_(
                    "This person already has this title here from that date."
                ),
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="role_title_not_empty"),
        ]
        indexes = [
            models.Index(fields=["updated_at"], name="role_updated_idx"),
            models.Index(fields=["status"], name="role_status_idx"),
        ]

    def __str__(self):
        return f"{self.person}, {self.localised('title')} ({self.organisation})"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def slug_parts(self):
        return [self.person.slug, self.organisation.slug, self.title]

    def clean(self):
        super().clean()
        if not (self.person_id and self.organisation_id and self.title):
            return
        others = Role.objects.filter(
            person_id=self.person_id, organisation_id=self.organisation_id, title=self.title
        )
        clash = self.overlaps(others)
        if clash is not None:
            raise ValidationError(
                _("%(person)s already holds this title here %(other)s: end that period first.")
                % {"person": self.person, "other": clash.period_in_words() or _("without dates")},
                code="overlapping_period",
            )

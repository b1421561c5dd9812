"""People named by the sources, and the titles they hold at organisations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.addresses import slug_url
from alliance.models.base import SlugNamed, SlugQuerySet
from alliance.models.facts import Fact


class Person(SlugNamed):
    history = HistoricalRecords()

    class Meta(SlugNamed.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def get_absolute_url(self):
        return slug_url("public:person-detail", self.slug)


class RoleQuerySet(SlugQuerySet):
    search_paths = ("person__search_text", "organisation__search_text")


class Role(Fact):
    """A title a person holds at an organisation, as a source gives it."""

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
        _("title"),
        max_length=300,
        help_text=_("In the source's words and language, e.g. “vice-président principal”."),
    )

    objects = RoleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Fact.Meta):
        ordering = ["person__name", "organisation__name", "title"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            *Fact.Meta.constraints,
            models.UniqueConstraint(
                fields=["person", "organisation", "title"],
                name="role_title_once_per_person_and_organisation",
                violation_error_message=_("This person already has this title here."),
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="role_title_not_empty"),
        ]

    def __str__(self):
        return f"{self.person}, {self.title} ({self.organisation})"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def slug_parts(self):
        return [self.person.slug, self.organisation.slug, self.title]

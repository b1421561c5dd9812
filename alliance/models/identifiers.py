"""Identifiers other registers give the same organisation or person, beyond Wikidata's."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.models.base import Record


class Scheme(models.TextChoices):
    ROR = "ror", "ROR"
    LEI = "lei", "LEI"
    ISNI = "isni", "ISNI"
    ORCID = "orcid", "ORCID"
    VIAF = "viaf", "VIAF"


#: What a well-formed identifier of each scheme looks like, and who it can name.
FORMATS = {
    Scheme.ROR: (re.compile(r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$"), "03yrm5c26", ("organisation",)),
    Scheme.LEI: (re.compile(r"^[A-Z0-9]{18}[0-9]{2}$"), "VGRQXHF3J8VDLUA7XE92", ("organisation",)),
    Scheme.ISNI: (re.compile(r"^[0-9]{15}[0-9X]$"), "0000000121581434", ("organisation", "person")),
    Scheme.ORCID: (
        re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"),
        "0000-0002-1825-0097",
        ("person",),
    ),
    Scheme.VIAF: (re.compile(r"^[1-9][0-9]{1,21}$"), "139727540", ("organisation", "person")),
}


class ExternalIdentifier(Record):
    organisation = models.ForeignKey(
        "alliance.Organisation",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="identifiers",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "alliance.Person",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="identifiers",
        verbose_name=_("person"),
    )
    scheme = models.CharField(_("register"), max_length=8, choices=Scheme)
    value = models.CharField(
        _("identifier"),
        max_length=40,
        help_text=_("As the register writes it, without its address."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "value"]
        verbose_name = _("external identifier")
        verbose_name_plural = _("external identifiers")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, person__isnull=True)
                | Q(organisation__isnull=True, person__isnull=False),
                name="identifier_names_one_party",
                violation_error_message=_("An identifier names one organisation or one person."),
            ),
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="identifier_once_per_register",
                violation_error_message=_("This identifier is already on record."),
            ),
        ]
        # The record's last change (`alliance.freshness`): MAX() reads the index's end.
        indexes = [models.Index(fields=["updated_at"], name="identifier_updated_idx")]

    def __str__(self):
        return f"{self.get_scheme_display()} {self.value}"

    def clean(self):
        super().clean()
        if self.scheme not in FORMATS or not self.value:
            return
        pattern, example, parties = FORMATS[self.scheme]
        self.value = self.value.strip()
        if not pattern.match(self.value):
            raise ValidationError(
                {
                    "value": _("Not a %(scheme)s identifier; they look like %(example)s.")
                    % {"scheme": self.get_scheme_display(), "example": example}
                },
                code="invalid_identifier",
            )
        party = "organisation" if self.organisation_id else "person"
        if party not in parties:
            raise ValidationError(
                {
                    "scheme": _("%(scheme)s does not identify this kind of party.")
                    % {"scheme": self.get_scheme_display()}
                },
                code="wrong_register",
            )

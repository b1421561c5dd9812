"""What every sourced fact has: its citation, and a record of disputes and corrections."""

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from alliance.models.base import Record


class FactStatus(models.TextChoices):
    AS_REPORTED = "as_reported", _("as reported")
    DISPUTED = "disputed", _("disputed")
    CORRECTED = "corrected", _("corrected")


class Fact(Record):
    """A statement taken from an article. The claim and its citation stay on record even
    when editors dispute or correct it: the correction sits beside them."""

    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Made from the fact's parts when left empty."),
    )
    citation = models.ForeignKey(
        "alliance.Citation",
        models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("citation"),
        help_text=_("The passage of an article that states this fact."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FactStatus, default=FactStatus.AS_REPORTED
    )
    correction = models.TextField(
        _("correction"),
        blank=True,
        help_text=_("Why the fact is disputed, or what is correct instead."),
    )
    correction_source = models.URLField(
        _("source of the correction"),
        blank=True,
        help_text=_("Where the dispute or correction comes from."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=FactStatus.AS_REPORTED) | ~models.Q(correction=""),
                name="%(class)s_dispute_is_explained",
                violation_error_message=_(
                    "A disputed or corrected fact needs a note saying what is wrong."
                ),
            ),
        ]

    def natural_key(self):
        return (self.slug,)

    def slug_parts(self):
        """The words a new slug is made of, e.g. the member's and the coalition's slugs."""
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug(slugify(" ".join(self.slug_parts()))[:190])
        super().save(*args, **kwargs)

    def unique_slug(self, base):
        taken = set(
            type(self)._default_manager.filter(slug__startswith=base).values_list("slug", flat=True)
        )
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        return candidate

    @property
    def is_disputed(self):
        return self.status != FactStatus.AS_REPORTED

"""What every sourced fact has: its citations, its time, and a record of corrections.

A fact rests on the passage of an article that first states it (`citation`) and on any
later passages that confirm it (`Source` rows), each quoted word for word. The claim and
its citations stay on record when editors dispute or correct it: the correction sits
beside them, with its own source. What "public" and "counts" mean is said once, in
`FactQuerySet`, and every page, list, count, feed and the API ask it.
"""

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.models.articles import Citation
from alliance.models.base import Record, SlugQuerySet, Translatable
from alliance.models.dates import DatePrecision, in_words, last_day, period_wording, truncate

#: Where `with_sources()` puts each fact's further sources (`Fact.further()`).
PREFETCHED_SOURCES = "prefetched_sources"


class FactStatus(models.TextChoices):
    AS_REPORTED = "as_reported", _("as reported")
    DISPUTED = "disputed", _("disputed")
    CORRECTED = "corrected", _("corrected")
    RETRACTED = "retracted", _("source retracted")


#: Statuses under which a fact no longer counts: shown with its correction, never counted.
NOT_COUNTED = (FactStatus.CORRECTED, FactStatus.RETRACTED)


class FactQuerySet(SlugQuerySet):
    def public(self):
        """Facts readers see: neither the fact nor the article it rests on is a draft."""
        # The passages of draft articles, excluded, rather than each fact joined to its
        # article: a count of 100,000 positions then reads only their own table (a third
        # of the time), and the few draft articles make a short list.
        in_drafts = Citation.objects.filter(article__draft=True)
        return self.filter(draft=False).exclude(citation__in=in_drafts)

    def standing(self):
        """Public facts that count: not corrected, not resting on retracted sources only.

        Disputed facts still count; pages flag them wherever they appear.
        """
        return self.public().exclude(status__in=NOT_COUNTED)

    def with_sources(self):
        """Prefetch the further sources readers may see (none from a draft article), each
        citation with its article and paragraph, so that `Fact.sources()` costs no query
        per fact.

        Into a plain list (`PREFETCHED_SOURCES`): Django would otherwise build a filtered
        queryset of the generic relation for each fact, most of the prefetch's time.
        """
        further = Source.objects.filter(citation__article__draft=False).select_related(
            "citation__article", "citation__paragraph__article"
        )
        return self.prefetch_related(
            Prefetch("further_sources", queryset=further, to_attr=PREFETCHED_SOURCES)
        )


class Fact(Record, Translatable):
    """A statement taken from an article, with the passage that states it."""

    translated_fields = ("correction",)

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
        help_text=_("The passage of an article that first states this fact."),
    )
    further_sources = GenericRelation("alliance.Source", related_query_name="%(class)s")
    status = models.CharField(
        _("status"), max_length=12, choices=FactStatus, default=FactStatus.AS_REPORTED
    )
    correction = models.TextField(
        _("correction (French)"),
        blank=True,
        help_text=_("Why the fact is disputed, or what is correct instead."),
    )
    correction_en = models.TextField(_("correction (English)"), blank=True)
    correction_citation = models.ForeignKey(
        "alliance.Citation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_corrections",
        verbose_name=_("correction's passage"),
        help_text=_("Where the correction comes from, when an article on record states it."),
    )
    correction_source = models.URLField(
        _("source of the correction"),
        blank=True,
        help_text=_("Where the correction comes from, when it is outside the record."),
    )
    correction_source_title = models.CharField(
        _("title of the correction's source"), max_length=300, blank=True
    )
    draft = models.BooleanField(
        _("draft"),
        default=False,
        help_text=_("Drafts are kept from the public site, its feeds and the API."),
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
            models.CheckConstraint(
                condition=~Q(status=FactStatus.CORRECTED)
                | Q(correction_citation__isnull=False)
                | ~Q(correction_source=""),
                name="%(class)s_correction_is_sourced",
                violation_error_message=_(
                    "A correction needs its source: a passage of an article on record, or "
                    "the address of the page it comes from."
                ),
            ),
            models.CheckConstraint(
                condition=Q(correction_source="") | ~Q(correction_source_title=""),
                name="%(class)s_correction_source_has_title",
                violation_error_message=_("Give the title of the page the correction comes from."),
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
        """Disputed, corrected or retracted: the page shows a note beside it."""
        return self.status != FactStatus.AS_REPORTED

    @property
    def counts(self):
        return self.status not in NOT_COUNTED

    def further(self):
        """The further sources, as `with_sources()` prefetched them when it did."""
        prefetched = getattr(self, PREFETCHED_SOURCES, None)
        return prefetched if prefetched is not None else list(self.further_sources.all())

    def sources(self):
        """Every citation the fact rests on, the earliest article first.

        Reads the further sources as prefetched (`with_sources()`), so a list costs no
        query per fact.
        """
        citations = [self.citation, *(source.citation for source in self.further())]
        return sorted(
            citations, key=lambda c: (c.article.published_on, c.article.slug, c.paragraph.number)
        )

    def clean(self):
        super().clean()
        if self.citation_id is not None:
            self.refuse_dates_after(self.citation.article, self.dates_reported())

    def dates_reported(self):
        """[(field, date, precision)] that the fact's own citation reports."""
        return []

    def refuse_dates_after(self, article, dates):
        """A source cannot report what happened after it was published."""
        published = last_day(article.published_on, article.date_precision)
        for field, value, precision in dates:
            if value is not None and truncate(value, precision) > published:
                raise ValidationError(
                    {
                        field: _(
                            "%(date)s is after the article that reports it (%(article)s, "
                            "published %(published)s)."
                        )
                        % {
                            "date": in_words(value, precision),
                            "article": article,
                            "published": in_words(article.published_on, article.date_precision),
                        }
                    },
                    code="dated_after_source",
                )


class PeriodQuerySet(FactQuerySet):
    def in_force(self, on=None):
        """Periods under way on the day `on` (today by default): started, not yet ended.

        A start known to the month counts from the first of the month; an end, likewise,
        from its first day.
        """
        on = on or datetime.date.today()
        return self.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=on),
            Q(ended_on__isnull=True) | Q(ended_on__gt=on),
        )

    def ended(self, on=None):
        on = on or datetime.date.today()
        return self.filter(ended_on__lte=on)


class Period(models.Model):
    """When a fact was true in the world, each end as precise as a source gives it.

    An end may have its own citation, when the passage that dates it is not the one that
    states the fact. "When the record said so" is the history's job, not this.
    """

    started_on = models.DateField(
        _("started"),
        null=True,
        blank=True,
        help_text=_("YYYY-MM-DD, or YYYY-MM for a month, YYYY for a year: as the source says."),
    )
    started_precision = models.CharField(
        _("start known to the"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    start_citation = models.ForeignKey(
        "alliance.Citation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_starts",
        verbose_name=_("passage dating the start"),
        help_text=_("When another passage than the fact's own gives the date."),
    )
    ended_on = models.DateField(
        _("ended"),
        null=True,
        blank=True,
        help_text=_("Empty while it lasts."),
    )
    ended_precision = models.CharField(
        _("end known to the"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    end_citation = models.ForeignKey(
        "alliance.Citation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_ends",
        verbose_name=_("passage dating the end"),
        help_text=_("The passage that says it ended, when it is not the fact's own."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="%(class)s_ends_after_it_starts",
                violation_error_message=_("The end comes before the start."),
            ),
        ]

    @property
    def has_ended(self):
        return self.ended_on is not None and self.ended_on <= datetime.date.today()

    @property
    def started_in_words(self):
        return in_words(self.started_on, self.started_precision)

    @property
    def ended_in_words(self):
        return in_words(self.ended_on, self.ended_precision)

    def period_in_words(self):
        """ "since July 2023", "from July 2023 to March 2024", "until 14 March 2024", or ""."""
        wording = period_wording(
            self.started_on, self.started_precision, self.ended_on, self.ended_precision
        )
        return wording % {"start": self.started_in_words, "end": self.ended_in_words}

    def is_in_force(self, on=None):
        on = on or datetime.date.today()
        return (self.started_on is None or self.started_on <= on) and (
            self.ended_on is None or self.ended_on > on
        )

    def clean(self):
        """Dates cut to their precision, an end after its start, neither after its source."""
        if self.started_on is not None:
            self.started_on = truncate(self.started_on, self.started_precision)
        if self.ended_on is not None:
            self.ended_on = truncate(self.ended_on, self.ended_precision)
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": _("The end comes before the start.")}, code="ends_before_start"
            )
        super().clean()
        ends = (
            (self.start_citation, "started_on", self.started_precision),
            (self.end_citation, "ended_on", self.ended_precision),
        )
        for citation, field, precision in ends:
            if citation is not None and getattr(self, field) is not None:
                self.refuse_dates_after(
                    citation.article, [(field, getattr(self, field), precision)]
                )

    def dates_reported(self):
        dates = []
        if self.start_citation_id is None:
            dates.append(("started_on", self.started_on, self.started_precision))
        if self.end_citation_id is None:
            dates.append(("ended_on", self.ended_on, self.ended_precision))
        return dates

    def overlaps(self, others):
        """The first of `others` (periods of the same thing) whose time meets this one's."""
        for other in others:
            if other.pk == self.pk:
                continue
            starts_before_other_ends = (
                self.started_on is None
                or other.ended_on is None
                or self.started_on < other.ended_on
            )
            other_starts_before_this_ends = (
                other.started_on is None
                or self.ended_on is None
                or other.started_on < self.ended_on
            )
            if starts_before_other_ends and other_starts_before_this_ends:
                return other
        return None


class Source(Record):
    """A further passage that states a fact: a later report, a confirmation."""

    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    fact = GenericForeignKey("content_type", "object_id")
    citation = models.ForeignKey(
        "alliance.Citation",
        models.PROTECT,
        related_name="confirmations",
        verbose_name=_("citation"),
        help_text=_("Another passage, of this or a later article, that states the same fact."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type", "object_id", "citation"]
        verbose_name = _("further source")
        verbose_name_plural = _("further sources")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "citation"],
                name="source_once_per_fact",
                violation_error_message=_("This passage is already a source of this fact."),
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="source_fact_idx"),
            # The record's last change (`alliance.freshness`): MAX() reads the index's end.
            models.Index(fields=["updated_at"], name="source_updated_idx"),
        ]

    def __str__(self):
        return f"{self.fact} — {self.citation}"

    def clean(self):
        super().clean()
        fact = self.fact
        if (
            fact is not None
            and self.citation_id is not None
            and fact.citation_id == self.citation_id
        ):
            raise ValidationError(
                {"citation": _("This passage is already the fact's first source.")},
                code="source_is_first_citation",
            )

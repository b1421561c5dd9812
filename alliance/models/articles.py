"""Articles, their numbered paragraphs, and the passages (citations) that facts rest on."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.addresses import slug_url
from alliance.models.base import (
    Record,
    Searchable,
    SlugQuerySet,
    active_language,
    original_or_translation,
)
from alliance.models.dates import DatePrecision, in_words, iso, truncate


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class ArticleQuerySet(SlugQuerySet):
    def public(self):
        return self.filter(draft=False)


class Article(Record, Searchable):
    """A source: its words are kept as published, in its own language.

    Its title is the source's; `title_translation` is the record's own translation of it
    into the site's other language.
    """

    search_source = ("title", "title_translation")

    title = models.CharField(_("title"), max_length=300, help_text=_("As published."))
    title_translation = models.CharField(
        _("title, translated"),
        max_length=300,
        blank=True,
        help_text=_("The record's translation of the title into the site's other language."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    published_on = models.DateField(
        _("published on"),
        help_text=_("When only the month or year is known, the first day of it."),
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("How much of the publication date the source gives."),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language)
    source_url = models.URLField(
        _("original address"), blank=True, help_text=_("Where the article was published.")
    )
    outlet = models.ForeignKey(
        "alliance.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        limit_choices_to={"kind": "news_outlet"},
        verbose_name=_("outlet"),
        help_text=_("The news outlet that published it, when the source says."),
    )
    authors = models.CharField(
        _("author(s)"),
        max_length=300,
        blank=True,
        help_text=_("As the article signs it; empty when it is not signed."),
    )
    draft = models.BooleanField(
        _("draft"),
        default=False,
        help_text=_(
            "A draft article, and every fact citing it, is kept from the public site, its "
            "feeds and the API until someone allowed to publish unticks this."
        ),
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", "Can publish draft articles and their facts")]
        indexes = [
            models.Index(fields=["updated_at"], name="article_updated_idx"),
            models.Index(fields=["published_on", "title"], name="article_published_idx"),
            models.Index(fields=["language"], name="article_language_idx"),
        ]

    def __str__(self):
        return self.title

    def localised(self, field, language=None):
        """The title in `language` (the active one by default): the source's own when the
        article is in it, else the record's translation, else the source's, flagged."""
        if field != "title":
            raise ValueError(f"An article translates its title only, not {field!r}.")
        return original_or_translation(self.title, self.language, self.title_translation, language)

    @property
    def local_title(self):
        """The title in the active language, as a plain text (for `<title>`, feeds)."""
        return self.localised("title")

    def gloss(self, language=None):
        """The record's translation of the title for a reader of `language`, beside it."""
        language = language or active_language()
        return "" if language == self.language else self.title_translation

    @property
    def published_iso(self):
        """The publication date at the precision the source gives: 2023-12, not 2023-12-01."""
        return iso(self.published_on, self.date_precision)

    @property
    def published_in_words(self):
        return in_words(self.published_on, self.date_precision)

    def clean(self):
        super().clean()
        if self.published_on is not None:
            self.published_on = truncate(self.published_on, self.date_precision)

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return slug_url("public:article-detail", self.slug)

    def find_passage(self, passage):
        """Return the paragraph that holds `passage` word for word, or None."""
        for paragraph in self.paragraphs.all():
            if passage in paragraph.text:
                return paragraph
        return None

    def missing_words(self, passage):
        """Describe which words of `passage` the article does not hold, for error messages."""
        text = " ".join(paragraph.text for paragraph in self.paragraphs.all())
        words = passage.split()
        absent = [word for word in words if word not in text]
        if absent:
            return absent
        # Every word is there but not in this order: report from where the match breaks.
        for end in range(len(words), 0, -1):
            if " ".join(words[:end]) in text:
                return words[end:]
        return words


class ParagraphQuerySet(SlugQuerySet):
    def get_by_natural_key(self, article_slug, number):
        return self.get(article__slug=article_slug, number=number)


class Paragraph(Record, Searchable):
    search_source = ("section", "text", "translation")

    article = models.ForeignKey(Article, models.CASCADE, related_name="paragraphs")
    number = models.PositiveIntegerField(
        _("number"), help_text=_("Position in the article, from 1; also its anchor (#p1).")
    )
    section = models.CharField(
        _("section"),
        max_length=300,
        blank=True,
        help_text=_("Heading of the section the paragraph sits under; empty before the first."),
    )
    text = models.TextField(_("text"), help_text=_("Word for word, in the article's language."))
    translation = models.TextField(
        _("translation"),
        blank=True,
        help_text=_("The record's translation into the site's other language, for readers."),
    )

    objects = ParagraphQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "number"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        indexes = [models.Index(fields=["updated_at"], name="paragraph_updated_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="paragraph_number_unique_in_article"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="paragraph_number_from_one"
            ),
        ]

    def __str__(self):
        return f"{self.article} ¶{self.number}"

    def natural_key(self):
        return (*self.article.natural_key(), self.number)

    natural_key.dependencies = ["alliance.article"]

    @property
    def anchor(self):
        return f"p{self.number}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def gloss(self, language=None):
        """The record's translation for a reader of `language` (the active one by default):
        empty when the article is in that language, or when there is none."""
        language = language or active_language()
        return "" if language == self.article.language else self.translation


class Citation(Record, Searchable):
    """A passage, quoted word for word from one paragraph of an article."""

    search_source = ("passage", "translation")

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("Made from the passage when left empty."),
    )
    article = models.ForeignKey(
        Article, models.PROTECT, related_name="citations", verbose_name=_("article")
    )
    paragraph = models.ForeignKey(
        Paragraph,
        models.PROTECT,
        related_name="citations",
        editable=False,
        help_text=_("Found from the passage: the paragraph that holds it word for word."),
    )
    passage = models.TextField(
        _("passage"), help_text=_("Copied word for word from the article, accents and all.")
    )
    translation = models.TextField(
        _("gloss"),
        blank=True,
        help_text=_(
            "The record's translation of the passage into the site's other language: shown "
            "beside the original, never in its place."
        ),
    )

    objects = SlugQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "paragraph__number", "passage"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [models.Index(fields=["updated_at"], name="citation_updated_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "passage"], name="citation_passage_unique_in_article"
            ),
            models.CheckConstraint(
                condition=~models.Q(passage=""), name="citation_passage_not_empty"
            ),
        ]

    def __str__(self):
        return f"« {self.passage} » ({self.article}, ¶{self.paragraph.number})"

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        # The passage itself, marked in its paragraph: the article page gives each one an
        # anchor, so a fact points at its words, not at a paragraph holding several.
        return f"{self.paragraph.article.get_absolute_url()}#{self.slug}"

    def gloss(self, language=None):
        """The record's translation for a reader of `language` (the active one by default):
        empty when the article is in that language, or when there is none."""
        language = language or active_language()
        return "" if language == self.article.language else self.translation

    @staticmethod
    def make_slug(article_slug, passage):
        """A stable slug: the passage's first words and a short digest of article and passage."""
        digest = hashlib.sha256(f"{article_slug}\n{passage}".encode()).hexdigest()[:8]
        return f"{slugify(' '.join(passage.split()[:6]))[:60]}-{digest}"

    def clean(self):
        super().clean()
        if self.article_id and self.passage:
            self.locate()

    def locate(self):
        """Find the paragraph that holds the passage; refuse a passage the article lacks."""
        paragraph = self.article.find_passage(self.passage)
        if paragraph is None:
            missing = " ".join(self.article.missing_words(self.passage))
            raise ValidationError(
                {
                    "passage": _(
                        "This passage is not in “%(article)s” word for word. "
                        "Not found: “%(missing)s”."
                    )
                    % {"article": self.article, "missing": missing}
                },
                code="passage_not_in_article",
            )
        self.paragraph = paragraph
        if not self.slug:
            self.slug = self.make_slug(self.article.slug, self.passage)

    def save(self, *args, **kwargs):
        # Code that skips full_clean() still never stores a passage the article lacks.
        if (
            self.paragraph_id is None
            or self.paragraph.article_id != self.article_id
            or (self.passage not in self.paragraph.text)
        ):
            self.locate()
        super().save(*args, **kwargs)

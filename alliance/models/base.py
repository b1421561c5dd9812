"""Abstract bases shared by the content models."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.search import SearchQuerySet


class SlugQuerySet(SearchQuerySet):
    """Rows are found by slug: fixtures carry slugs, never database ids."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Record(models.Model):
    """Timestamps and an edit counter for optimistic locking in the admin.

    Timestamps use defaults rather than auto_now so that `loaddata`, which saves
    raw rows, still fills them in.
    """

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one at each save; an edit based on an older version is refused."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)


class Searchable(models.Model):
    """A row with a folded `search_text`, filled from `search_source` before each save."""

    search_source = ()

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def search_words(self):
        # Choices (a leaning, a relation's kind) are matched by their labels at query
        # time (`SearchQuerySet.search_choices`), in whatever the catalogues say today.
        return " ".join(str(getattr(self, name) or "") for name in self.search_source)


class SlugNamed(Record, Searchable):
    """A named row with a unique slug, which is also its natural key."""

    search_source = ("name",)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


#: The record's own language: editorial texts are written in it first, in the plain column.
RECORD_LANGUAGE = "fr"
#: The other language of the site: each editorial text has a `<field>_en` column too.
TRANSLATION_LANGUAGES = ("en",)


def text_column(field, language):
    """The column holding `field` in `language`: `summary` (French) or `summary_en`."""
    return field if language == RECORD_LANGUAGE else f"{field}_{language}"


class LocalisedText(str):
    """A text in the language asked for, or in another one when it has no translation.

    `language` is the language the words are in; `fallback` says they are not in the
    language asked for, which pages and the API say out loud ("(in French)").
    """

    language = RECORD_LANGUAGE
    fallback = False

    def __new__(cls, text, language, fallback=False):
        value = super().__new__(cls, text)
        value.language = language
        value.fallback = fallback
        return value


def active_language():
    """The language pages and answers are drawn in now: one of the site's, French otherwise."""
    from django.utils.translation import get_language

    language = (get_language() or RECORD_LANGUAGE)[:2]
    return language if language in (RECORD_LANGUAGE, *TRANSLATION_LANGUAGES) else RECORD_LANGUAGE


def original_or_translation(original, original_language, translation, language=None):
    """A source's own words (an article's title) in `language`: the words themselves when
    they are in it, else the record's translation, else the words flagged as a fallback."""
    language = language or active_language()
    if language == original_language or not translation:
        return LocalisedText(original, original_language, fallback=language != original_language)
    return LocalisedText(translation, language)


class Translatable(models.Model):
    """A row whose editorial texts exist in French (plain column) and English (`_en`).

    `translated_fields` names them. When the text of one language changes while the other
    stays as it was, the other is marked stale (`stale_translations` holds its column)
    until an editor rewrites it or confirms it; rewriting a stale text clears the mark and
    leaves the text it follows alone.
    """

    translated_fields = ()

    stale_translations = models.JSONField(
        _("stale translations"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Columns whose text no longer follows a newer text in the other language."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.track_translations()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "stale_translations"}
        super().save(*args, **kwargs)
        self._loaded_texts = {
            column: getattr(self, column) for column in self.translation_columns()
        }

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        # Only the columns that were loaded: reading a deferred one would cost a query.
        instance._loaded_texts = {
            column: instance.__dict__[column]
            for column in cls.translation_columns()
            if column in instance.__dict__
        }
        return instance

    @classmethod
    def translation_columns(cls):
        return [
            text_column(field, language)
            for field in cls.translated_fields
            for language in (RECORD_LANGUAGE, *TRANSLATION_LANGUAGES)
        ]

    def localised(self, field, language=None):
        """`field` in `language` (the active one by default), or in the other one, flagged."""
        from django.utils.translation import get_language

        language = (language or get_language() or RECORD_LANGUAGE)[:2]
        if language not in (RECORD_LANGUAGE, *TRANSLATION_LANGUAGES):
            language = RECORD_LANGUAGE
        text = getattr(self, text_column(field, language))
        if text:
            return LocalisedText(text, language)
        for other in (RECORD_LANGUAGE, *TRANSLATION_LANGUAGES):
            text = getattr(self, text_column(field, other))
            if text:
                return LocalisedText(text, other, fallback=True)
        return LocalisedText("", language)

    def missing_translations(self):
        """Columns left empty while the same text exists in the other language."""
        missing = []
        for field in self.translated_fields:
            texts = {
                language: getattr(self, text_column(field, language))
                for language in (RECORD_LANGUAGE, *TRANSLATION_LANGUAGES)
            }
            if any(texts.values()):
                missing += [text_column(field, lang) for lang, text in texts.items() if not text]
        return missing

    def confirm_translation(self, column):
        """An editor says the text in `column` still says what the other language says."""
        self.stale_translations = [name for name in self.stale_translations if name != column]

    def stored_texts(self):
        if self._state.adding or self.pk is None:
            return {}
        if hasattr(self, "_loaded_texts"):
            return self._loaded_texts
        # Built in memory (a revert from the history, for one): read what is stored.
        row = type(self)._base_manager.filter(pk=self.pk).values(*self.translation_columns())
        return row.first() or {}

    def track_translations(self):
        stored = self.stored_texts()
        stale = set(self.stale_translations)
        languages = (RECORD_LANGUAGE, *TRANSLATION_LANGUAGES)
        for field in self.translated_fields:
            columns = {language: text_column(field, language) for language in languages}
            texts = {language: getattr(self, column) for language, column in columns.items()}
            changed = (
                {
                    language
                    for language, column in columns.items()
                    if texts[language]
                    and (column not in stored or stored[column] != texts[language])
                }
                if stored
                else {language for language in languages if texts[language]}
            )
            for language, column in columns.items():
                if not texts[language]:
                    stale.discard(column)  # Missing, which is not the same as stale.
            if len(changed) == len(languages):
                stale.difference_update(columns.values())
            elif len(changed) == 1 and stored:
                (language,) = changed
                if columns[language] in stale:
                    stale.discard(columns[language])  # The stale text caught up.
                else:
                    stale.update(
                        column
                        for other, column in columns.items()
                        if other != language and texts[other]
                    )
        self.stale_translations = sorted(stale)

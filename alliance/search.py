"""Accent- and case-insensitive search by whole words and their beginnings, the same on
SQLite and PostgreSQL.

Each searchable row keeps a `search_text` column: its words folded by `fold()` (no
accents, case-folded, one kind of apostrophe), split on anything that is not a letter
or a digit, each word preceded by a space (`index_words()`). A query word matches the
beginning of a word: `LIKE '% ferm%'`, so "ferm" finds "fermé", "dario" finds "Darío",
and "cun" does not find "aucune". On PostgreSQL a trigram index serves that `LIKE`.

Choices (a position's leaning, a relation's kind) are found by their labels in every
language of the site: "closed" and "fermé" both find the closed positions.
"""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.utils import translation

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"\w+")


def fold(text):
    """Return `text` without accents, case-folded, with plain apostrophes and single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare.casefold()).strip()


def words(text):
    """The folded words of `text`: "d’OpenAI (ChatGPT)" gives ["d", "openai", "chatgpt"]."""
    return _WORDS.findall(fold(text or ""))


def index_words(text):
    """What `search_text` keeps: each folded word after a space, so that a query word is
    matched at the beginning of a word only."""
    return "".join(f" {word}" for word in words(text))


#: A query of at most this many words is also read with two neighbours written as one.
JOINED_READINGS_UP_TO = 4


def readings(query_words):
    """The ways a query is read: its words, and, for a short query, the same with two
    neighbouring words written as one ("Le Cun" is also "lecun", "Open AI" "openai")."""
    found = [query_words]
    if len(query_words) <= JOINED_READINGS_UP_TO:
        for index in range(len(query_words) - 1):
            joined = query_words[index] + query_words[index + 1]
            found.append([*query_words[:index], joined, *query_words[index + 2 :]])
    return found


def marked_words(query):
    """Every word a text's word may begin with to be marked as found by `query`."""
    return list(dict.fromkeys(word for reading in readings(words(query)) for word in reading))


def matches(word, query_words):
    """Whether a folded word begins with one of the query's words."""
    return any(word.startswith(query_word) for query_word in query_words)


def choice_values(choices, query_word):
    """The values of `choices` whose label, in any language of the site, has a word that
    begins with `query_word`."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                if matches_any_word(str(label), query_word):
                    found.add(value)
    return found


def matches_any_word(text, query_word):
    return any(word.startswith(query_word) for word in words(text))


class SearchQuerySet(models.QuerySet):
    """QuerySet whose `search()` matches every word of the query, in any order, at the
    beginning of a word."""

    #: Where the folded words are: this row's own, or those of rows it points to.
    search_paths = ("search_text",)
    #: Fields with choices found by their labels: {"leaning": Leaning}.
    search_choices = {}

    def search(self, query):
        """Rows matching every word of one reading of `query` (`readings()`)."""
        query_words = words(query)
        if not query_words:
            return self
        condition = models.Q()
        for reading in readings(query_words):
            every_word = models.Q()
            for word in reading:
                every_word &= self.word_condition(word)
            condition |= every_word
        return self.filter(condition)

    def word_condition(self, word):
        """Rows with a word beginning with `word`, in their own words or their choices'."""
        condition = models.Q()
        for path in self.search_paths:
            condition |= models.Q(**{f"{path}__contains": f" {word}"})
        for field, choices in self.search_choices.items():
            values = choice_values(choices, word)
            if values:
                condition |= models.Q(**{f"{field}__in": sorted(values)})
        return condition

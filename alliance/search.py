"""Accent- and case-insensitive search that works the same on SQLite and PostgreSQL.

Each searchable row keeps a `search_text` column: its words folded by `fold()`
(no accents, case-folded, one kind of apostrophe). Queries are folded the same
way, so "dario" finds "Darío" and "attenuer" finds "Atténuer" on any database.
"""

import re
import unicodedata

from django.db import models

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_SPACES = re.compile(r"\s+")


def fold(text):
    """Return `text` without accents, case-folded, with plain apostrophes and single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare.casefold()).strip()


class SearchQuerySet(models.QuerySet):
    """QuerySet whose `search()` matches every word of the query, in any order."""

    #: Where the folded words are: this row's own, or those of rows it points to.
    search_paths = ("search_text",)

    def search(self, query):
        words = fold(query or "").split()
        if not words:
            return self
        for word in words:
            condition = models.Q()
            for path in self.search_paths:
                condition |= models.Q(**{f"{path}__contains": word})
            self = self.filter(condition)
        return self

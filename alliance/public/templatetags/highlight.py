"""Search results with the words that matched marked: `{{ text|highlight:query }}`, and
`{{ text|excerpt:query }}` for long text, around its first match.

A word is marked when it begins with one of the query's words, accents and case aside,
as `alliance.search` matches it. Everything else is escaped.
"""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from alliance.search import fold, marked_words, matches, words

register = template.Library()

_WORD = re.compile(r"(\w+)")
#: Words of context kept before the first match of a long text, and in all.
BEFORE, LENGTH = 10, 30


def _marked(text, query_words):
    parts = []
    for index, token in enumerate(_WORD.split(text)):
        if index % 2 and matches(fold(token), query_words):
            parts.append(format_html("<mark>{}</mark>", token))
        else:
            parts.append(conditional_escape(token))
    return mark_safe("".join(parts))


@register.filter
def highlight(text, query):
    query_words = marked_words(query)
    text = str(text or "")
    return _marked(text, query_words) if query_words else conditional_escape(text)


@register.filter
def excerpt(text, query):
    """About thirty words of `text` around the first one the query matches, marked."""
    query_words = marked_words(query)
    chunks = str(text or "").split()
    first = next(
        (
            index
            for index, chunk in enumerate(chunks)
            if any(matches(word, query_words) for word in words(chunk))
        ),
        0,
    )
    start = max(0, min(first - BEFORE, len(chunks) - LENGTH))
    end = start + LENGTH
    shown = " ".join(chunks[start:end])
    return format_html(
        "{}{}{}",
        "… " if start > 0 else "",
        _marked(shown, query_words) if query_words else shown,
        " …" if end < len(chunks) else "",
    )

"""Template helpers of the public pages: languages, canonical links, JSON-LD, dates."""

import json

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, get_language_info, pgettext_lazy

from alliance import fragments
from alliance.addresses import absolute_url
from alliance.models.base import LocalisedText, active_language
from alliance.models.dates import in_words, iso, period_wording

register = template.Library()

#: schema.org and Open Graph speak in locales, not language codes.
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def record_language():
    """The language the record's own words are written in (summaries, titles, quotes)."""
    return settings.LANGUAGE_CODE


#: Said after a text shown in another language than the page's, for want of a translation.
FALLBACK_LABELS = {
    "fr": pgettext_lazy("text shown for want of a translation", "(in French)"),
    "en": pgettext_lazy("text shown for want of a translation", "(in English)"),
}


def in_page_language(words, truncate=None):
    """A `LocalisedText` for the page: as it is when in the page's language, else in an
    element carrying its `lang`, with "(in French)" when it stands in for a translation."""
    text = Truncator(words).words(truncate) if truncate else str(words)
    if not words or words.language == active_language():
        return conditional_escape(text)
    label = ""
    if words.fallback:
        label = format_html(
            ' <span class="translation-fallback">{}</span>', FALLBACK_LABELS[words.language]
        )
    return format_html('<span lang="{}">{}</span>{}', words.language, text, label)


@register.simple_tag
def text(record, field, words=None):
    """What the record says in `field`, in the reader's language: every editorial text
    (summaries, titles, descriptions, names, corrections) is printed through this tag.

    `{% text position "summary" %}`; `words=6` truncates. A text with no translation is
    shown in its own language, marked with its `lang` and labelled "(in French)".
    """
    if record is None:
        return ""
    return in_page_language(record.localised(field), truncate=words)


@register.simple_tag
def gloss(quoted):
    """The record's translation of a quoted passage or paragraph for this page's reader,
    beside the original (which stays word for word in its own language); empty when the
    source is in the page's language or has no translation."""
    translation = quoted.gloss()
    if not translation:
        return ""
    return format_html(
        ' <span class="gloss" lang="{}"><span class="gloss-label">{}</span> {}</span>',
        active_language(),
        pgettext_lazy("a quoted passage's translation", "The record’s translation:"),
        LocalisedText(translation, active_language()),
    )


@register.simple_tag(takes_context=True)
def other_languages(context):
    """The current page in each other language: [{code, name, url}], query string kept."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        info = get_language_info(code)
        url = translate_url(request.get_full_path(), code)
        if url == request.get_full_path():
            # An address that resolves to nothing (a 404) has no twin: the other
            # language's home page is the nearest place in it.
            url = translate_url(reverse("public:home"), code)
        links.append({"code": code, "name": info["name_local"].capitalize(), "url": url})
    return links


@register.simple_tag(takes_context=True)
def alternate_urls(context):
    """Absolute addresses of this page in every language, and the default one (x-default)."""
    request = context.get("request")
    if request is None:
        return []
    links = [
        {"code": code, "url": request.build_absolute_uri(translate_url(request.path, code))}
        for code, _name in settings.LANGUAGES
    ]
    default = next(link for link in links if link["code"] == settings.LANGUAGE_CODE)
    return [*links, {"code": "x-default", "url": default["url"]}]


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's one address: no filters, no search; the page number when beyond 1."""
    request = context.get("request")
    if request is None:
        return ""
    url = request.build_absolute_uri(request.path)
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


@register.simple_tag
def og_locale(code=None):
    return OG_LOCALES.get(code or get_language(), "fr_FR")


@register.simple_tag
def og_alternate_locales():
    current = get_language()
    return [OG_LOCALES[code] for code, _name in settings.LANGUAGES if code != current]


@register.simple_tag(takes_context=True)
def json_ld(context, data):
    """A `<script type="application/ld+json">`, carrying the CSP nonce when there is one."""
    if not data:
        return ""
    payload = json.dumps(data, ensure_ascii=False, indent=None).translate(_JSON_ESCAPES)
    nonce = context.get("csp_nonce")
    if nonce:
        return format_html(
            '<script type="application/ld+json" nonce="{}">{}</script>', nonce, mark_safe(payload)
        )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag
def partial_date(value, precision):
    """A date as precise as its source: `<time datetime="2023-12">décembre 2023</time>`."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', iso(value, precision), in_words(value, precision)
    )


def _end(value, precision, citation, fact):
    """A period's end: its date in a <time>, and the passage that dates it when that is
    not the fact's own (its article named when it is another one)."""
    date = partial_date(value, precision)
    if citation is None:
        return date
    source = mark_safe(render_to_string("includes/_source.html", {"citation": citation}).strip())
    if citation.article_id == fact.citation.article_id:
        return format_html("{} {}", date, source)
    return format_html(
        '{} <span class="period-source">(<span lang="{}">{}</span>, {})</span>',
        date,
        citation.article.language,
        Truncator(citation.article.title).words(6),
        source,
    )


@register.simple_tag
def period(fact):
    """When a fact was true, as precisely as its sources say: "since December 2023",
    "from July 2023 to March 2024", "until 2024"; empty when no source dates it.

    Each date links to the passage that dates it when that is not the fact's own.
    """
    start, end = fact.started_on, fact.ended_on
    if start is None and end is None:
        return ""
    start_html = _end(start, fact.started_precision, fact.start_citation, fact) if start else ""
    end_html = _end(end, fact.ended_precision, fact.end_citation, fact) if end else ""
    text = conditional_escape(
        period_wording(start, fact.started_precision, end, fact.ended_precision)
    )
    return mark_safe(text % {"start": start_html, "end": end_html})


@register.simple_tag
def sources_by_article(fact):
    """The fact's citations, the earliest article first, grouped by article:
    [{"article", "citations"}]. Reads the further sources as prefetched."""
    groups = []
    for citation in fact.sources():
        if not groups or groups[-1]["article"].pk != citation.article_id:
            groups.append({"article": citation.article, "citations": []})
        groups[-1]["citations"].append(citation)
    return groups


@register.simple_tag
def single_topic(positions):
    """The topic every one of `positions` is on, or None when they are on several."""
    topics = {position.topic_id: position.topic for position in positions}
    return next(iter(topics.values())) if len(topics) == 1 else None


@register.simple_tag
def shared_passages(positions):
    """`positions` in their order, those that rest on the very same passages as one group.

    A passage the article says of several holders ("Anthropic, Cohere and OpenAI, at the
    forefront…") is shown once with all of them. A direct quote is one holder's words,
    and a disputed fact carries its own note: each stays a group of its own.
    """
    groups, by_passages = [], {}
    for position in positions:
        if position.is_quote or position.is_disputed:
            groups.append([position])
            continue
        passages = tuple(citation.pk for citation in position.sources())
        if passages in by_passages:
            by_passages[passages].append(position)
        else:
            by_passages[passages] = [position]
            groups.append(by_passages[passages])
    return groups


@register.filter
def same_summary(positions):
    """True when every one of `positions` says the same in both languages."""
    return len({(position.summary, position.summary_en) for position in positions}) == 1


@register.simple_tag
def titles_by_person(titles):
    """The titles held at one organisation (`alliance.asof.Titles`), one entry per person
    in order: [{"person", "titles": [(role, former)]}]. Someone with two titles there is
    named once, with both; the corrected ones stay apart, as claims."""
    people = {}
    for former, roles in ((False, titles.current), (True, titles.former)):
        for role in roles:
            entry = people.setdefault(role.person_id, {"person": role.person, "titles": []})
            entry["titles"].append((role, former))
    return list(people.values())


@register.simple_tag(takes_context=True)
def fragment_key(context, *parts):
    """The `fragments` cache key of what `parts` draw (facts, lists of them, flags):
    `{% fragment_key position show_holder as key %}{% cache 86400 card key using="fragments" %}`."""
    return fragments.key(context.get("request"), *parts)


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """`path` as an absolute URL on this site: Open Graph wants them so."""
    request = context.get("request")
    return absolute_url(request, path) if request is not None else path

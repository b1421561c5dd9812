"""Template helpers of the public pages: languages, canonical links, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()

#: schema.org and Open Graph speak in locales, not language codes.
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def record_language():
    """The language the record's own words are written in (summaries, titles, quotes)."""
    return settings.LANGUAGE_CODE


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
        links.append(
            {
                "code": code,
                "name": info["name_local"].capitalize(),
                "url": translate_url(request.get_full_path(), code),
            }
        )
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

"""Filter forms whose widgets are drawn once per record version, not on every request.

Django draws each `<option>` of a `<select>` through a template: on the lists, the
filter forms cost a third of a page. What a widget shows is a function of its template,
its context (name, value, choices, attributes) and the language, so its HTML is kept
under a digest of exactly those (`alliance.freshness.once_per_version`, reading no table:
the choices' labels are in the key). A renamed coalition makes a new key; an edit that
changes no choice keeps the widgets.
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from alliance import freshness

WIDGETS = "django/forms/widgets/"


def fingerprint(value):
    """What `value` shows, as plain data: objects by their text, never their address."""
    if isinstance(value, dict):
        return tuple((key, fingerprint(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(fingerprint(item) for item in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return (type(value).__name__, str(value))


class KeptRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if request is not None or not template_name.startswith(WIDGETS):
            return super().render(template_name, context, request)
        key = ("widget", template_name, translation.get_language(), fingerprint(context))
        html = freshness.once_per_version(
            key,
            lambda: str(super(KeptRenderer, self).render(template_name, context)),
            tables=(),
        )
        return mark_safe(html)


class FilterForm(forms.Form):
    default_renderer = KeptRenderer()

"""Dates typed the same way in every admin language: ISO 8601, `YYYY-MM-DD`.

The admin's own date widget reads dates in the language's format (06/02/2024 is
6 February in French and June 2 in English) and, through its calendar script, tells the
editor how many hours they are from the server. Dates here are typed as `YYYY-MM-DD`
in both languages, anything else is refused with a message naming the format, and the
date is shown in words beside the field: written by the server, then kept up to date as
the editor types by alliance/admin-dates.js (a file: the Content-Security-Policy refuses
inline scripts).
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def in_words(value):
    """5 décembre 2023 in French, 5 December 2023 in English."""
    return dateformat.format(value, "j F Y")


class IsoDateInput(forms.DateInput):
    format = "%Y-%m-%d"

    class Media:
        js = ["alliance/admin-dates.js"]

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "class": "iso-date",
                "size": 10,
                "placeholder": _("YYYY-MM-DD"),
                "autocomplete": "off",
                **(attrs or {}),
            },
            format=self.format,
        )

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        words = ""
        if isinstance(value, datetime.date):
            words = in_words(value)
        elif isinstance(value, str) and ISO_DATE.match(value.strip()):
            try:
                words = in_words(datetime.date.fromisoformat(value.strip()))
            except ValueError:
                words = ""
        return format_html(
            '{} <span class="iso-date-words" data-invalid="{}" aria-live="polite">{}</span>',
            field,
            _("not a date: type YYYY-MM-DD"),
            words,
        )


class IsoDateField(forms.DateField):
    widget = IsoDateInput
    default_error_messages = {
        "invalid": _(
            "Enter the date as YYYY-MM-DD (year, month, day), e.g. 2023-12-05. "
            "Other forms such as 06/02/2024 are refused: they read differently in French "
            "and in English."
        ),
    }

    def __init__(self, **kwargs):
        kwargs["input_formats"] = ["%Y-%m-%d"]
        kwargs["localize"] = False
        kwargs.pop("widget", None)
        super().__init__(widget=IsoDateInput, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not ISO_DATE.match(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

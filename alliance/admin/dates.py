"""Dates typed as precisely as the source gives them, the same way in every language.

`2023-07-14`, `2023-07` or `2023`: ISO 8601, so that `06/02/2024` never means one day in
the English admin and another in the French one. The precision is read from what was
typed and stored beside the date.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliance.admin.fields import IsoDateInput
from alliance.models.dates import in_words, iso, parse_partial


class PartialDateInput(IsoDateInput):
    """The date typed, with the date in words beside it at its precision ("décembre 2023"),
    kept up to date as the editor types (alliance/admin-dates.js)."""

    def format_value(self, value):
        return value or None

    def render(self, name, value, attrs=None, renderer=None):
        if isinstance(value, datetime.date):
            value = value.isoformat()
        field = forms.TextInput.render(self, name, value, attrs, renderer)
        try:
            words = in_words(*parse_partial(value)) if value else ""
        except ValidationError:
            words = ""
        return format_html(
            '{} <span class="iso-date-words" data-invalid="{}" aria-live="polite">{}</span>',
            field,
            _("not a date: type YYYY-MM-DD, YYYY-MM or YYYY"),
            words,
        )


class PartialDateField(forms.CharField):
    """A date at a day's, a month's or a year's precision; cleans to (date, precision)."""

    def __init__(self, *, precision_field, **kwargs):
        self.precision_field = precision_field
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "help_text",
            _("YYYY-MM-DD, or YYYY-MM for a month, YYYY for a year: as the source says."),
        )
        kwargs["widget"] = PartialDateInput(
            attrs={"class": "iso-date partial-date", "inputmode": "numeric"}
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return parse_partial(value) if value else None

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True


class PartialDatesMixin:
    """For model forms whose model keeps `<x>_on` beside `<x>_precision` (or `date_precision`).

    Declare each date as a `PartialDateField(precision_field=...)` under the model field's
    name, with a `clean_<name>()` that returns `self.take_partial_date(name)`; the form
    shows the date at its precision and stores both parts.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.partial_date_fields():
            initial = self.initial.get(name)
            if isinstance(initial, datetime.date):
                # From the instance (or a history version): shown at its own precision.
                self.initial[name] = iso(initial, getattr(self.instance, field.precision_field))
            elif isinstance(initial, tuple):
                self.initial[name] = iso(*initial)

    def partial_date_fields(self):
        return [
            (name, field)
            for name, field in self.fields.items()
            if isinstance(field, PartialDateField)
        ]

    def take_partial_date(self, name):
        """From a `clean_<name>()`: store the precision typed, and keep the date itself."""
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        date, precision = value
        setattr(self.instance, self.fields[name].precision_field, precision)
        return date

    def date_in_words(self, name):
        field = self.fields[name]
        value = getattr(self.instance, name, None)
        return in_words(value, getattr(self.instance, field.precision_field)) if value else ""


class PeriodFields(PartialDatesMixin, forms.Form):
    """A fact's time in the world: joined or took the title, left or gave it up."""

    started_on = PartialDateField(precision_field="started_precision", label=_("Started"))
    ended_on = PartialDateField(
        precision_field="ended_precision", label=_("Ended"), help_text=_("Empty while it lasts.")
    )

    def clean_started_on(self):
        return self.take_partial_date("started_on")

    def clean_ended_on(self):
        return self.take_partial_date("ended_on")

"""Dates typed as precisely as the source gives them, the same way in every language.

`2023-07-14`, `2023-07` or `2023`: ISO 8601, so that `06/02/2024` never means one day in
the English admin and another in the French one. The precision is read from what was
typed and stored beside the date.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.models.dates import in_words, iso, parse_partial


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
        super().__init__(**kwargs)
        self.widget.attrs.update(
            placeholder=_("YYYY-MM-DD"), size=10, inputmode="numeric", autocomplete="off"
        )

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
            value = getattr(self.instance, name, None)
            if value is not None and name not in self.initial:
                self.initial[name] = iso(value, getattr(self.instance, field.precision_field))
            elif isinstance(self.initial.get(name), tuple):
                self.initial[name] = iso(*self.initial[name])

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

"""Strict query parameters: what every API FilterSet shares.

A query string is checked before any of it reaches the database: unknown parameters,
repeated single-valued ones, malformed slugs, NUL characters (PostgreSQL refuses them),
integers SQLite cannot store and datetimes whose offset pushes them out of range all
answer 400 with the offending parameter named, never 500.
"""

import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, validate_slug
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from alliance.api.languages import LANGUAGE_PARAMETER
from alliance.asof import today
from alliance.search import fold

#: Parameters the views read themselves rather than the FilterSet.
PAGINATION_PARAMETERS = ("page", "page_size")
FORMAT_PARAMETER = "format"
#: The largest integer both SQLite and PostgreSQL integer columns hold.
MAX_INTEGER = 2**31 - 1
SLUG_SCHEMA = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"}


class SlugChoiceField(forms.ModelChoiceField):
    """A choice among rows, given by slug; a malformed slug is refused before any query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            validate_slug(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error
        return super().to_python(value)


@extend_schema_field(SLUG_SCHEMA)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """Filter on a related row named by its slug; an unknown slug is a 400."""

    field_class = SlugChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class SlugField(forms.CharField):
    """A slug that names no row in particular (it may name one of several kinds)."""

    default_validators = [validate_slug]


@extend_schema_field(SLUG_SCHEMA)
class SlugFilter(django_filters.CharFilter):
    field_class = SlugField


class BoundedIntegerField(forms.IntegerField):
    """An integer that fits the database's integer columns."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not any(isinstance(v, MaxValueValidator) for v in self.validators):
            self.validators.append(MaxValueValidator(MAX_INTEGER))
        if not any(isinstance(v, MinValueValidator) for v in self.validators):
            self.validators.append(MinValueValidator(-MAX_INTEGER))


class BoundedNumberFilter(django_filters.NumberFilter):
    field_class = BoundedIntegerField


class ISODateField(forms.DateField):
    """A date in ISO 8601 (YYYY-MM-DD) only, whatever the active language."""

    input_formats = ["%Y-%m-%d"]


class ISODateFilter(django_filters.DateFilter):
    field_class = ISODateField


AS_OF_HELP = _(
    "A day (YYYY-MM-DD): the record as it stood in the world that day, by the dates its "
    "sources give (who was a member, who held which title). Today by default."
)


def read_as_of(request, strict=True):
    """The day `?as_of=` asks for, or today; a bad one is a 400 naming `as_of` (or, when
    not `strict`, today: a FilterSet reports it with the other parameters)."""
    raw = request.query_params.get("as_of")
    if not raw:
        return today()
    try:
        return ISODateField().clean(raw)
    except forms.ValidationError as error:
        if not strict:
            return today()
        raise ValidationError({"as_of": list(error.messages)}) from error


class AsOfFilter(ISODateFilter):
    """`as_of`: a day; what it narrows is up to the FilterSet's `filter_as_of`, if any."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", AS_OF_HELP)
        kwargs.setdefault("method", "filter_as_of")
        super().__init__(*args, **kwargs)


class SafeDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 datetime, handed to the database in UTC (some offsets overflow it)."""

    def clean(self, value):
        result = super().clean(value)
        if result is not None:
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
            try:
                result = result.astimezone(datetime.UTC)
            except OverflowError as error:
                raise forms.ValidationError(
                    _("This date and time is out of range once converted to UTC."),
                    code="out_of_range",
                ) from error
        return result


class SafeDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = SafeDateTimeField


class SearchFilter(django_filters.CharFilter):
    """Every word of the query, in any order, accents and case ignored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text",
            _(
                "Words to look for, all of them, in any order; accents and case are ignored "
                "(“dario” finds “Darío”)."
            ),
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not fold(value or ""):
            return qs
        return qs.search(value)


class SlugTiebreakOrderingFilter(django_filters.OrderingFilter):
    """Ordering that always ends on the unique slug, so pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            ordering = [*qs.query.order_by]
            if "slug" not in ordering and "-slug" not in ordering:
                qs = qs.order_by(*ordering, "slug")
        return qs


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that answers 400 for unknown or repeated parameters, naming them.

    Every resource can be searched and narrowed to what changed since a moment.
    """

    search = SearchFilter()
    updated_since = SafeDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_(
            "Only what was created or edited at or after this moment, in ISO 8601 with an "
            "offset (2026-01-31T12:00:00+01:00)."
        ),
    )

    #: Parameters the view reads beside the filters.
    extra_parameters = (*PAGINATION_PARAMETERS, FORMAT_PARAMETER, LANGUAGE_PARAMETER)

    def parameter_names(self):
        """Map each accepted query parameter to whether it may be repeated."""
        names = dict.fromkeys(self.extra_parameters, False)
        for name, field in self.form.fields.items():
            widget = field.widget
            if hasattr(widget, "suffixes"):
                # A range is two parameters, e.g. started_on_after and started_on_before.
                names.update(
                    dict.fromkeys((widget.suffixed(name, s) for s in widget.suffixes), False)
                )
            else:
                names[name] = isinstance(field, forms.MultipleChoiceField)
        return names

    def unknown_parameter_errors(self):
        errors = {}
        accepted = self.parameter_names()
        for name in self.data:
            if name not in accepted:
                errors[name] = _("Unknown query parameter.")
            elif len(self.data.getlist(name)) > 1 and not accepted[name]:
                errors[name] = _("Give this parameter once.")
        return errors

    def is_valid(self):
        return not self.unknown_parameter_errors() and super().is_valid()

    def filter_as_of(self, queryset, name, value):
        # The day is read by the other filters and the answer; by itself it narrows nothing.
        return queryset

    @property
    def day(self):
        """The day `as_of` names (valid by now), or today."""
        return self.form.cleaned_data.get("as_of") or today()

    @property
    def errors(self):
        errors = ErrorDict(self.form.errors)
        for name, message in self.unknown_parameter_errors().items():
            errors[name] = ErrorList([forms.ValidationError(message, code="unknown")])
        return errors

"""Dates in the API, sent only as precisely as their source gives them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.models.dates import PARTIAL_ISO, DatePrecision, iso


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": PARTIAL_ISO.pattern,
        "description": "ISO 8601 at the precision the source gives: 2023, 2023-12 or 2023-12-05.",
    }
)
class PartialDateField(serializers.Field):
    """A date sent only as precisely as its source gives it (`2023-12`, never `2023-12-01`)."""

    def __init__(self, date_field, precision_field, **kwargs):
        self.date_field, self.precision_field = date_field, precision_field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return iso(getattr(value, self.date_field), getattr(value, self.precision_field))


class PrecisionField(serializers.ChoiceField):
    """The precision of a date (`year`, `month`, `day`), or null when there is no date to be
    precise about. A choice field, so the schema names the one `DatePrecision` set."""

    def __init__(self, date_field, precision_field, **kwargs):
        self.date_field, self.precision_field = date_field, precision_field
        kwargs.setdefault(
            "help_text", "How much of the date the source gives; null when there is no date."
        )
        super().__init__(
            choices=DatePrecision.choices, source="*", read_only=True, allow_null=True, **kwargs
        )

    def to_representation(self, value):
        if getattr(value, self.date_field) is None:
            return None
        return getattr(value, self.precision_field)

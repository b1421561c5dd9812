"""Dates as precise as their source: a day, a month or only a year.

A source that says "July 2023" gives a month, not 1 July 2023. Such a date is stored as
the first day of what it names (2023-07-01) beside its precision (`month`), and is only
ever shown, compared or sent at that precision: "juillet 2023", "July 2023", `2023-07`.
"""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


#: ISO 8601 at a reduced precision: 2023, 2023-07 or 2023-07-14.
PARTIAL_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


def parse_partial(text):
    """`"2023-07"` -> (date(2023, 7, 1), "month"). Raise ValidationError on anything else."""
    match = PARTIAL_ISO.match((text or "").strip())
    if match is None:
        raise ValidationError(
            _("Enter a date as YYYY-MM-DD, or YYYY-MM for a month, or YYYY for a year."),
            code="invalid_partial_date",
        )
    year, month, day = match["year"], match["month"], match["day"]
    try:
        value = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValidationError(
            _("“%(text)s” is not a date of the calendar."),
            code="invalid_partial_date",
            params={"text": text},
        ) from None
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return value, precision


def truncate(value, precision):
    """The first day of what `value` names at `precision`."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def last_day(value, precision):
    """The last day `value` may stand for at `precision` (31 December for a year)."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def iso(value, precision):
    """ISO 8601 at the date's own precision: 2023, 2023-07 or 2023-07-14."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def in_words(value, precision):
    """The date as readers say it in the active language: "juillet 2023", "14 July 2023"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    # Day, month in words, year, in either language: "6 décembre 2023", "6 December 2023".
    return formats.date_format(value, "j F Y")

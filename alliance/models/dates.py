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
from django.utils.translation import pgettext_lazy


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


#: French elides "de" before a vowel ("d’avril 2023"): such months get their own wording.
VOWELS = frozenset("aeiouyàâéèêîôûh")

#: Each end of a period, worded by what it is: a day ("depuis le 3 juillet 2023"), a
#: month ("depuis juillet 2023", "d’avril 2023 à mai 2024") or a year.
WORDINGS = {
    "since": {
        "day": pgettext_lazy("period start alone, a day", "since %(start)s"),
        "month": pgettext_lazy("period start alone, a month", "since %(start)s"),
        "vowel": pgettext_lazy(
            "period start alone, a month starting with a vowel", "since %(start)s"
        ),
        "year": pgettext_lazy("period start alone, a year", "since %(start)s"),
    },
    "until": {
        "day": pgettext_lazy("period end alone, a day", "until %(end)s"),
        "month": pgettext_lazy("period end alone, a month", "until %(end)s"),
        "vowel": pgettext_lazy("period end alone, a month starting with a vowel", "until %(end)s"),
        "year": pgettext_lazy("period end alone, a year", "until %(end)s"),
    },
    "from": {
        "day": pgettext_lazy("period start, a day", "from %(start)s"),
        "month": pgettext_lazy("period start, a month", "from %(start)s"),
        "vowel": pgettext_lazy("period start, a month starting with a vowel", "from %(start)s"),
        "year": pgettext_lazy("period start, a year", "from %(start)s"),
    },
    "to": {
        "day": pgettext_lazy("period end, a day", "to %(end)s"),
        "month": pgettext_lazy("period end, a month", "to %(end)s"),
        "vowel": pgettext_lazy("period end, a month starting with a vowel", "to %(end)s"),
        "year": pgettext_lazy("period end, a year", "to %(end)s"),
    },
}


def _wording(kind, value, precision):
    if precision == DatePrecision.DAY:
        shape = "day"
    elif precision == DatePrecision.MONTH:
        shape = "vowel" if in_words(value, precision)[:1].lower() in VOWELS else "month"
    else:
        shape = "year"
    return str(WORDINGS[kind][shape])


def period_wording(start, start_precision, end, end_precision):
    """How a period is said, with `%(start)s` and `%(end)s` where its dates go:
    "since %(start)s", "from %(start)s to %(end)s", "until %(end)s"; "" without dates."""
    if start and end:
        return f"{_wording('from', start, start_precision)} {_wording('to', end, end_precision)}"
    if start:
        return _wording("since", start, start_precision)
    if end:
        return _wording("until", end, end_precision)
    return ""

"""A coalition's membership over time: the members on record at the end of each month.

The counts come from one query that asks the one rule (`Membership.counts_as_member`)
once per month; `includes/_membership_chart.html` draws them as SVG bars, with a table
of the months where the count changed, each a link to the page as of that day.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count

from alliance.models import DatePrecision, Membership
from alliance.models.dates import in_words, last_day

WIDTH = 720
HEIGHT = 190
LEFT = 44
RIGHT = 12
TOP = 16
BOTTOM = 30
#: Year labels closer than this (in pixels) would overlap.
MIN_TICK_GAP = 44
#: At most this many bars: past ten years of months, each bar stands for several months.
MAX_BARS = 120


@dataclass
class Bar:
    month: datetime.date
    #: The day the count is taken: the month's last, or today for the month under way.
    day: datetime.date
    count: int
    x: int = 0
    y: int = 0
    width: int = 0
    height: int = 0
    is_as_of: bool = False

    @property
    def month_in_words(self):
        return in_words(self.month, DatePrecision.MONTH)


@dataclass
class MembershipChart:
    bars: list
    top: int
    width: int = WIDTH
    height: int = HEIGHT
    ticks: list = field(default_factory=list)

    @property
    def axis_y(self):
        return self.height - BOTTOM

    @property
    def top_y(self):
        return TOP

    @property
    def left(self):
        return LEFT

    @property
    def right(self):
        return self.width - RIGHT

    @property
    def label_x(self):
        return LEFT - 6

    @property
    def tick_y(self):
        return self.height - BOTTOM + 18

    @property
    def first(self):
        return self.bars[0]

    @property
    def last(self):
        return self.bars[-1]

    @property
    def changes(self):
        """The bars whose count differs from the one before: the text version's rows."""
        rows = []
        for bar in self.bars:
            if not rows or rows[-1].count != bar.count:
                rows.append(bar)
        return rows


def months(first, last, step):
    """The first day of every `step`-th month from `first` to `last`, `last` included."""
    found = []
    month = first.replace(day=1)
    while month <= last:
        found.append(month)
        index = month.year * 12 + month.month - 1 + step
        month = datetime.date(index // 12, index % 12 + 1, 1)
    if found[-1] != last.replace(day=1):
        found.append(last.replace(day=1))
    return found


def membership_chart(coalition, memberships, today, as_of=None):
    """The chart of `coalition`'s members on record from its first dated membership to
    today, or None when no source dates any of `memberships` (the count never moves)."""
    dated = [
        value
        for membership in memberships
        if not membership.is_absence and membership.counts
        for value in (membership.started_on, membership.ended_on)
        if value is not None and value <= today
    ]
    if not dated:
        return None
    first, last = min(dated).replace(day=1), today.replace(day=1)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    step = math.ceil(span / MAX_BARS)
    starts = months(first, last, step)
    days = [min(last_day(month, DatePrecision.MONTH), today) for month in starts]
    counts = Membership.objects.filter(coalition=coalition).aggregate(
        **{
            f"m{index}": Count("pk", filter=Membership.counts_as_member(day))
            for index, day in enumerate(days)
        }
    )
    bars = [
        Bar(month=month, day=day, count=counts[f"m{index}"])
        for index, (month, day) in enumerate(zip(starts, days, strict=True))
    ]
    top = max(max(bar.count for bar in bars), 1)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / len(bars)
    chart = MembershipChart(bars=bars, top=top)
    for index, bar in enumerate(bars):
        # Whole pixels: a template would write a fraction with the page's decimal comma.
        bar.width = max(round(slot) - 2, 1)
        bar.x = round(LEFT + index * slot + (slot - bar.width) / 2)
        bar.height = round(plot_height * bar.count / top)
        bar.y = HEIGHT - BOTTOM - bar.height
        if as_of is not None and bar.month <= as_of <= bar.day:
            bar.is_as_of = True
        if index == 0 or bar.month.year != bars[index - 1].month.year:
            x = round(LEFT + index * slot)
            if chart.ticks and x - chart.ticks[-1]["x"] < MIN_TICK_GAP:
                # A year that starts a month or two in would be written over the next.
                chart.ticks.pop()
            chart.ticks.append({"x": x, "label": str(bar.month.year)})
    return chart

"""The record as it stood in the world on one day, and a record's facts sorted by time.

`?as_of=YYYY-MM-DD` on a coalition, organisation or person page (and in the API) shows
who was a member and who held which title that day: "when it was true". "When the
record said so" is another question, which the history and the membership feed answer.

Every fact the page loads is sorted here, with the model's own rules
(`Membership.counts_as_member_on`, `Period.is_in_force`, `Fact.counts`): what counts that
day, what had ended by then, and what was corrected or retracted, which is shown with its
correction and never counted. A period that starts after the day is left out: the
record did not hold it yet in the world of that day.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone


def today():
    """The day pages and API answers are drawn for when no `as_of` is given."""
    return timezone.localdate()


@dataclass
class Places:
    """Memberships seen on one day: each list keeps the order it was given."""

    on: datetime.date
    current: list = field(default_factory=list)
    former: list = field(default_factory=list)
    absent: list = field(default_factory=list)
    corrected: list = field(default_factory=list)

    @property
    def shown(self):
        """Every membership the page shows, in any section."""
        return [*self.current, *self.former, *self.absent, *self.corrected]


def sort_memberships(memberships, on):
    """Sort public memberships into what counts on `on`, what had ended, the standing
    absences and the corrected or retracted claims."""
    places = Places(on=on)
    for membership in memberships:
        if not membership.counts:
            places.corrected.append(membership)
        elif membership.is_absence:
            places.absent.append(membership)
        elif membership.counts_as_member_on(on):
            places.current.append(membership)
        elif membership.ended_on is not None and membership.ended_on <= on:
            places.former.append(membership)
    return places


@dataclass
class Titles:
    """Roles seen on one day."""

    on: datetime.date
    current: list = field(default_factory=list)
    former: list = field(default_factory=list)
    corrected: list = field(default_factory=list)


def sort_roles(roles, on):
    """Sort public roles into the titles held on `on`, those given up by then, and the
    corrected or retracted ones."""
    titles = Titles(on=on)
    for role in roles:
        if not role.counts:
            titles.corrected.append(role)
        elif role.is_in_force(on):
            titles.current.append(role)
        elif role.ended_on is not None and role.ended_on <= on:
            titles.former.append(role)
    return titles

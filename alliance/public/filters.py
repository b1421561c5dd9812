"""The filters of the list pages, and the day (`as_of`) of the record's pages.

An unknown value makes the form invalid: the page says so, with a 400.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.asof import today
from alliance.models import (
    AISystem,
    Article,
    Coalition,
    Leaning,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Position,
    Topic,
)
from alliance.public.forms import FilterForm


class SearchFilter(django_filters.CharFilter):
    """Accent- and case-insensitive search through the model's `search()`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Name contains"))
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


class AsOfDateFilter(django_filters.DateFilter):
    """A day in ISO 8601 (YYYY-MM-DD) whatever the page's language; it filters nothing by
    itself: the page reads it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("As of"))
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Not a date: write it YYYY-MM-DD, e.g. 2024-03-31.")},
        )
        kwargs.setdefault("method", "keep")
        # The browser's date picker, which sends ISO 8601 in every language.
        kwargs.setdefault("widget", forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
        super().__init__(*args, **kwargs)


class AsOfFilter(django_filters.FilterSet):
    """`?as_of=YYYY-MM-DD`: the day a coalition, organisation or person page shows."""

    as_of = AsOfDateFilter()

    def __init__(self, data=None, *args, **kwargs):
        # Nothing is filtered: the page reads the day and loads what it shows itself.
        kwargs.setdefault("queryset", Membership.objects.none())
        super().__init__(data, *args, **kwargs)

    def keep(self, queryset, name, value):
        return queryset

    @property
    def day(self):
        """The day asked for, or today when none (or a bad one) was given."""
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("as_of") or today()
        return today()

    @property
    def asked(self):
        """Whether a valid day other than today's view was asked for."""
        return bool(self.is_bound and self.is_valid() and self.form.cleaned_data.get("as_of"))


class OrganisationFilter(django_filters.FilterSet):
    q = SearchFilter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("Any kind")
    )
    coalition = django_filters.ModelChoiceFilter(
        label=_("Member of"),
        queryset=Coalition.objects.all(),
        to_field_name="slug",
        empty_label=_("Any coalition"),
        method="filter_coalition",
    )
    leaning = django_filters.ChoiceFilter(
        label=_("Leaning"),
        choices=Leaning.choices,
        empty_label=_("Any leaning"),
        method="filter_leaning",
    )
    as_of = AsOfDateFilter(label=_("Member on"))

    class Meta:
        form = FilterForm
        model = Organisation
        fields = ["q", "kind", "coalition", "leaning", "as_of"]

    def keep(self, queryset, name, value):
        # `as_of` only says on which day `coalition` is asked.
        return queryset

    def filter_coalition(self, queryset, name, value):
        on = self.form.cleaned_data.get("as_of") or today()
        members = Membership.objects.counting(on).filter(coalition=value).values("member")
        return queryset.filter(pk__in=members)

    def filter_leaning(self, queryset, name, value):
        # A corrected or retracted stance is shown with its correction, never counted.
        holders = Position.objects.standing().filter(leaning=value, organisation__isnull=False)
        return queryset.filter(pk__in=holders.values("organisation"))


class PositionFilter(django_filters.FilterSet):
    leaning = django_filters.ChoiceFilter(
        label=_("Leaning"), choices=Leaning.choices, empty_label=_("Any leaning")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("Any topic"),
    )

    class Meta:
        form = FilterForm
        model = Position
        fields = ["leaning", "topic"]


class PersonFilter(django_filters.FilterSet):
    q = SearchFilter()

    class Meta:
        form = FilterForm
        model = Person
        fields = ["q"]


class AISystemFilter(django_filters.FilterSet):
    q = SearchFilter()

    class Meta:
        model = AISystem
        fields = ["q"]


class ArticleFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Title contains"))

    class Meta:
        form = FilterForm
        model = Article
        fields = ["q"]

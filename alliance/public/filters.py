"""The filters of the list pages. An unknown value makes the form invalid: the page says so."""

import django_filters
from django.utils.translation import gettext_lazy as _

from alliance.models import (
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


class SearchFilter(django_filters.CharFilter):
    """Accent- and case-insensitive search through the model's `search()`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Name contains"))
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


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

    class Meta:
        model = Organisation
        fields = ["q", "kind", "coalition", "leaning"]

    def filter_coalition(self, queryset, name, value):
        members = Membership.objects.counting().filter(coalition=value).values("member")
        return queryset.filter(pk__in=members)

    def filter_leaning(self, queryset, name, value):
        holders = Position.objects.filter(leaning=value, organisation__isnull=False)
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
        model = Position
        fields = ["leaning", "topic"]


class PersonFilter(django_filters.FilterSet):
    q = SearchFilter()

    class Meta:
        model = Person
        fields = ["q"]


class ArticleFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Title contains"))

    class Meta:
        model = Article
        fields = ["q"]

"""Positions: who stands where on each topic, each with the passage that says so."""

from django.db.models import Case, IntegerField, When

from alliance.models import Leaning, Position
from alliance.public import structured_data
from alliance.public.filters import PositionFilter
from alliance.public.views.base import FilteredList, sourced

#: Open first, closed last: the order of the debate, not of the alphabet.
LEANING_ORDER = Case(
    *[When(leaning=value, then=index) for index, value in enumerate(Leaning.values)],
    output_field=IntegerField(),
)


class PositionList(FilteredList):
    template_name = "public/position_list.html"
    filterset_class = PositionFilter
    paginate_by = 100

    def get_queryset(self):
        return sourced(
            Position.objects.all(), "topic", "organisation", "person", "reported_by"
        ).order_by("topic__name", LEANING_ORDER, "slug")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = structured_data.quotations(
            self.request, context["object_list"]
        )
        return context

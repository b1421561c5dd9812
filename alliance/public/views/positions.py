"""Positions: who stands where on each topic, each with the passage that says so."""

from alliance.models import Position
from alliance.public import structured_data
from alliance.public.filters import PositionFilter
from alliance.public.views.base import FilteredList, sourced


class PositionList(FilteredList):
    template_name = "public/position_list.html"
    filterset_class = PositionFilter
    paginate_by = 100

    def get_queryset(self):
        return sourced(
            Position.objects.all(), "topic", "organisation", "person", "reported_by"
        ).order_by("topic_name", "leaning_rank", "slug")  # open first: the debate's order

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = structured_data.quotations(
            self.request, context["object_list"]
        )
        return context

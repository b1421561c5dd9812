"""AI systems: the list, and each system's page with its owner and the passages that
name it."""

from alliance.models import AISystem
from alliance.public.filters import AISystemFilter
from alliance.public.views.base import FilteredList, RecordDetail, sourced


class AISystemList(FilteredList):
    template_name = "public/aisystem_list.html"
    filterset_class = AISystemFilter
    paginate_by = 100

    def get_queryset(self):
        return sourced(AISystem.objects.all(), "owner").order_by("name", "slug")


class AISystemDetail(RecordDetail):
    template_name = "public/aisystem_detail.html"
    context_object_name = "system"

    def get_queryset(self):
        return sourced(AISystem.objects.all(), "owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        system = self.object
        # The owner's other systems, so a reader sees Watson beside Watsonx.
        context["siblings"] = list(
            AISystem.objects.public()
            .filter(owner=system.owner)
            .exclude(pk=system.pk)
            .order_by("name", "slug")
        )
        return context

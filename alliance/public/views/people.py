"""People: who holds which title where, and what they said."""

from django.db.models import Prefetch

from alliance.models import Person, Position, Role
from alliance.public import structured_data
from alliance.public.filters import PersonFilter
from alliance.public.views.base import CITED, FilteredList, RecordDetail


class PersonList(FilteredList):
    template_name = "public/person_list.html"
    filterset_class = PersonFilter

    def get_queryset(self):
        return Person.objects.prefetch_related(
            Prefetch("roles", queryset=Role.objects.select_related("organisation"))
        )


class PersonDetail(RecordDetail):
    model = Person
    template_name = "public/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        roles = list(person.roles.select_related("organisation", *CITED))
        positions = list(
            Position.objects.filter(person=person).select_related(
                "topic", "reported_by", "person", *CITED
            )
        )
        context.update(
            roles=roles,
            positions=positions,
            structured_data=[
                structured_data.person(self.request, person, roles),
                *structured_data.quotations(self.request, positions),
                *structured_data.claim_reviews(self.request, [*roles, *positions]),
            ],
        )
        return context

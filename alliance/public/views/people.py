"""People: who holds which title where, on a day, and what they said."""

from django.db.models import Prefetch

from alliance.asof import sort_roles, today
from alliance.models import Person, Position, Role
from alliance.public import structured_data
from alliance.public.filters import PersonFilter
from alliance.public.views.base import (
    AsOfDetail,
    FilteredList,
    said_about,
    sourced,
    sourced_periods,
)


class PersonList(FilteredList):
    template_name = "public/person_list.html"
    filterset_class = PersonFilter

    def get_queryset(self):
        # The titles each person holds today.
        held = Role.objects.standing().in_force(today()).select_related("organisation")
        return Person.objects.prefetch_related(Prefetch("roles", queryset=held, to_attr="titles"))


class PersonDetail(AsOfDetail):
    model = Person
    template_name = "public/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        titles = sort_roles(sourced_periods(person.roles.all(), "organisation"), self.day)
        positions = list(
            sourced(
                Position.objects.filter(person=person), "topic", "reported_by", "person"
            ).in_leaning_order()
        )
        relations, claims = said_about(person)
        context.update(
            titles=titles,
            positions=positions,
            relations=relations,
            claims=claims,
            structured_data=[
                structured_data.person(self.request, person, titles.current),
                *structured_data.quotations(self.request, positions),
                *structured_data.claim_reviews(
                    self.request,
                    [
                        *titles.current,
                        *titles.former,
                        *titles.corrected,
                        *positions,
                        *relations,
                        *claims,
                    ],
                ),
            ],
        )
        return context

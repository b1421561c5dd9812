"""Organisations: the filtered list, and each one's places in coalitions, people, systems
and stances, as they stand on a day."""

from django.db.models import Prefetch
from django.shortcuts import redirect

from alliance.asof import sort_memberships, sort_roles, today
from alliance.models import (
    AISystem,
    Membership,
    Organisation,
    OrganisationKind,
    Position,
    Role,
)
from alliance.public import structured_data
from alliance.public.filters import OrganisationFilter
from alliance.public.views.base import (
    AsOfDetail,
    FilteredList,
    said_about,
    sourced,
    sourced_periods,
)


class OrganisationList(FilteredList):
    template_name = "public/organisation_list.html"
    filterset_class = OrganisationFilter

    def get_queryset(self):
        # Each organisation's places today: what counts, and its standing absences.
        places = Membership.objects.public().placed(today()).select_related("coalition")
        return Organisation.objects.in_reading_order().prefetch_related(
            Prefetch("coalition_memberships", queryset=places, to_attr="places")
        )


class OrganisationDetail(AsOfDetail):
    model = Organisation
    template_name = "public/organisation_detail.html"
    context_object_name = "organisation"

    def elsewhere(self, organisation):
        if organisation.kind == OrganisationKind.COALITION:
            # A coalition's page is its coalition page: one address per thing.
            query = self.request.GET.urlencode()
            address = organisation.get_absolute_url() + (f"?{query}" if query else "")
            return redirect(address, permanent=True)
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        memberships = list(sourced_periods(organisation.coalition_memberships.all(), "coalition"))
        roles = list(sourced_periods(Role.objects.filter(organisation=organisation), "person"))
        systems = list(sourced(AISystem.objects.filter(owner=organisation)))
        positions = list(
            sourced(
                Position.objects.filter(organisation=organisation),
                "topic",
                "reported_by",
                "organisation",
            ).in_leaning_order()
        )
        reported = list(
            sourced(
                Position.objects.filter(reported_by=organisation),
                "topic",
                "organisation",
                "person",
            )
        )
        relations, claims = said_about(organisation)
        places = sort_memberships(memberships, self.day)
        titles = sort_roles(roles, self.day)
        facts = [*memberships, *roles, *systems, *positions, *reported, *relations, *claims]
        articles = {
            citation.article.pk: citation.article for fact in facts for citation in fact.sources()
        }
        context.update(
            places=places,
            titles=titles,
            systems=systems,
            positions=positions,
            reported=reported,
            relations=relations,
            claims=claims,
            articles=sorted(articles.values(), key=lambda a: a.published_on, reverse=True),
            structured_data=[
                structured_data.organisation(self.request, organisation, memberships=memberships),
                *structured_data.quotations(self.request, positions),
                *structured_data.claim_reviews(self.request, facts),
            ],
        )
        return context

"""Organisations: the filtered list, and each one's memberships, people, systems and stances."""

from django.db.models import Prefetch
from django.shortcuts import redirect

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
from alliance.public.views.base import CITED, FilteredList, RecordDetail


class OrganisationList(FilteredList):
    template_name = "public/organisation_list.html"
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return Organisation.objects.prefetch_related(
            Prefetch(
                "coalition_memberships",
                queryset=Membership.objects.select_related("coalition"),
            )
        )


class OrganisationDetail(RecordDetail):
    model = Organisation
    template_name = "public/organisation_detail.html"
    context_object_name = "organisation"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.kind == OrganisationKind.COALITION:
            # A coalition's page is its coalition page: one address per thing.
            return redirect(self.object.get_absolute_url(), permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        memberships = list(organisation.coalition_memberships.select_related("coalition", *CITED))
        roles = list(
            Role.objects.filter(organisation=organisation).select_related("person", *CITED)
        )
        systems = list(AISystem.objects.filter(owner=organisation).select_related(*CITED))
        positions = list(
            Position.objects.filter(organisation=organisation).select_related(
                "topic", "reported_by", "organisation", *CITED
            )
        )
        reported = list(
            Position.objects.filter(reported_by=organisation).select_related(
                "topic", "organisation", "person", *CITED
            )
        )
        facts = [*memberships, *roles, *systems, *positions, *reported]
        articles = {fact.citation.article.pk: fact.citation.article for fact in facts}
        context.update(
            memberships=[m for m in memberships if not m.is_absence],
            absences=[m for m in memberships if m.is_absence],
            roles=roles,
            systems=systems,
            positions=positions,
            reported=reported,
            articles=sorted(articles.values(), key=lambda a: a.published_on, reverse=True),
            structured_data=[
                structured_data.organisation(self.request, organisation, memberships=memberships),
                *structured_data.quotations(self.request, positions),
                *structured_data.claim_reviews(self.request, facts),
            ],
        )
        return context

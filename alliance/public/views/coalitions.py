"""Coalitions: who founded, joined or was left out of each, and how they overlap."""

from django.utils.decorators import method_decorator
from django.views.generic import ListView

from alliance.models import Coalition, Membership, MembershipRole, Position
from alliance.public import structured_data
from alliance.public.caching import record_page
from alliance.public.views.base import CITED, RecordDetail


@method_decorator(record_page, name="dispatch")
class CoalitionList(ListView):
    template_name = "public/coalition_list.html"
    context_object_name = "coalitions"

    def get_queryset(self):
        return Coalition.objects.with_member_counts().select_related(
            "declared_member_count_citation__paragraph__article"
        )


class CoalitionDetail(RecordDetail):
    template_name = "public/coalition_detail.html"
    context_object_name = "coalition"

    def get_queryset(self):
        return Coalition.objects.with_member_counts().select_related(
            "declared_member_count_citation__paragraph__article"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coalition = self.object
        memberships = list(coalition.memberships.select_related("member", *CITED))
        groups = {role: [] for role in MembershipRole.values}
        for membership in memberships:
            groups[membership.role].append(membership)
        context["role_groups"] = [
            (role, label, groups[role])
            for role, label in MembershipRole.choices
            if groups[role] and role != MembershipRole.ABSENT
        ]
        context["absentees"] = groups[MembershipRole.ABSENT]
        context["overlaps"] = self.overlaps(coalition, memberships)
        context["positions"] = list(
            Position.objects.filter(organisation=coalition).select_related(
                "topic", "organisation", *CITED
            )
        )
        context["structured_data"] = [
            structured_data.organisation(self.request, coalition, members=memberships),
            *structured_data.quotations(self.request, context["positions"]),
            *structured_data.claim_reviews(self.request, [*memberships, *context["positions"]]),
        ]
        return context

    @staticmethod
    def overlaps(coalition, memberships):
        """Other coalitions, each with the members it shares and this one's absentees it has."""
        # Only what counts: a corrected membership makes no overlap.
        role_here = {m.member_id: m.role for m in memberships if m.counts}
        elsewhere = (
            Membership.objects.counting()
            .filter(member_id__in=list(role_here))
            .exclude(coalition=coalition)
            .select_related("coalition", "member")
            .order_by("coalition__name", "member__name")
        )
        found = {}
        for membership in elsewhere:
            entry = found.setdefault(
                membership.coalition_id,
                {"coalition": membership.coalition, "shared": [], "absent_here": []},
            )
            if role_here[membership.member_id] == MembershipRole.ABSENT:
                entry["absent_here"].append(membership.member)
            else:
                entry["shared"].append(membership.member)
        return list(found.values())

"""Coalitions: who founded, joined, left or was left out of each, over time, and how they
overlap."""

from django.utils.decorators import method_decorator
from django.views.generic import ListView

from alliance.asof import sort_memberships, today
from alliance.models import Coalition, Membership, MembershipRole, Position
from alliance.models.organisations import reading_order
from alliance.public import structured_data
from alliance.public.caching import record_page
from alliance.public.story import coalition_story
from alliance.public.timeline import membership_chart
from alliance.public.views.base import AsOfDetail, said_about, sourced, sourced_periods


@method_decorator(record_page, name="dispatch")
class CoalitionList(ListView):
    template_name = "public/coalition_list.html"
    context_object_name = "coalitions"

    def get_queryset(self):
        return Coalition.objects.with_member_counts(on=today()).select_related(
            "declared_member_count_citation__paragraph__article"
        )


def absence_groups(absences):
    """The absences grouped by the passage that states them, in order: a passage naming
    five absentees is quoted once, above their names, since it is all the source says of
    why they are absent."""
    groups = {}
    for membership in absences:
        groups.setdefault(membership.citation_id, []).append(membership)
    return [{"citation": group[0].citation, "memberships": group} for group in groups.values()]


class CoalitionDetail(AsOfDetail):
    template_name = "public/coalition_detail.html"
    context_object_name = "coalition"

    def get_queryset(self):
        return Coalition.objects.with_member_counts(on=self.day).select_related(
            "declared_member_count_citation__paragraph__article"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coalition = self.object
        memberships = list(
            sourced_periods(coalition.memberships.all(), "member").order_by(
                *reading_order("member__"), "started_on"
            )
        )
        places = sort_memberships(memberships, self.day)
        groups = {role: [] for role in MembershipRole.values}
        for membership in places.current:
            groups[membership.role].append(membership)
        context["places"] = places
        context["role_groups"] = [
            (role, label, groups[role])
            for role, label in MembershipRole.choices
            if groups[role] and role != MembershipRole.ABSENT
        ]
        context["absentees"] = places.absent
        context["absence_groups"] = absence_groups(places.absent)
        context["founders"] = groups[MembershipRole.FOUNDER]
        context["founded"] = min(
            (m for m in groups[MembershipRole.FOUNDER] if m.started_on is not None),
            key=lambda m: m.started_on,
            default=None,
        )
        context["overlaps"] = self.overlaps(coalition, places, self.day)
        context["chart"] = membership_chart(
            coalition, memberships, today(), self.day if self.as_of.asked else None
        )
        context["story"] = coalition_story(coalition, places, self.day)
        context["positions"] = list(
            sourced(
                Position.objects.filter(organisation=coalition), "topic", "organisation"
            ).in_leaning_order()
        )
        context["relations"], context["claims"] = said_about(coalition)
        context["structured_data"] = [
            structured_data.organisation(self.request, coalition, members=memberships),
            *structured_data.quotations(self.request, context["positions"]),
            *structured_data.claim_reviews(
                self.request,
                [*memberships, *context["positions"], *context["relations"], *context["claims"]],
            ),
        ]
        return context

    @staticmethod
    def overlaps(coalition, places, day):
        """Other coalitions, each with the members it shares on `day` and this one's
        absentees it counts among its members that day."""
        # Only what counts: a corrected membership makes no overlap; a disputed one does,
        # flagged.
        here = {m.member_id: m for m in [*places.current, *places.absent]}
        elsewhere = (
            Membership.objects.counting(day)
            .filter(member_id__in=list(here))
            .exclude(coalition=coalition)
            .select_related("coalition", "member")
            .order_by(*reading_order("coalition__"), *reading_order("member__"))
        )
        found = {}
        for membership in elsewhere:
            entry = found.setdefault(
                membership.coalition_id,
                {"coalition": membership.coalition, "shared": [], "absent_here": []},
            )
            place_here = here[membership.member_id]
            shared = {
                "member": membership.member,
                "disputed": membership.is_disputed or place_here.is_disputed,
            }
            if place_here.is_absence:
                entry["absent_here"].append(shared)
            else:
                entry["shared"].append(shared)
        return list(found.values())

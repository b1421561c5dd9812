"""The home page: the AI Alliance at a glance, and the picture of the debate."""

from django.db.models import Case, IntegerField, When
from django.shortcuts import render

from alliance.models import Article, Coalition, MembershipRole, Position
from alliance.public import structured_data
from alliance.public.caching import record_page
from alliance.public.chart import build_chart
from alliance.public.views.base import CITED

#: The coalition the home page is about; another takes its place if it is ever removed.
FEATURED_COALITION = "ai-alliance"


def featured_coalition():
    return (
        Coalition.objects.with_member_counts()
        .select_related("declared_member_count_citation__paragraph__article")
        .order_by(
            Case(When(slug=FEATURED_COALITION, then=0), default=1, output_field=IntegerField()),
            "-members_on_record",
            "name",
        )
        .first()
    )


@record_page
def home(request):
    coalition = featured_coalition()
    memberships = []
    if coalition is not None:
        memberships = list(coalition.memberships.select_related("member", *CITED))
    by_role = {role: [] for role in MembershipRole.values}
    for membership in memberships:
        by_role[membership.role].append(membership)
    positions = Position.objects.select_related("organisation", "person")
    context = {
        "coalition": coalition,
        "founders": by_role[MembershipRole.FOUNDER],
        "key_contributors": by_role[MembershipRole.KEY_CONTRIBUTOR],
        "members": by_role[MembershipRole.MEMBER],
        "absentees": by_role[MembershipRole.ABSENT],
        "chart": build_chart(positions),
        "other_coalitions": Coalition.objects.with_member_counts().exclude(
            pk=getattr(coalition, "pk", None)
        ),
        "articles": Article.objects.all()[:5],
        "structured_data": [structured_data.website(request)],
    }
    if coalition is not None:
        context["structured_data"].append(
            structured_data.organisation(request, coalition, members=memberships)
        )
    return render(request, "public/home.html", context)

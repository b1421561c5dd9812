"""The home page: the AI Alliance at a glance, and the picture of the debate."""

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, When, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render

from alliance.asof import today
from alliance.models import (
    Article,
    Citation,
    Coalition,
    Leaning,
    Membership,
    MembershipRole,
    Organisation,
    Person,
    Position,
    Relation,
)
from alliance.models.organisations import reading_order
from alliance.models.relations import RELATION_PARTIES
from alliance.public import structured_data
from alliance.public.caching import record_page
from alliance.public.story import PICTURE_HOLDERS, build_story, pictured, story_roles
from alliance.public.views.base import sourced

#: The coalition the home page is about; another takes its place if it is ever removed.
FEATURED_COALITION = "ai-alliance"


def coalitions_on(day):
    """Every coalition with its counts on `day`, the featured one first, with the passage
    that gives its declared count: two queries.

    The passage is loaded on its own: joined to the counting query, its columns would be
    grouped by too, which took three times as long.
    """
    coalitions = list(
        Coalition.objects.with_member_counts(on=day).order_by(
            Case(When(slug=FEATURED_COALITION, then=0), default=1, output_field=IntegerField()),
            "-members_on_record",
            "name",
        )
    )
    if coalitions:
        featured = coalitions[0]
        # Asked even when it has none, so the page's queries do not depend on the data.
        featured.declared_member_count_citation = (
            Citation.objects.select_related("paragraph__article")
            .filter(pk=featured.declared_member_count_citation_id)
            .first()
        )
    return coalitions


def featured_coalition(day=None):
    coalitions = coalitions_on(day or today())
    return coalitions[0] if coalitions else None


#: Places of each kind (founders, members, absentees...) the home page names, the first by
#: name; the coalition's own page names them all.
HOME_PLACES = 24


def featured_places(coalition, day):
    """The first HOME_PLACES places of each role that count on `day` (and the standing
    absences), each with `role_total`: four queries (which places come first, how many
    there are of each role, those places with their passages, their further sources).

    The places are picked by their names alone, then loaded with their passages: ranking
    every place with all its joined columns cost twice as much.
    """
    by_name = [F(path).asc() for path in reading_order("member__")]
    placed = coalition.memberships.placed(day).public()
    first = list(
        placed.annotate(rank=Window(RowNumber(), partition_by=F("role"), order_by=by_name))
        .filter(rank__lte=HOME_PLACES)
        .values_list("pk", flat=True)
    )
    totals = dict(placed.order_by().values_list("role").annotate(total=Count("pk")))
    places = list(sourced(Membership.objects.filter(pk__in=first), "member").order_by(*by_name))
    for place in places:
        place.role_total = totals[place.role]
    return places


def chart_positions():
    """The standing positions of the first PICTURE_HOLDERS organisations and people by name
    of each leaning: one query. A corrected or retracted stance is drawn nowhere; a
    disputed one is, flagged."""
    condition = Q()
    for leaning in Leaning.values:
        for field, model in (("organisation", Organisation), ("person", Person)):
            takes = Position.objects.standing().filter(leaning=leaning, **{field: OuterRef("pk")})
            first = (
                model.objects.filter(Exists(takes))
                .order_by(*(reading_order() if model is Organisation else ["sort_name", "slug"]))
                .values("pk")[:PICTURE_HOLDERS]
            )
            condition |= Q(leaning=leaning, **{f"{field}__in": first})
    return (
        Position.objects.standing()
        .filter(condition)
        .select_related("organisation", "person")
        .order_by()
    )


#: Relations drawn as links between marks: the first by kind and slug.
STORY_RELATIONS = 30


def story_relations():
    return list(
        Relation.objects.standing()
        .select_related(*RELATION_PARTIES)
        .order_by("kind", "slug")[:STORY_RELATIONS]
    )


@record_page
def home(request):
    """The home page: the featured coalition's first places and the picture of the debate.

    Its chart and places read the whole coalition and every leaning (about 150 ms on the
    generated record of 10,000 organisations): like every page, it is kept until a part
    of the record it read changes (`record_page`).
    """
    return draw_home(request)


def draw_story(coalition, memberships, positions, relations, day):
    """The picture of the featured coalition's first places and the first holders of each
    leaning, saying whether it left any out."""
    if coalition is None:
        return None
    shown = pictured(memberships)
    story = build_story(
        coalition, shown, positions, story_roles(positions, relations, day), relations
    )
    totals = {membership.role: membership.role_total for membership in memberships}
    story.places_left_out = sum(totals.values()) - len(shown)
    holders = {}
    for position in positions:
        holders.setdefault((position.leaning, position.person_id is None), set()).add(
            position.person_id or position.organisation_id
        )
    story.holders_capped = any(len(found) >= PICTURE_HOLDERS for found in holders.values())
    return story


def draw_home(request):
    day = today()
    positions = list(chart_positions())
    relations = story_relations()
    coalitions = coalitions_on(day)
    coalition = coalitions[0] if coalitions else None
    memberships = featured_places(coalition, day) if coalition is not None else []
    by_role = {role: [] for role in MembershipRole.values}
    for membership in memberships:
        by_role[membership.role].append(membership)
    # How many of each role the page leaves to the coalition's page.
    more = {role: places[0].role_total - len(places) for role, places in by_role.items() if places}
    context = {
        "coalition": coalition,
        "founders": by_role[MembershipRole.FOUNDER],
        "key_contributors": by_role[MembershipRole.KEY_CONTRIBUTOR],
        "members": by_role[MembershipRole.MEMBER],
        "absentees": by_role[MembershipRole.ABSENT],
        "more_founders": more.get(MembershipRole.FOUNDER, 0),
        "more_key_contributors": more.get(MembershipRole.KEY_CONTRIBUTOR, 0),
        "more_members": more.get(MembershipRole.MEMBER, 0),
        "more_absentees": more.get(MembershipRole.ABSENT, 0),
        "story": draw_story(coalition, memberships, positions, relations, day),
        "other_coalitions": sorted(coalitions[1:], key=lambda other: (other.sort_name, other.slug)),
        "articles": Article.objects.public().select_related("outlet")[:5],
        "article_count": Article.objects.public().count(),
        "structured_data": [structured_data.website(request)],
    }
    if coalition is not None:
        context["structured_data"].append(
            structured_data.organisation(request, coalition, members=memberships)
        )
    return render(request, "public/home.html", context)

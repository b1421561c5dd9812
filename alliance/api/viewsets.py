"""Read-only viewsets over the same querysets the public pages use.

Each docstring below says its routes, parameters and status codes; it is also the
operation's description in the OpenAPI schema.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import routers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.schemas import DefaultSchema

from alliance.api import filters, serializers
from alliance.api.conditional import ConditionalMixin
from alliance.api.filtering import AS_OF_HELP, FORMAT_PARAMETER, read_as_of
from alliance.api.languages import LANGUAGE_PARAMETER
from alliance.models import (
    AISystem,
    Article,
    Citation,
    Claim,
    Coalition,
    Membership,
    Organisation,
    Person,
    Position,
    Relation,
    Role,
)
from alliance.models.relations import CLAIM_PARTIES, RELATION_PARTIES
from alliance.pagecache import kept_response

CITATION = ("citation__article", "citation__paragraph")
#: The passage a correction comes from, and those dating a period, when there are.
CORRECTION = ("correction_citation__article", "correction_citation__paragraph")
PERIOD = (
    "start_citation__article",
    "start_citation__paragraph",
    "end_citation__article",
    "end_citation__paragraph",
)

COMMON_ANSWERS = """
Answers: 200; 304 when `If-None-Match` or `If-Modified-Since` still holds; 400 naming
each unknown, repeated or malformed query parameter; 404 for an unknown slug or a page
past the last; 405 for any write method; 406 for an `Accept` the API cannot serve;
429 with `Retry-After` when over the request budget.
"""


def sourced(queryset, *related):
    """Public facts with every passage they rest on, in a fixed number of queries."""
    return queryset.public().select_related(*CITATION, *CORRECTION, *related).with_sources()


def sourced_periods(queryset, *related):
    return sourced(queryset, *PERIOD, *related)


def positions_queryset():
    return sourced(Position.objects.all(), "topic", "organisation", "person", "reported_by")


#: The `as_of` parameter of a detail, in the schema.
AS_OF_PARAMETER = OpenApiParameter("as_of", OpenApiTypes.DATE, description=str(AS_OF_HELP))


def with_as_of_in_detail(viewset):
    """Document `as_of` on the viewset's detail (its list has it from the FilterSet)."""
    viewset.as_of_in_detail = True
    return extend_schema_view(retrieve=extend_schema(parameters=[AS_OF_PARAMETER]))(viewset)


class ReadOnlyViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """A list and a detail by slug, anonymous, read-only, with strict parameters."""

    lookup_field = "slug"
    # Any slug reaches the view (which refuses malformed ones with a JSON 404), so that a
    # write to any detail URL answers 405.
    lookup_value_regex = "[^/]+"
    authentication_classes = ()
    metadata_class = None
    etag_from_record = True
    #: What a list shows of each record, where that is less than its detail: a page of
    #: fifty organisations with every fact and citation would weigh most of a megabyte.
    list_serializer_class = None
    #: Whether the detail takes `?as_of=` (the record as it stood that day).
    as_of_in_detail = False

    @property
    def day(self):
        """The day asked (`as_of`), or today. A bad one is refused by the FilterSet (a
        list) or `filter_queryset` (a detail) before any answer is made."""
        return read_as_of(self.request, strict=False)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "day": self.day}

    def is_list(self):
        return self.action == "list"

    def get_serializer_class(self):
        if self.is_list() and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            # A detail takes no filter: any parameter but `format` (and `as_of` where the
            # detail shows a day) is refused.
            accepted = {
                FORMAT_PARAMETER,
                LANGUAGE_PARAMETER,
                *(("as_of",) if self.as_of_in_detail else ()),
            }
            unknown = {
                name: [_("Unknown query parameter.")]
                for name in self.request.query_params
                if name not in accepted
            }
            unknown.update(
                {
                    name: [_("Give this parameter once.")]
                    for name in accepted
                    if len(self.request.query_params.getlist(name)) > 1
                }
            )
            if unknown:
                raise ValidationError(unknown)
            read_as_of(self.request)
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            validate_slug(self.kwargs[self.lookup_field])
        except DjangoValidationError as error:
            raise NotFound() from error
        return super().get_object()

    def list(self, request, *args, **kwargs):
        return self.kept_json(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.kept_json(super().retrieve, request, *args, **kwargs)

    def kept_json(self, make, request, *args, **kwargs):
        """The JSON answer, kept until a part of the record it read changes
        (`alliance.pagecache.kept_response`), so that an edit elsewhere leaves it kept.

        The address holds the query (validated by the filters, which raise before any
        answer is kept), the day asked and the language; the request budget is counted
        before, for kept answers too.
        """
        if request.accepted_renderer.format != "json":
            return make(request, *args, **kwargs)

        def draw():
            made = make(request, *args, **kwargs)
            made.accepted_renderer = request.accepted_renderer
            made.accepted_media_type = request.accepted_media_type
            made.renderer_context = self.get_renderer_context()
            return made.render()

        return kept_response(request, draw)

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as error:
            # DRF answers an unknown `?format=` with 404; it is a bad parameter value.
            raise ValidationError({FORMAT_PARAMETER: [_("Unknown format.")]}) from error


@with_as_of_in_detail
class OrganisationViewSet(ReadOnlyViewSet):
    """Organisations: companies, institutions, agencies, coalitions, news outlets.

    `GET /api/v1/organisations/` lists them with their own fields;
    `GET /api/v1/organisations/{slug}/` adds the facts about it, each with its sources,
    as they stand on the day asked (`?as_of=YYYY-MM-DD`, today by default): its places in
    coalitions (memberships that count that day, and absences), those that had ended
    (`former_places`), the titles people hold there (`roles`, `former_roles`), its
    positions and its AI systems. Facts that were corrected or whose sources were
    retracted are listed apart (`corrected_places`, `corrected_roles`,
    `corrected_positions`) with their correction: they never count.

    Filters: `kind`, `coalition` (its members; with `role=absent` its absentees),
    `role`, `as_of` (the day `coalition` and `role` are asked for), `leaning` (standing
    positions only), `country`, `search`, `updated_since`; `ordering` by `name`, `kind`,
    `country`, `slug` (prefix `-` to reverse).
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.OrganisationSerializer
    list_serializer_class = serializers.OrganisationListSerializer
    filterset_class = filters.OrganisationFilter

    def get_queryset(self):
        if self.is_list():
            return Organisation.objects.all()
        return Organisation.objects.prefetch_related(
            Prefetch(
                "coalition_memberships",
                queryset=sourced_periods(Membership.objects.all(), "coalition"),
                to_attr="public_memberships",
            ),
            Prefetch(
                "roles",
                queryset=sourced_periods(Role.objects.all(), "person"),
                to_attr="public_roles",
            ),
            Prefetch("positions", queryset=positions_queryset(), to_attr="public_positions"),
            Prefetch(
                "ai_systems", queryset=AISystem.objects.standing(), to_attr="standing_systems"
            ),
            "identifiers",
        )


@with_as_of_in_detail
class CoalitionViewSet(ReadOnlyViewSet):
    """Coalitions: the AI Alliance, the Frontier Model Forum.

    `GET /api/v1/coalitions/` lists them with the member count their sources declare
    (with its citation) and the counts on record on the day asked (`?as_of=YYYY-MM-DD`,
    today by default); `GET /api/v1/coalitions/{slug}/` adds who, as it stood that day:
    its members (founders, key contributors, members that count that day), its former
    members, its notable absentees, and apart, with their correction, the places a
    source reported that were corrected or retracted (`corrected_members`), which never
    count. Every place comes with its period and its sources.

    Filters: `member` (coalitions an organisation belongs to on `as_of`), `as_of`,
    `search`, `updated_since`; `ordering` by `name`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.CoalitionSerializer
    list_serializer_class = serializers.CoalitionListSerializer
    filterset_class = filters.CoalitionFilter

    def get_queryset(self):
        coalitions = (
            Coalition.objects.with_member_counts(on=self.day)
            # Meta.ordering does not apply to aggregating queries.
            .order_by("name", "slug")
            .select_related(
                "declared_member_count_citation__article",
                "declared_member_count_citation__paragraph",
            )
        )
        if self.is_list():
            return coalitions
        places = sourced_periods(Membership.objects.all(), "member")
        return coalitions.prefetch_related(
            Prefetch("memberships", queryset=places, to_attr="public_memberships")
        )


@with_as_of_in_detail
class PersonViewSet(ReadOnlyViewSet):
    """People the sources name, with the titles they hold and the positions they take.

    `GET /api/v1/people/` lists their names; `GET /api/v1/people/{slug}/` adds the
    titles a person holds on the day asked (`?as_of=YYYY-MM-DD`, today by default), those
    given up by then (`former_roles`), and the positions they take, each with its
    sources; corrected or retracted ones are apart (`corrected_roles`,
    `corrected_positions`).

    Filters: `organisation` (people holding a title there), `search`, `updated_since`;
    `ordering` by `name`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.PersonSerializer
    list_serializer_class = serializers.PersonListSerializer
    filterset_class = filters.PersonFilter

    def get_queryset(self):
        if self.is_list():
            return Person.objects.all()
        return Person.objects.prefetch_related(
            Prefetch(
                "roles",
                queryset=sourced_periods(Role.objects.all(), "organisation"),
                to_attr="public_roles",
            ),
            Prefetch("positions", queryset=positions_queryset(), to_attr="public_positions"),
            "identifiers",
        )


@with_as_of_in_detail
class MembershipViewSet(ReadOnlyViewSet):
    """Places in coalitions: founder, key contributor, member, or notably absent.

    `GET /api/v1/memberships/` and `GET /api/v1/memberships/{slug}/`, each with its
    period (`started_on: "2023-12"` at `started_precision: "month"`, never a day the
    source does not give), its sources earliest first, its status and correction, and
    `in_force` on the day asked (`?as_of=YYYY-MM-DD`, today by default).

    The list holds the memberships that count: as reported or disputed (flagged by
    `status`), never corrected or retracted ones; `status` asks for any statuses,
    those included (`?status=corrected`). A detail shows any of them.

    Filters: `coalition`, `organisation`, `role`, `status`, `as_of` (only the places
    under way that day), `started_on_after`, `started_on_before` (YYYY-MM-DD), `search`,
    `updated_since`; `ordering` by `coalition`, `organisation`, `role`, `started_on`,
    `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter

    def get_queryset(self):
        return sourced_periods(Membership.objects.all(), "member", "coalition")


@with_as_of_in_detail
class RoleViewSet(ReadOnlyViewSet):
    """Titles people hold at organisations, for a time (“vice-président principal”, IBM).

    `GET /api/v1/roles/` and `GET /api/v1/roles/{slug}/`, each with its person and
    organisation, its period at the precision its sources give, its sources earliest
    first, its status and correction, and `in_force` on the day asked
    (`?as_of=YYYY-MM-DD`, today by default).

    The list holds the titles that count: as reported or disputed, never corrected or
    retracted ones; `status` asks for any statuses, those included. A detail shows any.

    Filters: `person`, `organisation`, `status`, `as_of` (only the titles held that
    day), `search`, `updated_since`; `ordering` by `person`, `organisation`, `title`,
    `started_on`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.RoleSerializer
    filterset_class = filters.RoleFilter

    def get_queryset(self):
        return sourced_periods(Role.objects.all(), "person", "organisation")


class PositionViewSet(ReadOnlyViewSet):
    """Stances on a topic (open, cautious, closed), held by an organisation or a person.

    `GET /api/v1/positions/` and `GET /api/v1/positions/{slug}/`, each with the passage
    that states it.

    The list holds the positions that count: as reported or disputed (flagged by
    `status`), never corrected or retracted ones; `status` asks for any statuses,
    those included. A detail shows any of them.

    Filters: `leaning`, `topic`, `holder` (an organisation's or a person's slug),
    `affiliated_with` (an organisation and the people holding a title there), `article`,
    `is_quote`, `status`, `search`, `updated_since`; `ordering` by `topic`, `leaning`,
    `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.PositionSerializer
    filterset_class = filters.PositionFilter

    def get_queryset(self):
        return positions_queryset()


class ArticleViewSet(ReadOnlyViewSet):
    """The source articles, each with its numbered paragraphs (anchors #p1, #p2...).

    `GET /api/v1/articles/` lists them, each with its outlet and author(s) when the
    source says (null and empty when it does not), its original address, language, and
    publication date at the precision the source gives (`published_on: "2023-12"` with
    `date_precision: "month"`); `GET /api/v1/articles/{slug}/` adds the paragraphs.

    Filters: `language`, `published_on_after`, `published_on_before` (YYYY-MM-DD),
    `search`, `updated_since`; `ordering` by `published_on`, `title`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.ArticleSerializer
    list_serializer_class = serializers.ArticleListSerializer
    filterset_class = filters.ArticleFilter

    def get_queryset(self):
        articles = Article.objects.public().select_related("outlet")
        if self.is_list():
            return articles
        return articles.prefetch_related("paragraphs")


class AISystemViewSet(ReadOnlyViewSet):
    """AI systems and platforms the sources name (ChatGPT, Llama 2, Watsonx...).

    `GET /api/v1/ai-systems/` and `GET /api/v1/ai-systems/{slug}/`, each with its owner
    and sources.

    The list holds those that count; `status` asks for any statuses (`?status=corrected`).

    Filters: `owner`, `status`, `search`, `updated_since`; `ordering` by `name`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.AISystemSerializer
    filterset_class = filters.AISystemFilter

    def get_queryset(self):
        return sourced(AISystem.objects.all(), "owner")


class RelationViewSet(ReadOnlyViewSet):
    """Relations a source states between two parties: who criticises or competes with
    whom, what is part of what (LeCun criticises OpenAI; IBM competes with Microsoft).

    `GET /api/v1/relations/` and `GET /api/v1/relations/{slug}/`, each with both parties
    and its sources.

    The list holds those that count; `status` asks for any statuses (`?status=corrected`).

    Filters: `kind`, `party` (either side), `article`, `status`, `search`,
    `updated_since`; `ordering` by `kind`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.RelationSerializer
    filterset_class = filters.RelationFilter

    def get_queryset(self):
        return sourced(Relation.objects.all(), *RELATION_PARTIES)


class ClaimViewSet(ReadOnlyViewSet):
    """Claims: what a source says about one party that is not a stance on a topic (IBM's
    generative-AI revenue grows; the Frontier Model Forum was created "in response",
    corrected).

    `GET /api/v1/claims/` and `GET /api/v1/claims/{slug}/`, each with the party it is
    about, who said it (null when it is the article's own statement) and its sources.

    The list holds those that count; `status` asks for any statuses (`?status=corrected`).

    Filters: `about`, `said_by`, `article`, `status`, `search`, `updated_since`;
    `ordering` by `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.ClaimSerializer
    filterset_class = filters.ClaimFilter

    def get_queryset(self):
        return sourced(Claim.objects.all(), *CLAIM_PARTIES)


class CitationViewSet(ReadOnlyViewSet):
    """Passages quoted word for word, each with the facts it supports.

    `GET /api/v1/citations/` and `GET /api/v1/citations/{slug}/`.

    Filters: `article`, `paragraph` (its number), `search`, `updated_since`; `ordering`
    by `paragraph`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.CitationDetailSerializer
    filterset_class = filters.CitationFilter

    def get_queryset(self):
        return (
            Citation.objects.filter(article__draft=False)
            .select_related("article", "paragraph")
            .prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.public()),
                Prefetch("roles", queryset=Role.objects.public().select_related("person")),
                Prefetch("positions", queryset=Position.objects.public()),
                Prefetch("aisystems", queryset=AISystem.objects.public()),
                Prefetch("relations", queryset=Relation.objects.public()),
                Prefetch("claims", queryset=Claim.objects.public()),
            )
        )


class APIRootView(ConditionalMixin, routers.APIRootView):
    """The resources of version 1, each with the URL of its list.

    `GET /api/v1/`. Answers 200, 304 when still fresh, 405 for any write method, 406 for
    an `Accept` the API cannot serve, 429 with `Retry-After` when over budget.
    """

    authentication_classes = ()
    metadata_class = None
    etag_from_record = True
    schema = DefaultSchema()

    @extend_schema(
        responses={
            200: {
                "type": "object",
                "description": "Each resource's name, with the URL of its list.",
                "additionalProperties": {"type": "string", "format": "uri"},
            }
        }
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

"""Read-only viewsets over the same querysets the public pages use.

Each docstring below says its routes, parameters and status codes; it is also the
operation's description in the OpenAPI schema.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import routers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.schemas import DefaultSchema

from alliance.api import filters, serializers
from alliance.api.conditional import ConditionalMixin
from alliance.api.filtering import FORMAT_PARAMETER
from alliance.models import (
    AISystem,
    Article,
    Citation,
    Coalition,
    Membership,
    Organisation,
    Person,
    Position,
    Role,
)

CITATION = ("citation__article", "citation__paragraph")

COMMON_ANSWERS = """
Answers: 200; 304 when `If-None-Match` or `If-Modified-Since` still holds; 400 naming
each unknown, repeated or malformed query parameter; 404 for an unknown slug or a page
past the last; 405 for any write method; 406 for an `Accept` the API cannot serve;
429 with `Retry-After` when over the request budget.
"""


def positions_queryset():
    return Position.objects.select_related(
        "topic", "organisation", "person", "reported_by", *CITATION
    )


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

    def is_list(self):
        return self.action == "list"

    def get_serializer_class(self):
        if self.is_list() and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            # A detail takes no filter: any parameter but `format` is refused.
            unknown = {
                name: [_("Unknown query parameter.")]
                for name in self.request.query_params
                if name != FORMAT_PARAMETER
            }
            if unknown:
                raise ValidationError(unknown)
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            validate_slug(self.kwargs[self.lookup_field])
        except DjangoValidationError as error:
            raise NotFound() from error
        return super().get_object()

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as error:
            # DRF answers an unknown `?format=` with 404; it is a bad parameter value.
            raise ValidationError({FORMAT_PARAMETER: [_("Unknown format.")]}) from error


class OrganisationViewSet(ReadOnlyViewSet):
    """Organisations: companies, institutions, agencies, coalitions, news outlets.

    `GET /api/v1/organisations/` lists them with their own fields;
    `GET /api/v1/organisations/{slug}/` adds its places in coalitions (absences
    included), the titles people hold there, its positions and its AI systems, every
    fact with its citation.

    Filters: `kind`, `coalition` (its members; with `role=absent` its absentees),
    `role`, `leaning`, `country`, `search`, `updated_since`; `ordering` by `name`,
    `kind`, `country`, `slug` (prefix `-` to reverse).
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
                queryset=Membership.objects.select_related("coalition", *CITATION),
            ),
            Prefetch("roles", queryset=Role.objects.select_related("person", *CITATION)),
            Prefetch("positions", queryset=positions_queryset()),
            "ai_systems",
            "identifiers",
        )


class CoalitionViewSet(ReadOnlyViewSet):
    """Coalitions: the AI Alliance, the Frontier Model Forum.

    `GET /api/v1/coalitions/` lists them with the member count their sources declare
    (with its citation) and the counts on record; `GET /api/v1/coalitions/{slug}/` adds
    its members (founders, key contributors, members) and its notable absentees, every
    place with its citation.

    Filters: `member` (coalitions an organisation belongs to), `search`,
    `updated_since`; `ordering` by `name`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.CoalitionSerializer
    list_serializer_class = serializers.CoalitionListSerializer
    filterset_class = filters.CoalitionFilter

    def get_queryset(self):
        coalitions = (
            Coalition.objects.with_member_counts()
            # Meta.ordering does not apply to aggregating queries.
            .order_by("name", "slug")
            .select_related(
                "declared_member_count_citation__article",
                "declared_member_count_citation__paragraph",
            )
        )
        if self.is_list():
            return coalitions
        places = Membership.objects.select_related("member", *CITATION)
        return coalitions.prefetch_related(
            Prefetch("memberships", queryset=places.present(), to_attr="present_memberships"),
            Prefetch("memberships", queryset=places.absent(), to_attr="absent_memberships"),
        )


class PersonViewSet(ReadOnlyViewSet):
    """People the sources name, with the titles they hold and the positions they take.

    `GET /api/v1/people/` lists their names; `GET /api/v1/people/{slug}/` adds the
    titles a person holds and the positions they take, each with its citation.

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
            Prefetch("roles", queryset=Role.objects.select_related("organisation", *CITATION)),
            Prefetch("positions", queryset=positions_queryset()),
            "identifiers",
        )


class MembershipViewSet(ReadOnlyViewSet):
    """Places in coalitions: founder, key contributor, member, or notably absent.

    `GET /api/v1/memberships/` and `GET /api/v1/memberships/{slug}/`, each with its
    citation, status and correction.

    Filters: `coalition`, `organisation`, `role`, `status`, `started_on_after`,
    `started_on_before` (YYYY-MM-DD), `search`, `updated_since`; `ordering` by
    `coalition`, `organisation`, `role`, `started_on`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter

    def get_queryset(self):
        return Membership.objects.select_related("member", "coalition", *CITATION)


class PositionViewSet(ReadOnlyViewSet):
    """Stances on a topic (open, cautious, closed), held by an organisation or a person.

    `GET /api/v1/positions/` and `GET /api/v1/positions/{slug}/`, each with the passage
    that states it.

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

    `GET /api/v1/articles/` lists them; `GET /api/v1/articles/{slug}/` adds the
    paragraphs.

    Filters: `language`, `published_on_after`, `published_on_before` (YYYY-MM-DD),
    `search`, `updated_since`; `ordering` by `published_on`, `title`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.ArticleSerializer
    list_serializer_class = serializers.ArticleListSerializer
    filterset_class = filters.ArticleFilter

    def get_queryset(self):
        if self.is_list():
            return Article.objects.all()
        return Article.objects.prefetch_related("paragraphs")


class AISystemViewSet(ReadOnlyViewSet):
    """AI systems and platforms the sources name (ChatGPT, Llama 2, Watsonx...).

    `GET /api/v1/ai-systems/` and `GET /api/v1/ai-systems/{slug}/`, each with its owner
    and citation.

    Filters: `owner`, `status`, `search`, `updated_since`; `ordering` by `name`, `slug`.
    """

    __doc__ += COMMON_ANSWERS
    serializer_class = serializers.AISystemSerializer
    filterset_class = filters.AISystemFilter

    def get_queryset(self):
        return AISystem.objects.select_related("owner", *CITATION)


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
        return Citation.objects.select_related("article", "paragraph").prefetch_related(
            "memberships",
            Prefetch("roles", queryset=Role.objects.select_related("person")),
            "positions",
            "aisystems",
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

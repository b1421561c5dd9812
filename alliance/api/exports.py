"""Downloadable files of the whole public record, made again whenever the record changes.

`GET /api/v1/exports/` lists them; `GET /api/v1/exports/{name}` serves one:

- one CSV per resource (`organisations.csv`, `coalitions.csv`, `people.csv`,
  `memberships.csv`, `roles.csv`, `positions.csv`, `ai-systems.csv`, `articles.csv`,
  `citations.csv`), a fact's row with its status, correction and passage;
- `record.jsonl`: every public row, one JSON object a line (`alliance.api.snapshot`),
  which loads back into an empty database;
- `followthemoney.jsonl`: the parties and their ties as FollowTheMoney entities
  (Organization, Person, Membership, Directorship), each tie with its proof (the
  article, as an Article entity) and the passage that states it.

Each file is made at most once per record version and process, and kept in memory
until the record changes; its ETag names the version, so a client asks again with
`If-None-Match` and gets a 304 while the record stands.
"""

import csv
import io
import json
import threading

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance import freshness
from alliance.addresses import absolute_url
from alliance.api import snapshot
from alliance.api.conditional import ConditionalMixin
from alliance.api.filtering import FORMAT_PARAMETER
from alliance.api.languages import LANGUAGE_PARAMETER
from alliance.models import (
    AISystem,
    Article,
    Citation,
    Membership,
    MembershipRole,
    Organisation,
    Person,
    Position,
    Role,
)
from alliance.models.dates import iso
from alliance.registers import identifiers_of

CSV = "text/csv; charset=utf-8"
JSON_LINES = "application/x-ndjson; charset=utf-8"
CITED = ("citation__article", "citation__paragraph")
FACT_COLUMNS = [
    "status",
    "correction",
    "correction_en",
    "correction_source",
    "article",
    "paragraph",
    "passage",
    "source_url",
]


def page_url(request, obj):
    with translation.override("fr"):
        return absolute_url(request, obj.get_absolute_url())


def fact_cells(request, fact):
    citation = fact.citation
    with translation.override("fr"):
        paragraph = f"{citation.article.get_absolute_url()}#{citation.paragraph.anchor}"
    return [
        fact.status,
        fact.correction,
        fact.correction_en,
        fact.correction_source,
        citation.article.slug,
        citation.paragraph.number,
        citation.passage,
        absolute_url(request, paragraph),
    ]


def period_cells(fact):
    return [iso(fact.started_on, fact.started_precision), iso(fact.ended_on, fact.ended_precision)]


def identifier_cell(party):
    return " ".join(f"{i.scheme}:{i.value}" for i in identifiers_of(party))


def organisations_csv(request, coalitions=False):
    rows = Organisation.objects.prefetch_related("identifiers").order_by("slug")
    rows = rows.coalitions() if coalitions else rows.exclude(kind="coalition")
    header = ["slug", "name", "name_en", "full_name", "aliases", "kind", "country"]
    header += ["declared_member_count", "declared_member_count_qualifier"] if coalitions else []
    header += ["identifiers", "description", "description_en", "public_url", "updated_at"]
    yield header
    for row in rows:
        cells = [row.slug, row.name, row.name_en, row.full_name, " | ".join(row.alias_list)]
        cells += [row.kind, row.country]
        if coalitions:
            cells += [row.declared_member_count, row.declared_member_count_qualifier]
        cells += [identifier_cell(row), row.description, row.description_en]
        yield [*cells, page_url(request, row), row.updated_at.isoformat()]


def people_csv(request):
    yield ["slug", "name", "identifiers", "public_url", "updated_at"]
    for row in Person.objects.prefetch_related("identifiers").order_by("slug"):
        yield [
            row.slug,
            row.name,
            identifier_cell(row),
            page_url(request, row),
            row.updated_at.isoformat(),
        ]


def memberships_csv(request):
    yield ["slug", "organisation", "coalition", "role", "started_on", "ended_on", *FACT_COLUMNS]
    rows = Membership.objects.public().select_related("member", "coalition", *CITED)
    for row in rows.order_by("slug"):
        yield [
            row.slug,
            row.member.slug,
            row.coalition.slug,
            row.role,
            *period_cells(row),
            *fact_cells(request, row),
        ]


def roles_csv(request):
    header = ["slug", "person", "organisation", "title", "title_en", "started_on", "ended_on"]
    yield [*header, *FACT_COLUMNS]
    rows = Role.objects.public().select_related("person", "organisation", *CITED)
    for row in rows.order_by("slug"):
        yield [
            row.slug,
            row.person.slug,
            row.organisation.slug,
            row.title,
            row.title_en,
            *period_cells(row),
            *fact_cells(request, row),
        ]


def positions_csv(request):
    header = ["slug", "holder_type", "holder", "topic", "leaning", "summary", "summary_en"]
    yield [*header, "is_quote", "reported_by", *FACT_COLUMNS]
    rows = Position.objects.public().select_related(
        "organisation", "person", "topic", "reported_by", *CITED
    )
    for row in rows.order_by("slug"):
        yield [
            row.slug,
            "organisation" if row.organisation_id else "person",
            row.holder.slug,
            row.topic.slug,
            row.leaning,
            row.summary,
            row.summary_en,
            row.is_quote,
            row.reported_by.slug if row.reported_by else "",
            *fact_cells(request, row),
        ]


def ai_systems_csv(request):
    yield ["slug", "name", "owner", "description", "description_en", *FACT_COLUMNS]
    rows = AISystem.objects.public().select_related("owner", *CITED)
    for row in rows.order_by("slug"):
        yield [
            row.slug,
            row.name,
            row.owner.slug,
            row.description,
            row.description_en,
            *fact_cells(request, row),
        ]


def articles_csv(request):
    header = ["slug", "title", "title_translation", "published_on", "language", "source_url"]
    yield [*header, "outlet", "authors", "public_url", "updated_at"]
    for row in Article.objects.public().select_related("outlet").order_by("slug"):
        yield [
            row.slug,
            row.title,
            row.title_translation,
            row.published_iso,
            row.language,
            row.source_url,
            row.outlet.slug if row.outlet else "",
            row.authors,
            page_url(request, row),
            row.updated_at.isoformat(),
        ]


def citations_csv(request):
    yield ["slug", "article", "paragraph", "passage", "translation", "public_url"]
    rows = Citation.objects.filter(article__draft=False).select_related("article", "paragraph")
    for row in rows.order_by("slug"):
        with translation.override("fr"):
            path = f"{row.article.get_absolute_url()}#{row.paragraph.anchor}"
        yield [
            row.slug,
            row.article.slug,
            row.paragraph.number,
            row.passage,
            row.translation,
            absolute_url(request, path),
        ]


def as_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode()


def record_jsonl(request):
    return "".join(f"{snapshot.dumps(row)}\n" for row in snapshot.record_rows()).encode()


# FollowTheMoney ---------------------------------------------------------------

#: FollowTheMoney names languages in ISO 639-3.
LANGUAGES = {"fr": "fra", "en": "eng"}


def ftm_id(kind, slug):
    return f"alliance-{kind}-{slug}"


def party_entity(request, party, schema):
    properties = {"name": [party.name], "sourceUrl": [page_url(request, party)]}
    if party.wikidata_id:
        properties["wikidataId"] = [party.wikidata_id]
    if schema == "Organization":
        aliases = [party.full_name, party.name_en, *party.alias_list]
        aliases = sorted({alias for alias in aliases if alias and alias != party.name})
        if aliases:
            properties["alias"] = aliases
        if party.country:
            properties["country"] = [party.country.lower()]
        if party.description:
            properties["description"] = [party.description]
        lei = [row.value for row in party.identifiers.all() if row.scheme == "lei"]
        if lei:
            properties["leiCode"] = lei
    kind = "organisation" if schema == "Organization" else "person"
    return {"id": ftm_id(kind, party.slug), "schema": schema, "properties": properties}


def article_entity(request, article):
    properties = {
        "title": [article.title],
        "publishedAt": [article.published_iso],
        "language": [LANGUAGES.get(article.language, article.language)],
        "sourceUrl": [article.source_url or page_url(request, article)],
    }
    if article.authors:
        properties["author"] = [article.authors]
    if article.outlet:
        properties["publisher"] = [article.outlet.name]
    return {"id": ftm_id("article", article.slug), "schema": "Article", "properties": properties}


def tie_properties(request, fact):
    """What every tie carries: its dates, its status, its proof and passage."""
    citation = fact.citation
    with translation.override("fr"):
        paragraph = f"{citation.article.get_absolute_url()}#{citation.paragraph.anchor}"
    properties = {
        "proof": [ftm_id("article", citation.article.slug)],
        "sourceUrl": [absolute_url(request, paragraph)],
        "summary": [citation.passage],
        "status": [fact.status],
    }
    if fact.correction:
        properties["description"] = [fact.correction]
    for name, value, precision in (
        ("startDate", fact.started_on, fact.started_precision),
        ("endDate", fact.ended_on, fact.ended_precision),
    ):
        if value is not None:
            properties[name] = [iso(value, precision)]
    return properties


def ftm_entities(request):
    organisations = Organisation.objects.prefetch_related("identifiers").order_by("slug")
    for organisation in organisations:
        yield party_entity(request, organisation, "Organization")
    for person in Person.objects.order_by("slug"):
        yield party_entity(request, person, "Person")
    for article in Article.objects.public().select_related("outlet").order_by("slug"):
        yield article_entity(request, article)
    # An absence is not a membership: it stays out of the ties.
    memberships = (
        Membership.objects.public()
        .exclude(role=MembershipRole.ABSENT)
        .select_related("member", "coalition", *CITED)
        .order_by("slug")
    )
    for membership in memberships:
        properties = tie_properties(request, membership)
        properties["member"] = [ftm_id("organisation", membership.member.slug)]
        properties["organization"] = [ftm_id("organisation", membership.coalition.slug)]
        properties["role"] = [membership.get_role_display()]
        yield {
            "id": ftm_id("membership", membership.slug),
            "schema": "Membership",
            "properties": properties,
        }
    roles = Role.objects.public().select_related("person", "organisation", *CITED)
    for role in roles.order_by("slug"):
        properties = tie_properties(request, role)
        properties["director"] = [ftm_id("person", role.person.slug)]
        properties["organization"] = [ftm_id("organisation", role.organisation.slug)]
        properties["role"] = [role.title]
        yield {"id": ftm_id("role", role.slug), "schema": "Directorship", "properties": properties}


def followthemoney_jsonl(request):
    with translation.override("fr"):
        lines = [
            json.dumps(entity, ensure_ascii=False, sort_keys=True)
            for entity in ftm_entities(request)
        ]
    return "".join(f"{line}\n" for line in lines).encode()


# The files ---------------------------------------------------------------------

#: name -> (media type, what it holds, how it is made)
FILES = {
    "organisations.csv": (CSV, "Organisations (coalitions apart), with their identifiers.", lambda r: as_csv(organisations_csv(r))),
    "coalitions.csv": (CSV, "Coalitions, with the member count their sources declare.", lambda r: as_csv(organisations_csv(r, coalitions=True))),
    "people.csv": (CSV, "People, with their identifiers.", lambda r: as_csv(people_csv(r))),
    "memberships.csv": (CSV, "Places in coalitions, absences included, each with its passage.", lambda r: as_csv(memberships_csv(r))),
    "roles.csv": (CSV, "Titles people hold, each with its passage.", lambda r: as_csv(roles_csv(r))),
    "positions.csv": (CSV, "Stances on a topic, each with its passage.", lambda r: as_csv(positions_csv(r))),
    "ai-systems.csv": (CSV, "AI systems and their owners, each with its passage.", lambda r: as_csv(ai_systems_csv(r))),
    "articles.csv": (CSV, "The source articles.", lambda r: as_csv(articles_csv(r))),
    "citations.csv": (CSV, "The passages quoted word for word.", lambda r: as_csv(citations_csv(r))),
    "record.jsonl": (JSON_LINES, "Every public row of the record, one JSON object a line; loads back into an empty database.", record_jsonl),
    "followthemoney.jsonl": (JSON_LINES, "Organisations, people, memberships and titles as FollowTheMoney entities, with their sources.", followthemoney_jsonl),
}  # fmt: skip


class _Made:
    """The files made for the current version, per site address: replaced when it moves."""

    lock = threading.Lock()
    version = None
    files = {}

    @classmethod
    def get(cls, request, name, record_version):
        key = (absolute_url(request, "/"), name)
        with cls.lock:
            if cls.version != record_version:
                cls.version, cls.files = record_version, {}
            if key not in cls.files:
                cls.files[key] = FILES[name][2](request)
            return cls.files[key]


def file_entry(request, name, record_version):
    media_type, description, _make = FILES[name]
    return {
        "name": name,
        "media_type": media_type.split(";")[0],
        "description": description,
        "url": absolute_url(request, f"/api/v1/exports/{name}"),
        "version": record_version,
    }


class ExportFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    media_type = serializers.ChoiceField(choices=["text/csv", "application/x-ndjson"])
    description = serializers.CharField()
    url = serializers.URLField()
    version = serializers.CharField(help_text="The record's version the file is made from.")


def _refuse_parameters(request):
    unknown = {
        name: [_("Unknown query parameter.")]
        for name in request.query_params
        if name not in (FORMAT_PARAMETER, LANGUAGE_PARAMETER)
    }
    if unknown:
        raise ValidationError(unknown)


class ExportListView(ConditionalMixin, APIView):
    """The downloadable files of the whole public record.

    `GET /api/v1/exports/`: each file with its media type and address, and the record's
    version it is made from. A CSV per resource, `record.jsonl` (every public row, one
    JSON object a line, which loads back into an empty database) and
    `followthemoney.jsonl` (FollowTheMoney entities). Each file is made again when the
    record changes, and answers `If-None-Match` with 304 while it stands.

    Answers: 200; 304 when still fresh; 400 for any query parameter; 406, 429, 503.
    """

    authentication_classes = ()
    metadata_class = None
    etag_from_record = True

    @extend_schema(
        operation_id="export_list",
        responses=inline_serializer(
            "ExportList",
            {
                "version": serializers.CharField(),
                "files": ExportFileSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        _refuse_parameters(request)
        record_version = freshness.current().version
        return Response(
            {
                "version": record_version,
                "files": [file_entry(request, name, record_version) for name in FILES],
            }
        )


class ExportFileView(ConditionalMixin, APIView):
    """One file of the record: CSV, JSON Lines, or FollowTheMoney entities.

    `GET /api/v1/exports/{name}` (names as `/api/v1/exports/` lists them). Answers: 200
    with the file as an attachment; 304 when `If-None-Match` still holds (the tag names
    the record's version); 400 for any query parameter; 404 for an unknown name (JSON);
    429, 503.
    """

    authentication_classes = ()
    metadata_class = None
    etag_from_record = True

    def perform_content_negotiation(self, request, force=False):
        # The file is what it is whatever `Accept` says; refusals are in JSON.
        return JSONRenderer(), JSONRenderer.media_type

    # Left out of the OpenAPI schema on purpose: a file is not JSON, its contract is its
    # format (the CSV header, `alliance.api.snapshot`, FollowTheMoney's model), which
    # tests/test_exports.py checks; the list above documents every file and its type.
    @extend_schema(exclude=True)
    def get(self, request, name):
        if name not in FILES:
            raise NotFound(_("No such file."))
        _refuse_parameters(request)
        record_version = freshness.current().version
        body = _Made.get(request, name, record_version)
        response = HttpResponse(body, content_type=FILES[name][0])
        response["Content-Disposition"] = f'attachment; filename="alliance-{name}"'
        response["X-Record-Version"] = record_version
        return response

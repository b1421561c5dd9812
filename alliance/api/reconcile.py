"""A W3C Reconciliation Service (API v0.2) over the record's organisations, coalitions,
people and AI systems, for OpenRefine and the other clients of the protocol.

- `GET /api/reconcile/` answers the service manifest; `GET ?queries=…` or `POST`
  (form field `queries`) a batch of queries: `{"q0": {"query": "IBM", "type":
  "organisation", "limit": 3}}` gives `{"q0": {"result": [candidates]}}`.
- `GET /api/reconcile/suggest/entity/?prefix=…&cursor=…` and
  `/api/reconcile/suggest/type/?prefix=…` complete names and types as one types;
- `GET /api/reconcile/preview/?id=…` is a small HTML card of an entity (for an iframe);
  `/api/reconcile/view/?id=…` sends to its page.

Entities are `organisation:ibm`, `coalition:ai-alliance`, `person:dario-gil`,
`ai-system:watsonx`. Names are compared folded (no accents, no case, one apostrophe),
with every name the record knows (French and English names, full names, aliases),
so "Dario Gil", "Cornell" and "International Business Machines" are exact; a
misspelling scores by its likeness to the nearest name. The best candidate is a `match`
when it is the only one with an exact name, or scores 95 or more with the next one at
least 10 behind. An entity's identifier, slug
or Wikidata item as the query finds it with 100.

Its contract is the W3C specification's own JSON schemas (tests/schemas/reconciliation/),
which tests/test_reconcile.py checks, so it stays out of the OpenAPI document. Refusals
(malformed JSON, an empty or too long query, too many queries, an unknown type or field)
answer 400 with a JSON message.
"""

import difflib
import json
import threading
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance import freshness
from alliance.addresses import absolute_url
from alliance.models import AISystem, Organisation, OrganisationKind, Person
from alliance.search import fold

#: The types entities have; a coalition is an organisation too.
TYPES = {
    "organisation": {"id": "organisation", "name": "Organisation"},
    "coalition": {
        "id": "coalition",
        "name": "Coalition",
        "broader": [{"id": "organisation", "name": "Organisation"}],
    },
    "person": {"id": "person", "name": "Person"},
    "ai-system": {"id": "ai-system", "name": "AI system"},
}
#: The spec's query fields; any other is refused (its schema says additionalProperties).
QUERY_FIELDS = {"query", "type", "limit", "properties", "type_strict"}
BATCH_SIZE = 50
MAX_QUERY_LENGTH = 300
MAX_BATCH_CHARACTERS = 100_000
MAX_LIMIT = 100
DEFAULT_LIMIT = 5
#: Below this a candidate is too unlike the query to propose.
LEAST_SCORE = 50
SUGGESTIONS = 10


@dataclass
class Entity:
    id: str
    type: str
    name: str
    description: str
    url: str
    names: tuple = ()
    codes: tuple = ()
    grams: frozenset = field(default_factory=frozenset)

    @property
    def types(self):
        return ["coalition", "organisation"] if self.type == "coalition" else [self.type]


def trigrams(text):
    padded = f"  {text} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def _entity(kind, slug, name, description, url, names, codes=()):
    folded = tuple(dict.fromkeys(fold(n) for n in names if n))
    return Entity(
        id=f"{kind}:{slug}",
        type=kind,
        name=name,
        description=description,
        url=url,
        names=folded,
        codes=tuple(code.casefold() for code in (f"{kind}:{slug}", slug, *codes) if code),
        grams=frozenset().union(*(trigrams(n) for n in folded)),
    )


def build_index():
    """Every entity, read in three queries."""
    entities = []
    # In the record's language: its pages' addresses, its kinds' names.
    with translation.override("fr"):
        for row in Organisation.objects.all():
            kind = "coalition" if row.kind == OrganisationKind.COALITION else "organisation"
            names = [row.name, row.name_en, row.full_name, *row.alias_list]
            description = row.get_kind_display()
            entities.append(
                _entity(
                    kind,
                    row.slug,
                    row.name,
                    description,
                    row.get_absolute_url(),
                    names,
                    [row.wikidata_id],
                )
            )
        for row in Person.objects.all():
            entities.append(
                _entity(
                    "person",
                    row.slug,
                    row.name,
                    "",
                    row.get_absolute_url(),
                    [row.name],
                    [row.wikidata_id],
                )
            )
        for row in AISystem.objects.public().select_related("owner"):
            entities.append(
                _entity(
                    "ai-system",
                    row.slug,
                    row.name,
                    row.owner.name,
                    row.get_absolute_url(),
                    [row.name],
                )
            )
    return {entity.id: entity for entity in entities}


class _Index:
    """The entities of the current record version, built once per version and process."""

    lock = threading.Lock()
    version = None
    entities = {}

    @classmethod
    def get(cls, request):
        current = freshness.current().version
        with cls.lock:
            if cls.version != current:
                cls.entities, cls.version = build_index(), current
            return cls.entities


def score(entity, query):
    """0 to 100: 100 for a name, identifier or slug; else the likeness to the nearest name."""
    if query in entity.codes or query in entity.names:
        return 100.0
    best = 0.0
    for name in entity.names:
        best = max(best, difflib.SequenceMatcher(None, query, name).ratio())
    return round(100 * best, 1)


def is_match(best, runner_up):
    """Sure enough to pick without asking: the one exact name, or far ahead of the rest."""
    if best == 100:
        return runner_up < 100
    return best >= 95 and best - runner_up >= 10


def candidates(entities, query, types, limit):
    folded = fold(query)
    grams = trigrams(folded)
    found = []
    for entity in entities.values():
        if types and not types.intersection(entity.types):
            continue
        exact = folded in entity.codes or folded in entity.names
        # Trigrams first: only names that share enough of them are compared letter by letter.
        if not exact and len(grams & entity.grams) < len(grams) * 0.3:
            continue
        value = score(entity, folded)
        if value >= LEAST_SCORE:
            found.append((value, entity))
    found.sort(key=lambda pair: (-pair[0], pair[1].name, pair[1].id))
    found = found[:limit]
    results = []
    for rank, (value, entity) in enumerate(found):
        runner_up = found[rank + 1][0] if rank + 1 < len(found) else 0
        results.append(
            {
                "id": entity.id,
                "name": entity.name,
                "description": entity.description,
                "type": [TYPES[kind] for kind in entity.types],
                "score": value,
                "match": rank == 0 and is_match(value, runner_up),
                "features": [{"id": "name_likeness", "value": value}],
            }
        )
    return results


def refuse(message):
    raise ValidationError({"queries": [message]})


def parse_batch(raw):
    """The batch in `queries`, checked: {key: (query, types, limit)}."""
    if len(raw) > MAX_BATCH_CHARACTERS:
        refuse(_("The batch is too long (at most %(n)d characters).") % {"n": MAX_BATCH_CHARACTERS})
    try:
        batch = json.loads(raw)
    except ValueError:
        refuse(_('Not JSON: send an object of queries, e.g. {"q0": {"query": "IBM"}}.'))
    if not isinstance(batch, dict) or not batch:
        refuse(_('Send an object of one or more queries, e.g. {"q0": {"query": "IBM"}}.'))
    if len(batch) > BATCH_SIZE:
        refuse(_("At most %(n)d queries at a time.") % {"n": BATCH_SIZE})
    parsed = {}
    for key, item in batch.items():
        parsed[key] = parse_query(key, item)
    return parsed


def parse_query(key, item):
    if not isinstance(item, dict):
        refuse(_("%(key)s: a query is an object with a “query” field.") % {"key": key})
    unknown = sorted(set(item) - QUERY_FIELDS)
    if unknown:
        refuse(_("%(key)s: unknown field “%(field)s”.") % {"key": key, "field": unknown[0]})
    query = item.get("query")
    if not isinstance(query, str) or not query.strip():
        refuse(_("%(key)s: “query” must be a text that is not empty.") % {"key": key})
    if len(query) > MAX_QUERY_LENGTH:
        refuse(
            _("%(key)s: “query” is too long (at most %(n)d characters).")
            % {"key": key, "n": MAX_QUERY_LENGTH}
        )
    types = item.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        refuse(_("%(key)s: “type” is a type or a list of types.") % {"key": key})
    for kind in types:
        if kind not in TYPES:
            refuse(
                _("%(key)s: unknown type “%(type)s”; the types are %(types)s.")
                % {"key": key, "type": kind[:50], "types": ", ".join(TYPES)}
            )
    limit = item.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        refuse(
            _("%(key)s: “limit” is a whole number from 1 to %(n)d.") % {"key": key, "n": MAX_LIMIT}
        )
    if item.get("type_strict", "any") not in ("any", "should", "all"):
        refuse(_("%(key)s: “type_strict” is any, should or all.") % {"key": key})
    return query, set(types), limit


def manifest(request):
    origin = absolute_url(request, "")
    types = [TYPES[kind] for kind in ("organisation", "coalition", "person", "ai-system")]
    return {
        "versions": ["0.2"],
        "name": "AI Alliance record",
        "identifierSpace": f"{origin}/api/reconcile/view/?id=",
        "schemaSpace": "https://schema.org/Thing",
        "defaultTypes": types,
        "view": {"url": f"{origin}/api/reconcile/view/?id={{{{id}}}}"},
        "preview": {
            "url": f"{origin}/api/reconcile/preview/?id={{{{id}}}}",
            "width": 400,
            "height": 120,
        },
        "suggest": {
            "entity": {"service_url": origin, "service_path": "/api/reconcile/suggest/entity/"},
            "type": {"service_url": origin, "service_path": "/api/reconcile/suggest/type/"},
        },
        "batchSize": BATCH_SIZE,
    }


class ReconcileBase(APIView):
    authentication_classes = ()
    metadata_class = None
    schema = None  # W3C's contract, not OpenAPI's: see the module's docstring.
    #: The query parameters this endpoint reads.
    parameters = ()

    def check_parameters(self, request):
        errors = {
            name: [_("Unknown query parameter.")]
            for name in request.query_params
            if name not in self.parameters
        }
        errors.update(
            {
                name: [_("Give this parameter once.")]
                for name in self.parameters
                if len(request.query_params.getlist(name)) > 1
            }
        )
        if errors:
            raise ValidationError(errors)


class ReconcileView(ReconcileBase):
    """The service manifest (a GET without parameters), and batches of queries."""

    parser_classes = [FormParser, MultiPartParser]
    parameters = ("queries",)

    def get(self, request):
        self.check_parameters(request)
        if "queries" not in request.query_params:
            return Response(manifest(request))
        return self.answer(request, request.query_params["queries"])

    def post(self, request):
        length = int(request.headers.get("Content-Length") or 0)
        if length > MAX_BATCH_CHARACTERS * 4:
            refuse(
                _("The batch is too long (at most %(n)d characters).") % {"n": MAX_BATCH_CHARACTERS}
            )
        self.check_parameters(request)
        raw = request.data.get("queries")
        if raw is None:
            refuse(_("Send the batch in the form field “queries”."))
        return self.answer(request, raw)

    def answer(self, request, raw):
        batch = parse_batch(raw)
        entities = _Index.get(request._request)
        return Response(
            {
                key: {"result": candidates(entities, query, types, limit)}
                for key, (query, types, limit) in batch.items()
            }
        )


def _entity_for(request, raw):
    if not raw or len(raw) > 250 or ":" not in raw:
        raise ValidationError({"id": [_("An entity is its type and slug, e.g. organisation:ibm.")]})
    entity = _Index.get(request._request).get(raw)
    if entity is None:
        raise NotFound(_("No such entity."))
    return entity


class SuggestEntityView(ReconcileBase):
    """Names that begin with (or have a word beginning with) the prefix, ten at a time."""

    parameters = ("prefix", "cursor")

    def get(self, request):
        self.check_parameters(request)
        prefix = fold(request.query_params.get("prefix", ""))
        if not prefix or len(prefix) > MAX_QUERY_LENGTH:
            raise ValidationError(
                {
                    "prefix": [
                        _("Give the beginning of a name (at most %(n)d characters).")
                        % {"n": MAX_QUERY_LENGTH}
                    ]
                }
            )
        raw_cursor = request.query_params.get("cursor", "0")
        if not (raw_cursor.isascii() and raw_cursor.isdigit() and len(raw_cursor) <= 6):
            raise ValidationError({"cursor": [_("A whole number of suggestions to skip.")]})
        cursor = int(raw_cursor)
        entities = _Index.get(request._request).values()
        found = [
            entity
            for entity in entities
            if any(name.startswith(prefix) or f" {prefix}" in f" {name}" for name in entity.names)
            or prefix in entity.codes
        ]
        found.sort(
            key=lambda entity: (
                not any(n.startswith(prefix) for n in entity.names),
                entity.name,
                entity.id,
            )
        )
        return Response(
            {
                "result": [
                    {
                        "id": entity.id,
                        "name": entity.name,
                        "description": entity.description,
                        "notable": [TYPES[kind] for kind in entity.types],
                    }
                    for entity in found[cursor : cursor + SUGGESTIONS]
                ]
            }
        )


class SuggestTypeView(ReconcileBase):
    """The types whose id or name begins with the prefix."""

    parameters = ("prefix", "cursor")

    def get(self, request):
        self.check_parameters(request)
        prefix = fold(request.query_params.get("prefix", ""))[:MAX_QUERY_LENGTH]
        return Response(
            {
                "result": [
                    kind
                    for kind in TYPES.values()
                    if fold(kind["id"]).startswith(prefix) or fold(kind["name"]).startswith(prefix)
                ]
            }
        )


class PreviewView(ReconcileBase):
    """A small HTML card of one entity, made to sit in a client's iframe."""

    parameters = ("id",)

    @xframe_options_exempt
    @csp_override({"default-src": ["'none'"], "frame-ancestors": ["*"]})
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        self.check_parameters(request)
        entity = _entity_for(request, request.query_params.get("id", ""))
        page = absolute_url(request, entity.url)
        body = format_html(
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{}</title>'
            '</head><body><p><strong>{}</strong> ({})</p>{}<p><a href="{}" target="_blank" '
            'rel="noopener">{}</a></p></body></html>',
            entity.name,
            entity.name,
            TYPES[entity.type]["name"],
            format_html("<p>{}</p>", entity.description) if entity.description else "",
            page,
            page,
        )
        return HttpResponse(body, content_type="text/html; charset=utf-8")


class EntityView(ReconcileBase):
    """An entity's page on the site (the manifest's view template)."""

    parameters = ("id",)

    def get(self, request):
        self.check_parameters(request)
        entity = _entity_for(request, request.query_params.get("id", ""))
        return redirect(absolute_url(request, entity.url))

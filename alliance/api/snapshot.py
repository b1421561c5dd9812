"""The public record as rows: `{"type", "key", "fields"}`, with references by natural key.

One shape for the JSON Lines export and the change feed's `data`, so a copy built from
either is the same. `type` names the kind of row (`organisation`, `coalition`, `person`,
`identifier`, `topic`, `article`, `paragraph`, `citation`, `membership`, `role`,
`position`, `ai-system`, `relation`, `claim`, `source`); `key` is its slug, or its id for
the kinds without one (paragraphs, identifiers, further sources). `fields` are the
row's own columns, as Django's serializers write them with natural keys: a reference
is the slug of what it points to (`["ibm"]`), a paragraph `["article-slug", 3]`. Columns
derived from others (search text, sort names, translation marks) are left out; a fact's
`status` and correction are in. A further source names its fact by type and slug
(`"fact": ["membership", "meta-frontier-model-forum"]`) rather than by a database id.

Only what readers see: no draft fact, and nothing of a draft article (its paragraphs,
citations, and the facts resting on them). `load()` writes such rows back into a
database (`tests/test_exports.py` loads an export into an empty one).
"""

import datetime
import decimal
import json

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import transaction
from django.db.models import Q

from alliance.models import (
    AISystem,
    Article,
    Citation,
    Claim,
    ExternalIdentifier,
    Membership,
    Organisation,
    OrganisationKind,
    Paragraph,
    Person,
    Position,
    Relation,
    Role,
    Source,
    Topic,
)

#: Derived columns: recomputed on save, or the editors' own bookkeeping.
LEFT_OUT = {
    "search_text",
    "sort_name",
    "sort_name_en",
    "stale_translations",
    "topic_name",
    "leaning_rank",
}

#: Facts, by type: each is public when `FactQuerySet.public()` says so.
FACTS = {
    "membership": Membership,
    "role": Role,
    "position": Position,
    "ai-system": AISystem,
    "relation": Relation,
    "claim": Claim,
}


def _public_sources():
    facts = Q()
    for model in FACTS.values():
        facts |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.public().values("pk"),
        )
    return Source.objects.filter(facts, citation__article__draft=False)


#: Every type, in the order a load needs (what a row points to comes first, except the
#: few references back, which the loader defers), with its model and its public rows.
TYPES = {
    "topic": (Topic, lambda: Topic.objects.all()),
    "organisation": (
        Organisation,
        lambda: Organisation.objects.exclude(kind=OrganisationKind.COALITION),
    ),
    "coalition": (Organisation, lambda: Organisation.objects.coalitions()),
    "person": (Person, lambda: Person.objects.all()),
    "identifier": (ExternalIdentifier, lambda: ExternalIdentifier.objects.all()),
    "article": (Article, lambda: Article.objects.public()),
    "paragraph": (Paragraph, lambda: Paragraph.objects.filter(article__draft=False)),
    "citation": (Citation, lambda: Citation.objects.filter(article__draft=False)),
    **{name: (model, model.objects.public) for name, model in FACTS.items()},
    "source": (Source, _public_sources),
}
MODEL_TYPES = {}
for _name, (_model, _rows) in TYPES.items():
    MODEL_TYPES.setdefault(_model, _name)  # An organisation, unless its kind says coalition.


def type_of(model, kind=None):
    """The type of a row of `model` (an organisation of kind coalition is a coalition)."""
    if model is Organisation and kind == OrganisationKind.COALITION:
        return "coalition"
    return MODEL_TYPES[model]


def has_slug(model):
    return any(field.name == "slug" for field in model._meta.concrete_fields)


def key_of(obj):
    return obj.slug if has_slug(type(obj)) else str(obj.pk)


def _related_paths(model):
    """What the natural keys of a model's references read: joined, never one query each."""
    paths = []
    for field in model._meta.concrete_fields:
        if field.is_relation:
            paths.append(field.name)
            if field.related_model is Paragraph:
                paths.append(f"{field.name}__article")
    return paths


def _fields(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in LEFT_OUT
    ]


def rows_of(type_name, queryset):
    """The rows of `queryset` (of the type's model), as snapshot rows."""
    model = TYPES[type_name][0]
    paths = _related_paths(model)
    objects = list((queryset.select_related(*paths) if paths else queryset).order_by("pk"))
    serialised = serializers.serialize(
        "python",
        objects,
        fields=_fields(model),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    facts = _facts_of_sources(objects) if model is Source else {}
    rows = []
    for obj, data in zip(objects, serialised, strict=True):
        fields = data["fields"]
        if model is Source:
            del fields["content_type"], fields["object_id"]
            fields["fact"] = facts[obj.pk]
        rows.append({"type": type_name, "key": key_of(obj), "fields": fields})
    return rows


def _facts_of_sources(sources):
    """{source id: [fact type, fact slug]}, one query per kind of fact cited."""
    wanted = {}
    for source in sources:
        wanted.setdefault(source.content_type_id, set()).add(source.object_id)
    slugs = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        for pk, slug in model.objects.filter(pk__in=ids).values_list("pk", "slug"):
            slugs[content_type_id, pk] = [MODEL_TYPES[model], slug]
    return {source.pk: slugs[source.content_type_id, source.object_id] for source in sources}


def record_rows():
    """Every public row of the record, type by type in load order."""
    for type_name, (_model, public_rows) in TYPES.items():
        yield from rows_of(type_name, public_rows())


def encode(value):
    """JSON for snapshot rows: dates in ISO 8601, times to the microsecond."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(row):
    return json.dumps(row, ensure_ascii=False, sort_keys=True, default=encode)


@transaction.atomic
def load(rows):
    """Write snapshot rows into the database (updating rows that are already there).

    References back (an organisation's declared count cites a passage of a later type)
    are filled once every row is in.
    """
    deferred = []
    for row in rows:
        model = TYPES[row["type"]][0]
        fields = dict(row["fields"])
        if model is Source:
            fact_type, fact_slug = fields.pop("fact")
            fact_model = FACTS[fact_type]
            fields["content_type"] = ContentType.objects.get_for_model(fact_model).natural_key()
            fields["object_id"] = fact_model.objects.get(slug=fact_slug).pk
        label = model._meta.label_lower
        for item in serializers.deserialize(
            "python",
            [{"model": label, "fields": fields}],
            handle_forward_references=True,
        ):
            if model is ExternalIdentifier or model is Source:
                _keep_existing_pk(item)
            item.save()
            if item.deferred_fields:
                deferred.append(item)
    for item in deferred:
        item.save_deferred_fields()


def _keep_existing_pk(item):
    """Rows keyed by id: update the one that says the same thing, if there is one."""
    obj = item.object
    if isinstance(obj, ExternalIdentifier):
        same = ExternalIdentifier.objects.filter(scheme=obj.scheme, value=obj.value)
    else:
        same = Source.objects.filter(
            content_type=obj.content_type, object_id=obj.object_id, citation=obj.citation
        )
    obj.pk = same.values_list("pk", flat=True).first()

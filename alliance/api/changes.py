"""Every change to the public record since a moment, read from the history tables.

`GET /api/v1/changes/?since=…` lists each change, oldest first: `created`, `updated` or
`deleted`, with the row's type and key (as in `record.jsonl`), its own version after the
change, when it happened, and, for a row that is in the public record now, its current
`data` (the `fields` of `record.jsonl`). A consumer that applies the changes in order
(put `data` under its type and key, or remove the key on `deleted`) keeps a copy equal
to the record; `tests/test_changes.py` replays the feed from the start and compares.

Drafts never show: a change made while the fact or article was a draft, or to a
passage of a draft article, is left out, and a fact taken back to draft after being
public shows as `deleted`. A change whose row has since left the public record has
`data: null`; a later change (its deletion) follows.
"""

import datetime
import json
import re

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance import freshness
from alliance.api import snapshot
from alliance.api.conditional import ConditionalMixin
from alliance.api.filtering import FORMAT_PARAMETER
from alliance.api.languages import LANGUAGE_PARAMETER
from alliance.api.pagination import Pagination
from alliance.models import Article, Citation, Organisation, Paragraph, Source

CHANGES = {"+": "created", "~": "updated", "-": "deleted"}
#: A record version as this API gives it (`alliance.freshness.version`): its moment
#: to the microsecond, the presentation's digest, and the day it was given.
VERSION = re.compile(r"^(\d{20})-[0-9a-f]{12}(?:-\d{8})?$")
#: ISO 8601 as `since` takes it: a date, or a date and time with an optional offset.
MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
PARAMETERS = {"since", "page", "page_size", FORMAT_PARAMETER, LANGUAGE_PARAMETER}

MODELS = list(dict.fromkeys(model for model, _rows in snapshot.TYPES.values()))
LABELS = {model._meta.label_lower: model for model in MODELS}


def parse_since(raw):
    """A moment from `since`: an ISO 8601 date or date and time, or a record version."""
    raw = raw.strip()
    match = VERSION.match(raw)
    try:
        if match:
            moment = datetime.datetime.strptime(match[1], "%Y%m%d%H%M%S%f")
        elif not MOMENT.match(raw):
            moment = None
        elif len(raw) == 10:
            day = parse_date(raw)
            moment = datetime.datetime.combine(day, datetime.time()) if day else None
        else:
            moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {
                "since": [
                    _(
                        "Give a date (2023-12-05), a date and time (2023-12-05T10:00:00Z) or "
                        "a record version as this API gives it."
                    )
                ]
            }
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def _draft_article(field):
    return Exists(Article.objects.filter(pk=OuterRef(field), draft=True))


def _history_rows(model, since):
    """The changes of one model, as rows of the same columns for every model."""
    history = model.history.model
    rows = history.objects.all()
    if since is not None:
        rows = rows.filter(history_date__gt=since)
    withdrawn = Value(False, output_field=BooleanField())
    if model in snapshot.FACTS.values() or model is Article:
        earlier = history.objects.filter(
            id=OuterRef("id"), history_date__lt=OuterRef("history_date")
        )
        # Public before this edit: an earlier public version, or none on record at all
        # (a row loaded from a fixture: taken as public, as the record's fixture is).
        was_public = Exists(earlier.filter(draft=False)) | ~Exists(earlier)
        withdrawn = Case(
            When(Q(draft=True, history_type="~") & was_public, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        if model is Article:
            public = Q(draft=False)
        else:
            public = Q(draft=False) & ~Exists(
                Citation.objects.filter(pk=OuterRef("citation_id"), article__draft=True)
            )
        rows = rows.annotate(withdrawn=withdrawn).filter(public | Q(withdrawn=True))
    else:
        if model in (Paragraph, Citation):
            rows = rows.exclude(_draft_article("article_id"))
        elif model is Source:
            rows = rows.exclude(
                Exists(Citation.objects.filter(pk=OuterRef("citation_id"), article__draft=True))
            )
        rows = rows.annotate(withdrawn=withdrawn)
    key = F("slug") if snapshot.has_slug(model) else Cast("id", CharField(max_length=20))
    kind = F("kind") if model is Organisation else Value("", output_field=CharField())
    return (
        rows.order_by()
        .annotate(
            changed_at=F("history_date"),
            change=F("history_type"),
            label=Value(model._meta.label_lower, output_field=CharField()),
            row_id=F("id"),
            row_key=key,
            row_kind=kind,
            row_version=F("version"),
        )
        .values(
            "changed_at",
            "change",
            "label",
            "history_id",
            "row_id",
            "row_key",
            "row_kind",
            "row_version",
            "withdrawn",
        )
    )


def _unrecorded_rows(model, since):
    """Public rows with no history at all (loaded from a fixture): created when last saved."""
    history = model.history.model
    rows = snapshot.TYPES[snapshot.type_of(model)][1]()
    if model is Organisation:
        rows = model.objects.all()
    rows = rows.exclude(Exists(history.objects.filter(id=OuterRef("pk"))))
    if since is not None:
        rows = rows.filter(updated_at__gt=since)
    key = F("slug") if snapshot.has_slug(model) else Cast("pk", CharField(max_length=20))
    kind = F("kind") if model is Organisation else Value("", output_field=CharField())
    return (
        rows.order_by()
        .annotate(
            changed_at=F("updated_at"),
            change=Value("+", output_field=CharField()),
            label=Value(model._meta.label_lower, output_field=CharField()),
            history_id=Value(0, output_field=IntegerField()),
            row_id=F("pk"),
            row_key=key,
            row_kind=kind,
            row_version=F("version"),
            withdrawn=Value(False, output_field=BooleanField()),
        )
        .values(
            "changed_at",
            "change",
            "label",
            "history_id",
            "row_id",
            "row_key",
            "row_kind",
            "row_version",
            "withdrawn",
        )
    )


def changes(since=None):
    """Every shown change since `since` (all of them for None), oldest first."""
    first, *others = [
        *(_history_rows(model, since) for model in MODELS),
        *(_unrecorded_rows(model, since) for model in MODELS),
    ]
    return first.union(*others, all=True).order_by("changed_at", "label", "history_id")


def _current_data(entries):
    """{(type, key): fields} of the rows that are public now, one query per type."""
    wanted = {}
    for entry in entries:
        if entry["change"] != "deleted":
            wanted.setdefault(entry["type"], set()).add(entry["_id"])
    data = {}
    for type_name, ids in wanted.items():
        public_rows = snapshot.TYPES[type_name][1]()
        for row in snapshot.rows_of(type_name, public_rows.filter(pk__in=ids)):
            # As record.jsonl writes them: times to the microsecond.
            data[type_name, row["key"]] = json.loads(snapshot.dumps(row["fields"]))
    return data


def describe(rows):
    entries = []
    for row in rows:
        model = LABELS[row["label"]]
        change = "deleted" if row["withdrawn"] else CHANGES[row["change"]]
        entries.append(
            {
                "changed_at": row["changed_at"],
                "change": change,
                "type": snapshot.type_of(model, row["row_kind"]),
                "key": row["row_key"],
                "version": row["row_version"],
                "_id": row["row_id"],
            }
        )
    data = _current_data(entries)
    for entry in entries:
        entry.pop("_id")
        found = data.get((entry["type"], entry["key"]))
        entry["data"] = found if entry["change"] != "deleted" else None
    return entries


class ChangeSerializer(serializers.Serializer):
    changed_at = serializers.DateTimeField()
    change = serializers.ChoiceField(choices=list(CHANGES.values()))
    type = serializers.ChoiceField(choices=list(snapshot.TYPES))
    key = serializers.CharField(help_text="The row's slug, or its id where it has none.")
    version = serializers.IntegerField(help_text="The row's own version after the change.")
    data = serializers.DictField(
        allow_null=True,
        help_text="The row as it is now (the `fields` of record.jsonl); null when deleted.",
    )


class ChangeListView(ConditionalMixin, APIView):
    """Every change to the public record since a moment, oldest first, by pages.

    `GET /api/v1/changes/?since=2023-12-05T10:00:00Z`: each change (`created`,
    `updated`, `deleted`) with the row's type and key (those of
    `/api/v1/exports/record.jsonl`), its version after the change and, while it is
    public, its current `data`. Deletions included. Without `since`, every change from
    the start. `since` is a date, a date and time (ISO 8601; UTC when no offset is
    given) or a record version (`version` in this answer, or in the exports list);
    changes strictly after it are listed. To keep a copy in sync, apply the changes in
    order, then ask again with `since` set to the last `changed_at`.

    Answers: 200; 304 when still fresh; 400 naming a malformed `since`, `page` or
    `page_size`, or any other parameter; 404 for a page past the last; 406, 429, 503.
    """

    authentication_classes = ()
    metadata_class = None
    etag_from_record = True

    @extend_schema(
        operation_id="change_list",
        parameters=[
            OpenApiParameter(
                "since",
                str,
                description=(
                    "Changes strictly after this moment: YYYY-MM-DD, an ISO 8601 date and "
                    "time, or a record version."
                ),
            ),
            OpenApiParameter("page", int, description="Page number, from 1."),
            OpenApiParameter("page_size", int, description="Changes per page, 1 to 100."),
        ],
        responses=inline_serializer(
            "ChangeList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "version": serializers.CharField(help_text="The record's version now."),
                "results": ChangeSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        unknown = {
            name: [_("Unknown query parameter.")]
            for name in request.query_params
            if name not in PARAMETERS
        }
        repeated = {
            name: [_("Give this parameter once.")]
            for name in PARAMETERS
            if len(request.query_params.getlist(name)) > 1
        }
        if unknown or repeated:
            raise ValidationError({**unknown, **repeated})
        raw = request.query_params.get("since")
        since = parse_since(raw) if raw is not None else None
        paginator = Pagination()
        rows = paginator.paginate_queryset(changes(since), request, view=self)
        results = ChangeSerializer(describe(rows), many=True).data
        return Response(
            {
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "version": freshness.current().version,
                "results": results,
            }
        )

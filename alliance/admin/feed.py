"""Every content model's history rows read as one list, newest first.

The Activity page and the deleted list both read it. A page of it costs a fixed number of
queries whatever the number of rows: one union of the history tables for the page's
keys, one count, then one query per content model for the rows themselves.
"""

from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, Value
from django.utils.translation import gettext_lazy as _

from alliance.admin import history
from alliance.admin.history import history_manager, tracked_models


class Action:
    ADDED = "added"
    CHANGED = "changed"
    DELETED = "deleted"
    RESTORED = "restored"
    IMPORTED = "imported"
    LOADED = "loaded"

    CHOICES = [
        (ADDED, _("added")),
        (CHANGED, _("changed")),
        (DELETED, _("deleted")),
        (RESTORED, _("restored")),
        (IMPORTED, _("imported")),
        (LOADED, _("loaded")),
    ]
    # Paths other than a person's form are told by the change reason they write.
    BY_REASON = {RESTORED: history.RESTORED, IMPORTED: history.IMPORTED, LOADED: history.LOADED}
    BY_TYPE = {"+": ADDED, "~": CHANGED, "-": DELETED}


def action_of(history_type, reason):
    for action, written in Action.BY_REASON.items():
        if reason == written:
            return action
    return Action.BY_TYPE[history_type]


def filter_action(queryset, action):
    if action in Action.BY_REASON:
        return queryset.filter(history_change_reason=Action.BY_REASON[action])
    by_type = {value: key for key, value in Action.BY_TYPE.items()}
    reasons = list(Action.BY_REASON.values())
    return queryset.filter(history_type=by_type[action]).exclude(history_change_reason__in=reasons)


def still_deleted(queryset, model):
    """The latest deletion of each row that is not back in the table."""
    history_model = queryset.model
    later = history_model._default_manager.filter(
        id=OuterRef("id"), history_date__gt=OuterRef("history_date")
    )
    present = model._base_manager.filter(pk=OuterRef("id"))
    return queryset.filter(history_type="-").exclude(Exists(later)).exclude(Exists(present))


class Gone:
    """Stands for a related row that is no longer in its table."""

    def __init__(self, pk):
        self.pk = pk

    def __str__(self):
        return str(_("(deleted #%(pk)s)") % {"pk": self.pk})


def with_related(model, records):
    """Each record's instance, its foreign keys filled by one query per key."""
    instances = [record.instance for record in records]
    for field in model._meta.concrete_fields:
        if not field.is_relation or not field.many_to_one:
            continue
        ids = {getattr(instance, field.attname) for instance in instances} - {None}
        if not ids:
            continue
        related = field.related_model._base_manager.in_bulk(ids)
        for instance in instances:
            pk = getattr(instance, field.attname)
            if pk is not None:
                # Written to the cache directly, so a row that is gone can stand in too.
                instance._state.fields_cache[field.name] = related.get(pk) or Gone(pk)
    for record, instance in zip(records, instances, strict=True):
        record.loaded_instance = instance
    return records


@dataclass
class Entry:
    model: type
    record: object  # the historical row

    @property
    def instance(self):
        return self.record.loaded_instance

    @property
    def text(self):
        try:
            return str(self.instance)
        except Exception:  # a row whose parts are gone still gets listed
            return f"{self.model._meta.verbose_name} #{self.record.id}"

    @property
    def action(self):
        return action_of(self.record.history_type, self.record.history_change_reason)

    @property
    def label(self):
        return self.model._meta.label_lower


def models_by_label():
    return {model._meta.label_lower: model for model in tracked_models()}


def history_querysets(models, *, user=None, since=None, until=None, action=None, deleted=False):
    """Each model's filtered history rows."""
    querysets = {}
    for model in models:
        queryset = history_manager(model).all()
        if user is not None:
            queryset = queryset.filter(history_user=user)
        if since is not None:
            queryset = queryset.filter(history_date__date__gte=since)
        if until is not None:
            queryset = queryset.filter(history_date__date__lte=until)
        if action:
            queryset = filter_action(queryset, action)
        if deleted:
            queryset = still_deleted(queryset, model)
        querysets[model._meta.label_lower] = queryset
    return querysets


class Feed:
    """A sliceable, countable list of Entry, for Django's Paginator."""

    def __init__(self, querysets):
        self.querysets = querysets

    def keys(self):
        parts = [
            queryset.order_by()
            .annotate(label=Value(label, output_field=CharField()))
            .values_list("history_date", "history_id", "label")
            for label, queryset in self.querysets.items()
        ]
        if not parts:
            return None
        first, *rest = parts
        union = first.union(*rest, all=True) if rest else first
        return union.order_by("-history_date", "-history_id")

    def count(self):
        keys = self.keys()
        return 0 if keys is None else keys.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        keys = self.keys()
        if keys is None:
            return []
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        page = list(keys[index])
        wanted = {}
        for _date, history_id, label in page:
            wanted.setdefault(label, []).append(history_id)
        records = {}
        by_label = models_by_label()
        for label, ids in wanted.items():
            queryset = self.querysets[label].model._default_manager.filter(history_id__in=ids)
            found = with_related(by_label[label], list(queryset.select_related("history_user")))
            for record in found:
                records[(label, record.history_id)] = record
        return [
            Entry(by_label[label], records[(label, history_id)])
            for _date, history_id, label in page
            if (label, history_id) in records
        ]

"""Bringing a deleted row back from its history.

A deletion leaves a "-" history row holding every field of the row as it was. Restoring
puts the row back under its own id, with a history row saying "restored". A fact comes
back with its citation: a citation deleted since is restored with it. Anything else the
row points to must still be there; otherwise the restore is refused, naming what is gone,
and nothing is written.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.admin.history import RESTORED, history_manager
from alliance.models import Citation


class RestoreRefused(Exception):
    pass


def latest_deletion(model, pk):
    manager = history_manager(model)
    latest = manager.filter(id=pk).order_by("-history_date", "-history_id").first()
    return latest if latest is not None and latest.history_type == "-" else None


class Named:
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def safe_str(instance):
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{instance._meta.verbose_name} #{instance.pk}"


def describe_gone(field, pk):
    """Name a row that is gone by what its last history row said it was."""
    deletion = latest_deletion(field.related_model, pk)
    if deletion is None:
        return f"#{pk}"
    try:
        return str(deletion.instance)
    except Exception:
        return f"#{pk}"


def restore(model, history_id, user):
    """Restore the row deleted by history row `history_id`; return the restored row."""
    with transaction.atomic():
        return _restore(model, history_id, user)


def _restore(model, history_id, user):
    record = history_manager(model).filter(history_id=history_id).first()
    if record is None or record.history_type != "-":
        raise RestoreRefused(_("This history entry is not a deletion."))
    concrete = model._meta.concrete_model
    if concrete._base_manager.filter(pk=record.id).exists():
        raise RestoreRefused(
            _("“%(what)s” is already in the record: nothing to restore.")
            % {"what": safe_str(record.instance)}
        )
    latest = latest_deletion(concrete, record.id)
    if latest is None or latest.history_id != record.history_id:
        raise RestoreRefused(
            _("A later change of this row exists: restore from its latest deletion.")
        )
    instance = record.instance
    instance._state.adding = True

    for field in concrete._meta.concrete_fields:
        if not field.many_to_one:
            continue
        pk = getattr(instance, field.attname)
        if pk is None or field.related_model._base_manager.filter(pk=pk).exists():
            continue
        if field.related_model is Citation and latest_deletion(Citation, pk) is not None:
            # A fact comes back with its passage.
            _restore(Citation, latest_deletion(Citation, pk).history_id, user)
            continue
        target = describe_gone(field, pk)
        # Named in the message by what it was, since the row itself is gone.
        instance._state.fields_cache[field.name] = Named(target)
        raise RestoreRefused(
            _(
                "“%(what)s” cannot be restored: its %(field)s (%(target)s) is gone. "
                "Restore that first, from the deleted list."
            )
            % {"what": safe_str(instance), "field": field.verbose_name, "target": target}
        )

    try:
        instance.validate_unique()
        instance.validate_constraints()
    except ValidationError as error:
        raise RestoreRefused(
            _("“%(what)s” cannot be restored: %(problem)s")
            % {"what": safe_str(instance), "problem": " ".join(error.messages)}
        ) from error
    instance._history_user = user
    instance._change_reason = RESTORED
    try:
        instance.save(force_insert=True)
    except ValidationError as error:  # a citation whose passage its paragraph lost since
        raise RestoreRefused(
            _("“%(what)s” cannot be restored: %(problem)s")
            % {"what": safe_str(instance), "problem": " ".join(error.messages)}
        ) from error
    return instance

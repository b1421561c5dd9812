"""History rows that django-simple-history does not write by itself.

- Proxy models (Coalition, a proxy of Organisation) share their concrete model's history
  table, but simple-history listens only to the concrete model's signals: saves and
  deletes made through the proxy would leave no row. They are recorded here.
- Rows saved raw (fixture loads, restores of old backups) have no history: their stored
  state is recorded as a baseline before their first change, credited to nobody.
- Reasons name the paths that write without a person's form: a fixture load, a CSV import,
  a restore from the deleted list. The Activity page reads them back as actions.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Change reasons written by the paths other than a person's form. They are stored, so
# they stay in English whatever the admin's language; the Activity page shows them as
# its (translated) actions.
LOADED = "loaded from fixture"
IMPORTED = "imported from CSV"
RESTORED = "restored"
BASELINE = "as loaded"


def history_manager(model):
    """The history manager of `model`, or of the concrete model behind a proxy."""
    concrete = model._meta.concrete_model
    name = getattr(concrete._meta, "simple_history_manager_attribute", None)
    return getattr(concrete, name) if name else None


def tracked_models():
    """Every content model with a history table, proxies left out."""
    return [
        model
        for model in apps.get_app_config("alliance").get_models()
        if not model._meta.proxy and history_manager(model) is not None
    ]


def current_user(instance):
    user = getattr(instance, "_history_user", None)
    if user is not None:
        return user
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None and getattr(request, "user", None) and request.user.is_authenticated:
        return request.user
    return None


def record_history(instance, history_type, *, user=None, reason=None, date=None, using=None):
    """Write one history row for `instance` as it is in memory now."""
    history_model = history_manager(type(instance)).model
    attrs = {
        field.attname: getattr(instance, field.attname) for field in history_model.tracked_fields
    }
    return history_model._default_manager.using(using).create(
        history_date=date or getattr(instance, "_history_date", None) or timezone.now(),
        history_type=history_type,
        history_user=user,
        history_change_reason=(
            reason if reason is not None else getattr(instance, "_change_reason", "") or ""
        ),
        **attrs,
    )


def keep_baseline(obj):
    """Record a row's stored state before its first change, if it has no history yet.

    Rows loaded raw have no history: without this baseline their first edit could be
    neither diffed nor reverted. The baseline is nobody's edit, so it names no user.
    """
    if obj.pk is None:
        return
    manager = history_manager(type(obj))
    if manager.filter(**{obj._meta.pk.attname: obj.pk}).exists():
        return
    stored = obj._meta.concrete_model._base_manager.filter(pk=obj.pk).first()
    if stored is not None:
        record_history(stored, "+", user=None, reason=BASELINE, date=stored.updated_at)


def _proxy_saved(sender, instance, created, raw=False, using=None, **kwargs):
    if not raw:
        record_history(instance, "+" if created else "~", user=current_user(instance), using=using)


def _proxy_deleted(sender, instance, using=None, **kwargs):
    record_history(instance, "-", user=current_user(instance), using=using)


def track_proxies():
    """Give every proxy of a tracked model its concrete model's history."""
    for model in apps.get_app_config("alliance").get_models():
        if not model._meta.proxy or history_manager(model) is None:
            continue
        concrete = model._meta.concrete_model
        # The admin's history views look the manager up on the proxy's own options.
        model._meta.simple_history_manager_attribute = (
            concrete._meta.simple_history_manager_attribute
        )
        uid = f"alliance-proxy-history-{model._meta.label_lower}"
        post_save.connect(_proxy_saved, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_proxy_deleted, sender=model, weak=False, dispatch_uid=uid)

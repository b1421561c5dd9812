from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("AI Alliance record")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from alliance import listening  # noqa: F401  (watches this process's writes)
        from alliance.models import signals  # noqa: F401  (connects the receivers)

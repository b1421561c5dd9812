"""The editors' admin: one module per area, the shared behaviour in `mixins`."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.admin import articles, organisations, people, positions, relations

admin.site.site_header = _("AI Alliance record: editing")
admin.site.site_title = _("AI Alliance record")

__all__ = ["articles", "organisations", "people", "positions", "relations"]

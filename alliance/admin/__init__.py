"""The editors' admin: one module per area, the shared behaviour in `mixins`."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.admin import articles, organisations, people, positions, relations
from alliance.admin.history import track_proxies
from alliance.admin.views import extend_site

admin.site.site_header = _("AI Alliance record: editing")
admin.site.site_title = _("AI Alliance record")

# Imported in every process that loads the admin (commands included): saves made through
# a proxy (Coalition) are recorded in its organisation's history from then on.
track_proxies()
extend_site(admin.site)

__all__ = ["articles", "organisations", "people", "positions", "relations"]

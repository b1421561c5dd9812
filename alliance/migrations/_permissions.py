"""Permissions for migrations that hand them out: Django makes them only after `migrate`."""

from django.contrib.auth.management import create_permissions


def create_all(apps):
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, which is how migration
        # states look: pretend for the call, then put back what was there (the tests call
        # this with the real registry, whose flag post_migrate needs later).
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

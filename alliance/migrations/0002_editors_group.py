"""The Editors group: exactly the permissions that editing the record's content needs.

Permissions are normally created after `migrate` finishes (post_migrate), so they are
created here first; the group then holds view/add/change/delete on the content models and
nothing on users, groups or permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"

# Frozen with this migration: a later content model gets its own migration.
CONTENT_MODELS = [
    "aisystem",
    "article",
    "citation",
    "coalition",
    "membership",
    "organisation",
    "paragraph",
    "person",
    "position",
    "role",
    "topic",
]
ACTIONS = ["view", "add", "change", "delete"]


def create_editors_group(apps, schema_editor):
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
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    codenames = [f"{action}_{model}" for model in CONTENT_MODELS for action in ACTIONS]
    permissions = Permission.objects.filter(
        content_type__app_label="alliance", codename__in=codenames
    )
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]

"""Editors edit relations, claims, further sources and external identifiers too.

Only the view/add/change/delete permissions of the models added by 0004; publishing
drafts (`publish_article`) is not an editor's permission by default.
"""

from django.db import migrations

from alliance.migrations import _permissions

EDITORS = "Editors"
NEW_CONTENT_MODELS = ["claim", "externalidentifier", "relation", "source"]
ACTIONS = ["view", "add", "change", "delete"]


def grant(apps, schema_editor):
    _permissions.create_all(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    codenames = [f"{action}_{model}" for model in NEW_CONTENT_MODELS for action in ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="alliance", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in NEW_CONTENT_MODELS for action in ACTIONS]
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="alliance", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("alliance", "0004_living_record")]

    operations = [migrations.RunPython(grant, revoke)]

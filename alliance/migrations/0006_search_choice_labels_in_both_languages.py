"""Positions are found by their leaning and relations by their kind, in either language
("closed", "fermé"): the labels join each row's folded search text.

The labels are written out here as they were when the migration was made, so that it
gives the same result whatever the catalogues say later. The next migration writes every
search text again without them: labels are matched at query time since
(`SearchQuerySet.search_choices`).
"""

from django.db import migrations

from alliance.search import fold

LABELS = {
    "position": (
        "leaning",
        {"open": "open ouvert", "cautious": "cautious prudent", "closed": "closed fermé"},
    ),
    "relation": (
        "kind",
        {
            "criticises": "criticises critique",
            "competes_with": "competes with est en concurrence avec",
            "part_of": "is part of fait partie de",
            "responds_to": "responds to répond à",
            "warns_against": "warns against met en garde contre",
        },
    ),
}


def add_labels(apps, schema_editor):
    for model_name, (field, labels) in LABELS.items():
        model = apps.get_model("alliance", model_name)
        for row in model._base_manager.only("pk", field, "search_text"):
            words = fold(labels.get(getattr(row, field), ""))
            if words and not row.search_text.endswith(words):
                model._base_manager.filter(pk=row.pk).update(
                    search_text=f"{row.search_text} {words}".strip()
                )


class Migration(migrations.Migration):
    dependencies = [("alliance", "0005_editors_edit_the_new_records")]

    operations = [migrations.RunPython(add_labels, migrations.RunPython.noop)]

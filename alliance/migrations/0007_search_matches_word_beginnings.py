"""Search matches the beginnings of words: `search_text` keeps each folded word after a
space (`alliance.search.index_words`), so every row's is written again.

On PostgreSQL, titles, relations and claims get the trigram index the other searchable
tables have, which `LIKE '% word%'` uses.
"""

from django.db import migrations

from alliance.search import index_words

#: Each searchable model with the fields its words come from, as they stand here.
SOURCES = {
    "article": ("title", "title_translation"),
    "paragraph": ("section", "text", "translation"),
    "citation": ("passage", "translation"),
    "organisation": ("name", "name_en", "full_name", "aliases", "description", "description_en"),
    "person": ("name",),
    "role": ("title", "title_en"),
    "topic": ("name", "name_en", "description", "description_en"),
    "position": ("summary", "summary_en", "rationale", "rationale_en"),
    "aisystem": ("name", "description", "description_en"),
    "relation": ("summary", "summary_en"),
    "claim": ("summary", "summary_en"),
}
NEWLY_INDEXED = ("alliance_role", "alliance_relation", "alliance_claim")


def rewrite_search_text(apps, schema_editor):
    for model_name, fields in SOURCES.items():
        model = apps.get_model("alliance", model_name)
        changed = []
        for row in model.objects.only("pk", "search_text", *fields).iterator(chunk_size=500):
            text = index_words(" ".join(str(getattr(row, name) or "") for name in fields))
            if text != row.search_text:
                row.search_text = text
                changed.append(row)
        # bulk_update skips save(): the rows' versions and history stay as they are.
        model.objects.bulk_update(changed, ["search_text"], batch_size=500)


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table in NEWLY_INDEXED:
        name = quote(f"{table.removeprefix('alliance_')}_search_trgm_idx")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {quote(table)} "
            f'USING gin ("search_text" gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in NEWLY_INDEXED:
        name = f"{table.removeprefix('alliance_')}_search_trgm_idx"
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("alliance", "0006_search_choice_labels_in_both_languages")]

    operations = [
        migrations.RunPython(rewrite_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]

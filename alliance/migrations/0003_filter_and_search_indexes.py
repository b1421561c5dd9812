"""Indexes for every filter and ordering of the lists, and for the record's last change.

Plain SQL indexes, the same on SQLite and PostgreSQL, kept out of the models' state
(they change no behaviour, only plans). On PostgreSQL only, a trigram GIN index on each
`search_text`, which `LIKE '%word%'` (the portable search, `alliance.search`) uses.
"""

from django.db import migrations

#: (table, columns): one index each, named after them.
INDEXES = [
    # The last change (`alliance.public.caching.last_change`): MAX() reads the index's end.
    *[
        (table, ("updated_at",))
        for table in (
            "alliance_aisystem",
            "alliance_article",
            "alliance_citation",
            "alliance_membership",
            "alliance_organisation",
            "alliance_paragraph",
            "alliance_person",
            "alliance_position",
            "alliance_role",
            "alliance_topic",
        )
    ],
    # Orderings: lists walk an index instead of sorting the table.
    ("alliance_organisation", ("name", "slug")),
    ("alliance_organisation", ("kind", "name", "slug")),
    ("alliance_organisation", ("country",)),
    ("alliance_person", ("name", "slug")),
    ("alliance_aisystem", ("name", "slug")),
    ("alliance_topic", ("name",)),
    ("alliance_article", ("published_on", "title")),
    ("alliance_article", ("language",)),
    # Filters.
    ("alliance_membership", ("coalition_id", "role")),
    ("alliance_membership", ("member_id", "role")),
    ("alliance_membership", ("role",)),
    ("alliance_membership", ("status",)),
    ("alliance_membership", ("joined_on",)),
    ("alliance_position", ("leaning", "organisation_id")),
    ("alliance_position", ("leaning", "person_id")),
    ("alliance_position", ("status",)),
    ("alliance_position", ("is_quote",)),
    ("alliance_role", ("status",)),
    ("alliance_aisystem", ("status",)),
]

#: Tables whose rows keep a folded `search_text`.
SEARCHABLE = [
    "alliance_aisystem",
    "alliance_article",
    "alliance_citation",
    "alliance_organisation",
    "alliance_paragraph",
    "alliance_person",
    "alliance_position",
    "alliance_topic",
]


def index_name(table, columns):
    name = f"{table.removeprefix('alliance_')}_{'_'.join(columns)}_idx"
    return name.replace("_id_", "_").replace("__", "_")


def create_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, columns in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(index_name(table, columns))} "
            f"ON {quote(table)} ({', '.join(quote(c) for c in columns)})"
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in SEARCHABLE:
            name = quote(f"{table.removeprefix('alliance_')}_search_trgm_idx")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {quote(table)} "
                f'USING gin ("search_text" gin_trgm_ops)'
            )


def drop_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    names = [index_name(table, columns) for table, columns in INDEXES]
    if schema_editor.connection.vendor == "postgresql":
        names += [f"{table.removeprefix('alliance_')}_search_trgm_idx" for table in SEARCHABLE]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


class Migration(migrations.Migration):
    dependencies = [("alliance", "0002_editors_group")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

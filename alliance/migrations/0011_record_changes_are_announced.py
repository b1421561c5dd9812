"""On PostgreSQL, every statement that changes the record announces it on one channel.

Each process keeps the record's last change and reads it again only after an
announcement (`alliance.listening`), instead of asking the database at every request.
NOTIFY is sent when the transaction commits, never before, and once per transaction.
Nothing on SQLite, which has no NOTIFY: there the last change is read at every request.
"""

from django.db import migrations

#: The channel `alliance.listening` listens on.
CHANNEL = "alliance_record_changed"

#: The content tables and their history tables, as `alliance.freshness.content_models()`
#: names them when this was written (tests/test_listening.py checks they still agree).
TABLES = [
    f"alliance_{prefix}{name}"
    for name in (
        "aisystem",
        "article",
        "citation",
        "claim",
        "externalidentifier",
        "membership",
        "organisation",
        "paragraph",
        "person",
        "position",
        "relation",
        "role",
        "source",
        "topic",
    )
    for prefix in ("", "historical")
]

FUNCTION = "alliance_announce_record_change"


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {quote(FUNCTION)}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$"
    )
    for table in TABLES:
        # Per statement, not per row: a bulk import costs one call, and the notices of one
        # transaction fold into one anyway.
        schema_editor.execute(
            f"CREATE TRIGGER {quote(FUNCTION)} "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {quote(FUNCTION)}()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(FUNCTION)} ON {quote(table)}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {quote(FUNCTION)}()")


class Migration(migrations.Migration):
    dependencies = [("alliance", "0010_positions_keep_their_sort_keys")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]

"""Load the record from its fixture without ever overwriting what editors did.

Unlike `loaddata`, which writes every row of the fixture over the row with the same key,
this adds only the rows missing by natural key (slug; article and number for a
paragraph). A row already in the database is kept as it is, edited or not, and a row an
editor deleted stays deleted (the deleted list can bring it back). Each added row gets a
history row credited to the load, not to a person.
"""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction

from alliance.admin.history import LOADED, history_manager, record_history


def find_fixture(label):
    path = Path(label)
    if path.suffix == ".json" and path.exists():
        return path
    for folder in settings.FIXTURE_DIRS:
        candidate = Path(folder) / f"{label}.json"
        if candidate.exists():
            return candidate
    raise CommandError(f"No fixture named {label!r} (looked in {settings.FIXTURE_DIRS}).")


def identity(obj):
    """The natural key of `obj` as filters on its history table."""
    if obj._meta.model_name == "paragraph":
        return {"article_id": obj.article_id, "number": obj.number}
    return {"slug": obj.slug}


def deleted_by_an_editor(obj, using):
    manager = history_manager(type(obj))
    if manager is None:
        return False
    latest = (
        manager.using(using).filter(**identity(obj)).order_by("-history_date", "-history_id")
    ).first()
    return latest is not None and latest.history_type == "-"


class Command(BaseCommand):
    help = (
        "Load the record (fixtures/alliance.json) into an empty database, or add only the "
        "rows it lacks. Rows already there, edited or not, are never overwritten, and rows "
        "editors deleted are not brought back; both are reported as skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fixture", nargs="?", default="alliance", help="A fixture name or .json path."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, fixture, database, verbosity, **options):
        path = find_fixture(fixture)
        added, kept, deleted = Counter(), Counter(), Counter()
        skipped_names = []
        try:
            with transaction.atomic(using=database), path.open(encoding="utf-8") as stream:
                for item in serializers.deserialize(
                    "json", stream, using=database, handle_forward_references=False
                ):
                    obj = item.object
                    label = obj._meta.label
                    if obj.pk is not None:
                        kept[label] += 1
                        skipped_names.append(str(obj))
                    elif deleted_by_an_editor(obj, database):
                        deleted[label] += 1
                        skipped_names.append(str(obj))
                    else:
                        item.save(using=database)
                        if history_manager(type(obj)) is not None:
                            record_history(obj, "+", user=None, reason=LOADED, using=database)
                        added[label] += 1
        except (DeserializationError, DatabaseError, ValidationError) as error:
            raise CommandError(
                f"{path} could not be loaded: {error}. Nothing was written."
            ) from error

        self.stdout.write(self.summary(path, added, kept, deleted))
        if verbosity > 1 and skipped_names:
            self.stdout.write("Skipped: " + "; ".join(skipped_names))

    @staticmethod
    def summary(path, added, kept, deleted):
        def listed(counts):
            return ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))

        lines = [
            f"Added {sum(added.values())} rows from {path}"
            + (f" ({listed(added)})." if added else ".")
        ]
        if kept:
            lines.append(
                f"Skipped {sum(kept.values())} rows already in the database, kept as they are "
                f"({listed(kept)})."
            )
        if deleted:
            lines.append(
                f"Skipped {sum(deleted.values())} rows that editors deleted ({listed(deleted)}); "
                "the admin's deleted list can restore them."
            )
        return "\n".join(lines)

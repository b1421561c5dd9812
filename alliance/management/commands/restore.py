from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from alliance.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Load a file written by `manage.py backup` into an empty, migrated database. A "
        "damaged file, a database that is not empty or whose migrations differ from the "
        "backup's is refused, and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file written by `manage.py backup`.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, database, **options):
        try:
            header = restore_backup(path, using=database)
        except BackupError as error:
            raise CommandError(f"{error} Nothing was restored.") from error
        rows = sum(header["counts"].values())
        self.stdout.write(f"Restored {rows} rows from {path} (made {header['created_at']}).")

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from alliance.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write the whole record (content, its history, the admin log, users and groups) to "
        "one gzip file with a sha256 checksum. Restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, e.g. alliance-2026-11-27.json.gz")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, database, **options):
        header = write_backup(path, using=database)
        rows = sum(header["counts"].values())
        self.stdout.write(f"Wrote {rows} rows to {path} (sha256 {header['sha256']}).")

"""One-file backups of the whole record, signed, and their restore.

A backup is a gzip file holding one header line (JSON: format, checksum, migrations,
row counts, and an HMAC-SHA256 signature of the rest of the header and the payload) and
then the payload: Django's JSON serialization of every row of
- the content and its history (every model of the `alliance` app, historical ones too),
- the admin's log of changes,
- accounts: users and groups, by natural key (username, group name), so that they merge
  with the groups a fresh database already has from its migrations.
Content rows keep their primary keys: the history tables point at them by id.
Permissions and content types are not saved: migrations make them, and rows refer to
them by natural key.

The signature's key is BACKUP_SIGNING_KEY (SECRET_KEY when unset): a file edited by
someone without the key, even with its checksum recomputed, is refused, and so is an
unsigned one. The rows are read in one snapshot (REPEATABLE READ on PostgreSQL), so a
backup taken while editors save is consistent.
"""

import gzip
import hashlib
import hmac
import json
import shutil
import tempfile
import zlib
from contextlib import contextmanager
from datetime import UTC, datetime, time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "alliance-backup"
# Version 1 files carried an unkeyed checksum only: they are refused.
VERSION = 2
APPS = ("alliance", "admin", "auth")
SKIPPED = {"auth.permission"}
# Matched by natural key on restore, not by id.
BY_NATURAL_KEY = {"auth.user", "auth.group"}
# Rows that a fresh, migrated database may already hold, and that a restore merges.
MERGED = {"auth.group"}


class Encoder(DjangoJSONEncoder):
    """Django's JSON, without its rounding of times to milliseconds: nothing is lost."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """The backup cannot be restored; the database was left as it was."""


def backed_up_models():
    """Every model a backup holds, in an order where what rows must refer to comes first.

    Only required references order the models: a nullable one (an article's outlet, a
    coalition's reported count) may point forward, and the load fills it in at the end.
    Ordering by every reference would meet cycles, and break them anywhere.
    """
    chosen = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy and model._meta.label_lower not in SKIPPED
    ]
    needs = {
        model: {
            field.related_model._meta.concrete_model
            for field in model._meta.concrete_fields
            if field.is_relation and not field.null and field.related_model in chosen
        }
        - {model}
        for model in chosen
    }
    ordered = []
    while needs:
        ready = [model for model, required in needs.items() if required <= set(ordered)]
        if not ready:
            raise BackupError(f"Required references form a cycle among {sorted(map(str, needs))}.")
        for model in ready:
            ordered.append(model)
            del needs[model]
    return ordered


def signing_key():
    secret = getattr(settings, "BACKUP_SIGNING_KEY", "") or settings.SECRET_KEY
    # A key of its own, derived: the signature never reveals anything about SECRET_KEY.
    return hashlib.sha256(b"alliance.backup\n" + secret.encode()).digest()


def signer(header):
    """An HMAC over the header (without its signature), to be fed the payload."""
    unsigned = {key: value for key, value in header.items() if key != "signature"}
    mac = hmac.new(signing_key(), digestmod=hashlib.sha256)
    mac.update(json.dumps(unsigned, sort_keys=True).encode() + b"\n")
    return mac


@contextmanager
def snapshot(using):
    """A read-only transaction that sees the database as it was when it began."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            # Must come first in the transaction. READ COMMITTED, the default, would let
            # each table be read at a different moment: positions pointing to citations
            # that a concurrent save made after the citations were read.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def applied_migrations(using=DEFAULT_DB_ALIAS):
    recorder = MigrationRecorder(connections[using])
    applied = {}
    for app, name in sorted(recorder.applied_migrations()):
        if app in APPS:
            applied.setdefault(app, []).append(name)
    return applied


def rows(model):
    return model._default_manager.order_by("pk")


def write_backup(path, using=DEFAULT_DB_ALIAS):
    """Write the backup of database `using` to `path`; return its header."""
    path = Path(path)
    digest = hashlib.sha256()
    counts = {}
    with tempfile.TemporaryFile("w+b") as payload:
        payload.write(b"[")
        first = True
        # One snapshot: rows written while the backup runs do not half-appear in it.
        with snapshot(using):
            for model in backed_up_models():
                label = model._meta.label_lower
                counts[label] = 0
                objects = serializers.serialize(
                    "python",
                    rows(model).using(using).iterator(chunk_size=2000),
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=label in BY_NATURAL_KEY,
                )
                for obj in objects:
                    line = json.dumps(obj, cls=Encoder, ensure_ascii=False)
                    payload.write((b"\n" if first else b",\n") + line.encode())
                    first = False
                    counts[label] += 1
            migrations = applied_migrations(using)
        payload.write(b"\n]\n")
        size = payload.tell()
        payload.seek(0)
        for chunk in iter(lambda: payload.read(1 << 20), b""):
            digest.update(chunk)
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "sha256": digest.hexdigest(),
            "bytes": size,
            "migrations": migrations,
            "counts": counts,
        }
        mac = signer(header)
        payload.seek(0)
        for chunk in iter(lambda: payload.read(1 << 20), b""):
            mac.update(chunk)
        header["signature"] = mac.hexdigest()
        payload.seek(0)
        partial = path.with_name(path.name + ".partial")
        with gzip.open(partial, "wb") as out:
            out.write(json.dumps(header).encode() + b"\n")
            shutil.copyfileobj(payload, out)
        # A crash mid-write never leaves a file that looks like a whole backup.
        partial.replace(path)
    return header


def read_backup(path, payload):
    """Check the backup at `path` and copy its payload into the open binary file `payload`.

    Raise BackupError when the file is not a backup, is truncated or fails its checksum.
    """
    digest = hashlib.sha256()
    size = 0
    try:
        with gzip.open(path, "rb") as source:
            header = json.loads(source.readline())
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise BackupError(f"{path} is not an alliance backup.")
            if header.get("version") != VERSION or not header.get("signature"):
                raise BackupError(
                    f"{path} is not signed (a version {header.get('version')} backup): only "
                    "signed backups are restored."
                )
            mac = signer(header)
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                mac.update(chunk)
                size += len(chunk)
                payload.write(chunk)
    except (OSError, EOFError, zlib.error, ValueError) as error:
        raise BackupError(f"{path} is damaged or not a backup: {error}") from error
    if size != header.get("bytes") or digest.hexdigest() != header.get("sha256"):
        raise BackupError(
            f"{path} is damaged: its checksum does not match what it holds "
            f"(sha256 {digest.hexdigest()}, expected {header.get('sha256')})."
        )
    if not hmac.compare_digest(mac.hexdigest(), str(header["signature"])):
        raise BackupError(
            f"{path} has a signature that does not match: it was altered after it was made, "
            "or made with another key. Set BACKUP_SIGNING_KEY (or SECRET_KEY, when it is "
            "unset) to the one the backup was made with."
        )
    payload.flush()
    return header


def non_empty_models(using=DEFAULT_DB_ALIAS):
    return [
        model._meta.label
        for model in backed_up_models()
        if model._meta.label_lower not in MERGED and model._default_manager.using(using).exists()
    ]


def restore_backup(path, using=DEFAULT_DB_ALIAS):
    """Load the backup at `path` into the empty, migrated database `using`.

    Everything is checked before anything is written, and the load is one transaction:
    a refused or failed restore leaves the database as it was.
    """
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "backup.json"
        with fixture.open("wb") as payload:
            header = read_backup(path, payload)
        migrations = applied_migrations(using)
        if migrations != header["migrations"]:
            raise BackupError(
                "The database's migrations differ from those of the backup. Migrate an empty "
                "database to the backup's state (`manage.py migrate APP MIGRATION` for each "
                f"app: {header['migrations']}), restore, then `manage.py migrate`."
            )
        if filled := non_empty_models(using):
            raise BackupError(
                "The database is not empty (rows in: " + ", ".join(filled) + "). Restore into "
                "a new database, or empty this one first with `manage.py flush`."
            )
        # Permissions are found through content types: a cache from before the database was
        # emptied would point at ids that no longer exist.
        ContentType.objects.clear_cache()
        try:
            with transaction.atomic(using=using):
                call_command("loaddata", str(fixture), database=using, verbosity=0)
        except (DatabaseError, DeserializationError) as error:
            raise BackupError(f"{path} could not be loaded: {error}") from error
    return header

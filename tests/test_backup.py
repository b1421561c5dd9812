"""Backups hold the whole record with a checksum; restores refuse anything doubtful."""

import gzip
import hashlib
import io
import json
import threading
import time

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from alliance.backup import BY_NATURAL_KEY, backed_up_models, rows, signer
from alliance.models import Article, Citation, Organisation, Paragraph, Person, Position, Topic


def snapshot():
    """Every row the backup should hold, independent of ids the database hands out anew."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python",
            rows(model),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=model._meta.label_lower in BY_NATURAL_KEY,
        )
        for model in backed_up_models()
    }


def flush():
    if connection.vendor == "postgresql":
        # Inside the test's transaction, PostgreSQL truncates no table with checks pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def filled(record, django_user_model):
    """The real record, edited by an editor: history rows, the admin log, accounts."""
    editor = django_user_model.objects.create_user(
        "editor", email="editor@example.org", password="a long passphrase", is_staff=True
    )
    reviewers = Group.objects.create(name="Reviewers")
    reviewers.permissions.add(
        Permission.objects.get(codename="change_organisation"),
        Permission.objects.get(codename="view_membership"),
    )
    editor.groups.add(reviewers)
    editor.user_permissions.add(Permission.objects.get(codename="change_position"))
    django_user_model.objects.create_superuser("admin", password="another passphrase")

    organisation = Organisation.objects.order_by("slug").first()
    organisation.description = "Edited: « accents », and a second line.\nÇa marche."
    organisation._history_user = editor
    organisation.save()
    position = Position.objects.order_by("slug").first()
    position.status, position.correction = "disputed", "Misattributed, says a later report."
    position._history_user = editor
    position.save()
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=str(organisation.pk),
        object_repr=str(organisation),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Description"]}}]',
    )
    yield
    # flush() gives content types new ids; the rollback brings the old ones back.
    ContentType.objects.clear_cache()


@pytest.fixture
def backup(filled, tmp_path):
    path = tmp_path / "alliance.json.gz"
    call_command("backup", str(path), stdout=open_null())
    return path


def open_null():
    return io.StringIO()


def rewrite(path, edit, sign=False):
    """Rewrite the backup at `path` with `edit(header, payload) -> (header, payload)`.

    With `sign`, as if made that way by someone holding the key.
    """
    with gzip.open(path, "rb") as source:
        header = json.loads(source.readline())
        payload = source.read()
    header, payload = edit(header, payload)
    if sign:
        mac = signer(header)
        mac.update(payload)
        header["signature"] = mac.hexdigest()
    with gzip.open(path, "wb") as out:
        out.write(json.dumps(header).encode() + b"\n" + payload)


def header_of(path):
    with gzip.open(path, "rb") as source:
        return json.loads(source.readline())


def payload(path):
    with gzip.open(path, "rb") as source:
        source.readline()
        return source.read()


def restore(path):
    call_command("restore", str(path), stdout=open_null())


@pytest.mark.django_db
def test_round_trip_restores_every_row(backup):
    before = snapshot()
    assert before["alliance.organisation"]
    assert before["alliance.historicalorganisation"]
    assert before["admin.logentry"]
    assert {user["fields"]["username"] for user in before["auth.user"]} == {"editor", "admin"}

    flush()
    assert not Organisation.objects.exists()
    restore(backup)

    after = snapshot()
    assert after.keys() == before.keys()
    for label, rows_before in before.items():
        assert after[label] == rows_before, label


@pytest.mark.django_db
def test_restored_record_takes_new_rows(backup, django_user_model):
    flush()
    restore(backup)
    # Sequences were moved past the restored ids.
    highest = Topic.objects.order_by("-pk").first().pk
    assert Topic.objects.create(name="Compute", slug="compute").pk > highest
    django_user_model.objects.create_user("newcomer")


@pytest.mark.django_db
def test_backup_header_counts_rows_and_names_migrations(backup):
    with gzip.open(backup, "rb") as source:
        header = json.loads(source.readline())
    assert header["format"] == "alliance-backup"
    assert header["counts"]["alliance.organisation"] == Organisation.objects.count()
    assert "0001_initial" in header["migrations"]["alliance"]
    assert len(header["sha256"]) == 64


@pytest.mark.django_db
def test_damaged_backup_is_refused_and_nothing_is_written(backup):
    def flip_one_letter(header, payload):
        at = payload.index(b'"name"') + 10
        return header, payload[:at] + bytes([payload[at] ^ 0x01]) + payload[at + 1 :]

    rewrite(backup, flip_one_letter)
    flush()
    with pytest.raises(CommandError, match=r"checksum does not match.*Nothing was restored"):
        restore(backup)
    assert not Organisation.objects.exists()
    assert not LogEntry.objects.exists()


@pytest.mark.django_db
def test_truncated_backup_is_refused(backup):
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])
    flush()
    with pytest.raises(CommandError, match="damaged"):
        restore(backup)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_file_that_is_not_a_backup_is_refused(tmp_path):
    path = tmp_path / "notes.json.gz"
    with gzip.open(path, "wb") as out:
        out.write(b'{"hello": "world"}\n[]\n')
    with pytest.raises(CommandError, match="not an alliance backup"):
        restore(path)


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(backup):
    count = Organisation.objects.count()
    with pytest.raises(CommandError, match=r"not empty \(rows in: .*alliance\.Organisation"):
        restore(backup)
    assert Organisation.objects.count() == count


@pytest.mark.django_db
def test_restore_refuses_a_database_at_other_migrations(backup):
    def from_the_future(header, payload):
        header["migrations"]["alliance"].append("9999_future")
        return header, payload

    rewrite(backup, from_the_future, sign=True)
    flush()
    with pytest.raises(CommandError, match="migrations differ"):
        restore(backup)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_backup_edited_with_its_checksum_recomputed_is_refused(backup):
    def inject_superuser(header, payload):
        rows = json.loads(payload)
        user = next(row for row in rows if row["model"] == "auth.user")
        intruder = {**user, "fields": {**user["fields"], "username": "intruder"}}
        intruder["fields"]["is_superuser"] = True
        payload = json.dumps([*rows, intruder], ensure_ascii=False).encode()
        header["sha256"] = hashlib.sha256(payload).hexdigest()
        header["bytes"] = len(payload)
        header["counts"]["auth.user"] += 1
        return header, payload

    rewrite(backup, inject_superuser)
    flush()
    with pytest.raises(CommandError, match=r"signature that does not match.*Nothing was restored"):
        restore(backup)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_unsigned_backup_is_refused(backup):
    def unsigned(header, payload):
        del header["signature"]
        header["version"] = 1
        return header, payload

    rewrite(backup, unsigned)
    flush()
    with pytest.raises(CommandError, match=r"not signed.*Nothing was restored"):
        restore(backup)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_backup_signed_with_another_key_is_refused(backup, settings):
    settings.BACKUP_SIGNING_KEY = "another deployment's key, not this one's"
    flush()
    with pytest.raises(CommandError, match="signature that does not match"):
        restore(backup)
    assert not Organisation.objects.exists()


# Concurrent writers -----------------------------------------------------------------


def keep_writing(stop, written):
    """An editor saving new positions, each on a new citation, until told to stop."""
    article = Article.objects.get()
    paragraph = article.paragraphs.order_by("number").first()
    topic = Topic.objects.first()
    person = Person.objects.first()
    number = 0
    try:
        while not stop.is_set() and number < 2000:
            number += 1
            with transaction.atomic():
                paragraph = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
                paragraph.text += f" w{threading.get_ident()}-{number}."
                paragraph.save()
                citation = Citation.objects.create(
                    article=article, passage=f"w{threading.get_ident()}-{number}."
                )
                Position.objects.create(
                    topic=topic, person=person, leaning="open", summary="x", citation=citation
                )
            written.append(number)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_backup_taken_while_editors_save_restores_identically(record, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the snapshot matters on PostgreSQL")
    path = tmp_path / "busy.json.gz"
    stop, written = threading.Event(), []
    writers = [threading.Thread(target=keep_writing, args=(stop, written)) for _ in range(2)]
    for writer in writers:
        writer.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        call_command("backup", str(path), stdout=open_null())
        during = len(written)
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert len(written) > during >= 20  # writers saved before, during and after the backup

    flush()
    restore(path)
    again = tmp_path / "restored.json.gz"
    call_command("backup", str(again), stdout=open_null())

    # Every row, as Django's serializer writes it, is the same after the restore: nothing
    # half-written was in the backup (the restore would have failed on a missing citation)
    # and nothing was lost.
    assert payload(again) == payload(path)
    assert header_of(again)["counts"] == header_of(path)["counts"]
    assert header_of(path)["counts"]["alliance.position"] > 11

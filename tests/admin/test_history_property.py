"""Property: whatever editors and operators do, every earlier state of every record can be
rebuilt from its history, and every row that is gone is in the deleted list.

Hypothesis draws sequences of admin saves, deletes, restores, reverts, CSV imports and
fixture loads, run through the real admin (test client) and the real commands, on the
real record. After each step the whole record is photographed; at the end each
photograph must equal the record rebuilt from the history tables as of that moment.
"""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.admin.history import tracked_models
from alliance.models import AISystem, Coalition, Membership, Organisation, Person, Position, Role
from tests.admin.helpers import change_form_data

pytestmark = pytest.mark.django_db


def choose(queryset, number):
    rows = list(queryset.order_by("pk"))
    return rows[number % len(rows)] if rows else None


def change_url(obj):
    return reverse(f"admin:alliance_{obj._meta.model_name}_change", args=[obj.pk])


def save_through_admin(client, obj, **changes):
    url = change_url(obj)
    data = change_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code in {200, 302}, response.status_code


def rename(client, number):
    model = [Person, Organisation][number % 2]
    obj = choose(model.objects.all(), number // 2)
    save_through_admin(client, obj, name=f"{obj.name} ({number})")


def date_a_membership(client, number):
    membership = choose(Membership.objects.present(), number)
    if membership is not None:
        day = datetime.date(2023, 12, 1) + datetime.timedelta(days=number % 60)
        save_through_admin(client, membership, started_on=day.isoformat())


def change_declared_count(client, number):
    coalition = choose(Coalition.objects.filter(declared_member_count__isnull=False), number)
    save_through_admin(client, coalition, declared_member_count=str(50 + number % 40))


def delete_a_fact(client, number):
    model = [Membership, Role, Position, AISystem][number % 4]
    fact = choose(model.objects.all(), number // 4)
    if fact is not None:
        url = reverse(f"admin:alliance_{model._meta.model_name}_delete", args=[fact.pk])
        assert client.post(url, {"post": "yes", "reason": f"step {number}"}).status_code == 302


def restore(client, number):
    rows = client.get(reverse("admin:alliance_deleted")).context["rows"]
    if rows:
        client.post(rows[number % len(rows)]["restore_url"])


def revert(client, number):
    obj = choose(Person.objects.all(), number) if number % 2 else choose(Membership.objects, number)
    if obj is None:
        return
    versions = list(obj.history.order_by("history_date", "history_id"))
    version = versions[number % len(versions)]
    url = reverse(
        f"admin:alliance_{obj._meta.model_name}_simple_history", args=[obj.pk, version.history_id]
    )
    response = client.post(url, change_form_data(client.get(url)))
    assert response.status_code in {200, 302}


def import_csv(client, number):
    exported = client.post(
        reverse("admin:alliance_membership_export"),
        {
            "resource": "0",
            "format": "0",
            **{
                f"membershipresource_{column}": "on"
                for column in [
                    "member",
                    "coalition",
                    "role",
                    "started_on",
                    "article",
                    "passage",
                    "status",
                    "correction",
                    "correction_source",
                    "correction_source_title",
                    "slug",
                ]
            },
        },
    ).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    if not rows:
        return
    row = rows[number % len(rows)]
    row["status"], row["correction"] = "disputed", f"Disputed at step {number}."
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    preview = client.post(
        reverse("admin:alliance_membership_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("m.csv", out.getvalue().encode()),
        },
    )
    form = preview.context.get("confirm_form")
    if form is not None:
        data = {name: form[name].value() for name in form.fields}
        client.post(reverse("admin:alliance_membership_process_import"), data)


def load_fixture(client, number):
    call_command("load_record", verbosity=0, stdout=io.StringIO())


STEPS = [
    rename,
    date_a_membership,
    change_declared_count,
    delete_a_fact,
    restore,
    revert,
    import_csv,
    load_fixture,
]


def fields(instance):
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def photograph():
    return {
        model._meta.label_lower: {obj.pk: fields(obj) for obj in model._base_manager.all()}
        for model in tracked_models()
    }


def rebuilt(moment):
    return {
        model._meta.label_lower: {obj.pk: fields(obj) for obj in model.history.as_of(moment)}
        for model in tracked_models()
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(STEPS), st.integers(min_value=0, max_value=10_000)),
        min_size=1,
        max_size=8,
    )
)
def test_every_earlier_state_can_be_rebuilt_from_history(no_record, client, editor, steps):
    client.force_login(editor)
    with transaction.atomic():
        call_command("load_record", verbosity=0, stdout=io.StringIO())
        photographs = [(timezone.now(), photograph())]
        for step, number in steps:
            step(client, number)
            photographs.append((timezone.now(), photograph()))

        for moment, expected in photographs:
            assert rebuilt(moment) == expected, [step.__name__ for step, _ in steps]

        # Every row that existed once and is gone now is in the deleted list.
        gone = {
            (label, pk)
            for _, photo in photographs
            for label, rows in photo.items()
            for pk in rows
            if pk not in photographs[-1][1][label]
        }
        listed = {
            (row["entry"].model._meta.label_lower, row["record"].id)
            for row in client.get(reverse("admin:alliance_deleted")).context["rows"]
        }
        assert gone <= listed
        transaction.set_rollback(True)

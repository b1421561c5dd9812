"""Who may do what: the Editors group, the editor command, and the permission matrix."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from alliance.models import Membership, Organisation

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    "aisystem",
    "article",
    "citation",
    "claim",
    "coalition",
    "externalidentifier",
    "relation",
    "source",
    "membership",
    "organisation",
    "paragraph",
    "person",
    "position",
    "role",
    "topic",
]


def test_the_editors_group_has_exactly_the_content_permissions(db):
    group = Group.objects.get(name="Editors")
    granted = {
        (perm.content_type.app_label, perm.codename)
        for perm in group.permissions.select_related("content_type")
    }
    assert granted == {
        ("alliance", f"{action}_{model}")
        for model in CONTENT_MODELS
        for action in ("view", "add", "change", "delete")
    }


def test_editors_cannot_touch_users_groups_or_permissions(editor):
    for perm in ("auth.view_user", "auth.change_user", "auth.add_group", "auth.view_permission"):
        assert not editor.has_perm(perm)


# The matrix --------------------------------------------------------------------------

OUTCOMES = {
    # who: (view, add, change, delete) status codes on a membership
    "anonymous": (302, 302, 302, 302),
    "staff": (403, 403, 403, 403),
    "editor": (200, 200, 200, 200),
    "superuser": (200, 200, 200, 200),
}


@pytest.fixture
def login_as(client, staff, editor, superuser):
    def login(who):
        if who != "anonymous":
            client.force_login({"staff": staff, "editor": editor, "superuser": superuser}[who])
        return client

    return login


@pytest.mark.parametrize("who", OUTCOMES)
def test_permission_matrix_for_content(record, login_as, who):
    client = login_as(who)
    membership = Membership.objects.get(slug="oracle-ai-alliance")
    urls = [
        reverse("admin:alliance_membership_changelist"),
        reverse("admin:alliance_membership_add"),
        reverse("admin:alliance_membership_change", args=[membership.pk]),
        reverse("admin:alliance_membership_delete", args=[membership.pk]),
    ]
    assert tuple(client.get(url).status_code for url in urls) == OUTCOMES[who]


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_anonymous_and_staff_without_the_group_cannot_change_anything(record, login_as, who):
    client = login_as(who)
    organisation = Organisation.objects.get(slug="oracle")
    client.post(
        reverse("admin:alliance_organisation_change", args=[organisation.pk]),
        {"name": "Hacked", "slug": "oracle", "kind": "company", "opened_version": "1"},
    )
    client.post(
        reverse("admin:alliance_organisation_delete", args=[organisation.pk]), {"post": "yes"}
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.version) == ("Oracle", 1)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("staff", 403), ("editor", 403), ("superuser", 200)]
)
def test_only_superusers_reach_users_and_groups(db, login_as, who, status):
    client = login_as(who)
    for name in ("admin:auth_user_changelist", "admin:auth_group_changelist"):
        assert client.get(reverse(name)).status_code == status


def test_the_editor_can_reach_the_csv_import_staff_cannot(db, login_as):
    url = reverse("admin:alliance_membership_import")
    assert login_as("editor").get(url).status_code == 200
    assert login_as("staff").get(url).status_code == 403


# The command -----------------------------------------------------------------------------


def test_create_editor_takes_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "correct-horse-battery-staple")
    call_command("create_editor", "lin", "--email", "lin@example.org", "--no-input")
    user = User.objects.get(username="lin")
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password("correct-horse-battery-staple")
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.has_perm("alliance.change_membership")


def test_create_editor_asks_for_the_password_twice(db, monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    good = "correct-horse-battery-staple"
    # A mismatched pair first, then the password twice.
    answers = iter(["first-try-password-9", "typo", good, good])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("create_editor", "lin")
    assert User.objects.get(username="lin").check_password("correct-horse-battery-staple")


def test_create_editor_without_a_password_and_no_input_fails(db, monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="EDITOR_PASSWORD"):
        call_command("create_editor", "lin", "--no-input")
    assert not User.objects.filter(username="lin").exists()


def test_create_editor_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "123")
    with translation.override("en"), pytest.raises(CommandError, match="too short"):
        call_command("create_editor", "lin", "--no-input")
    assert not User.objects.filter(username="lin").exists()

"""Accounts for the admin tests: a superuser, an editor, and staff without the group."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.test import override_settings

PASSWORD = "a-long-test-password-1848"
editors_migration = importlib.import_module("alliance.migrations.0002_editors_group")
new_records_migration = importlib.import_module(
    "alliance.migrations.0005_editors_edit_the_new_records"
)


@pytest.fixture(scope="session", autouse=True)
def _static_files_without_collectstatic():
    # WhiteNoise warns (an error here) when STATIC_ROOT was never collected; serving from
    # the finders, as in development, needs no collectstatic. Session-wide, so that it is
    # in place before the (session) live server loads its middleware.
    with override_settings(WHITENOISE_AUTOREFRESH=True, WHITENOISE_USE_FINDERS=True):
        yield


@pytest.fixture
def editors_group(db):
    # A transactional test (the browser's live server) flushes the migration's rows: make
    # the group again, the way the migration does.
    editors_migration.create_editors_group(apps, None)
    new_records_migration.grant(apps, None)
    return Group.objects.get(name=editors_migration.EDITORS)


def make_user(username, **fields):
    user = User(username=username, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def editor(editors_group):
    user = make_user("ada", is_staff=True)
    user.groups.add(editors_group)
    return user


@pytest.fixture
def second_editor(editors_group):
    user = make_user("grace", is_staff=True)
    user.groups.add(editors_group)
    return user


@pytest.fixture
def staff(db):
    return make_user("sam", is_staff=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def in_french(page):
    """The editors' browsers ask for French, whatever the locale of the machine at hand."""
    page.set_extra_http_headers({"Accept-Language": "fr"})
    return page


@pytest.fixture
def page(page):
    return in_french(page)

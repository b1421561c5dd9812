"""Bad periods through the admin: each refused with a message naming the field, nothing saved."""

import datetime

import pytest
from django.urls import reverse

from alliance.models import Membership, MembershipRole, Role
from tests.admin.helpers import change_form_data, errors_of

pytestmark = pytest.mark.django_db

ARTICLE_MONTH = "décembre 2023"


def change_url(obj):
    return reverse(f"admin:alliance_{obj._meta.model_name}_change", args=[obj.pk])


def post_change(client, obj, **changes):
    response = client.get(change_url(obj))
    data = change_form_data(response)
    data.update(changes)
    return client.post(change_url(obj), data)


def field_errors(response, name):
    return [str(message) for message in response.context["adminform"].form.errors.get(name, [])]


def test_an_end_before_the_start_is_refused_on_the_end_and_nothing_is_saved(record, editor_client):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    response = post_change(editor_client, oracle, ended_on="2023-11")
    assert response.status_code == 200
    assert field_errors(response, "ended_on") == ["La fin précède le début."]
    oracle.refresh_from_db()
    assert oracle.ended_on is None
    assert oracle.version == 1


def test_a_membership_reported_after_its_article_is_refused_naming_the_date(record, editor_client):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    response = post_change(editor_client, oracle, started_on="2024-05")
    assert response.status_code == 200
    (message,) = field_errors(response, "started_on")
    assert "mai 2024" in message
    assert ARTICLE_MONTH in message
    oracle.refresh_from_db()
    assert oracle.started_on == datetime.date(2023, 12, 1)


def test_a_period_that_overlaps_another_of_the_same_member_is_refused(record, editor_client):
    ibm = Membership.objects.get(slug="ibm-ai-alliance")
    ibm.ended_on = datetime.date(2023, 12, 1)
    ibm.ended_precision = "month"
    ibm.save()
    add = reverse("admin:alliance_membership_add")
    data = change_form_data(editor_client.get(add))
    data.update(
        member=str(ibm.member_id),
        coalition=str(ibm.coalition_id),
        role=MembershipRole.MEMBER,
        started_on="2023-11",
        article=str(ibm.citation.article_id),
        passage=ibm.citation.passage,
        status="as_reported",
    )
    response = editor_client.post(add, data)
    assert response.status_code == 200
    (message,) = errors_of(response)
    assert "chevauche" in message
    assert "IBM" in message
    assert Membership.objects.filter(member=ibm.member, coalition=ibm.coalition).count() == 1


def test_a_title_given_up_before_it_was_taken_is_refused(record, editor_client):
    role = Role.objects.get(slug="dario-gil-ibm-vice-president-principal")
    response = post_change(editor_client, role, started_on="2023", ended_on="2022")
    assert response.status_code == 200
    assert field_errors(response, "ended_on") == ["La fin précède le début."]
    role.refresh_from_db()
    assert role.started_on is None
    assert role.ended_on is None


def test_a_date_that_is_no_date_is_refused_with_the_expected_forms(record, editor_client):
    oracle = Membership.objects.get(slug="oracle-ai-alliance")
    response = post_change(editor_client, oracle, ended_on="31/03/2024")
    assert response.status_code == 200
    (message,) = field_errors(response, "ended_on")
    assert "AAAA-MM-JJ" in message or "YYYY-MM-DD" in message
    oracle.refresh_from_db()
    assert oracle.ended_on is None

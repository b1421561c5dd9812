"""Editors see stale and missing translations (a list filter, the Activity page) and
confirm a stale one with an action that the row's history records."""

from django.urls import reverse
from django.utils.html import escape

from alliance.admin.translations import CONFIRMED_REASON
from alliance.models import Position

SLUG = "ibm-open-source-ai"


def make_stale():
    position = Position.objects.get(slug=SLUG)
    position.summary = "IBM réserve l’alliance aux modèles ouverts."
    position.save()
    return position


def listed(client, state):
    response = client.get(reverse("admin:alliance_position_changelist"), {"translations": state})
    assert response.status_code == 200
    return {row.slug for row in response.context["cl"].result_list}


def test_translation_filter_sorts_rows_into_stale_missing_and_up_to_date(record, editor_client):
    make_stale()
    Position.objects.filter(slug="meta-open-source-ai").update(rationale_en="")
    assert listed(editor_client, "stale") == {SLUG}
    assert listed(editor_client, "missing") == {"meta-open-source-ai"}
    up_to_date = listed(editor_client, "up_to_date")
    assert SLUG not in up_to_date
    assert "meta-open-source-ai" not in up_to_date
    assert len(up_to_date) == Position.objects.count() - 2


def test_the_list_says_which_translation_is_stale(record, editor_client):
    make_stale()
    content = editor_client.get(reverse("admin:alliance_position_changelist")).content.decode()
    assert escape("obsolète\u00a0: résumé (anglais)") in content


def test_confirming_clears_the_mark_and_is_kept_in_history(record, editor_client):
    position = make_stale()
    response = editor_client.post(
        reverse("admin:alliance_position_changelist"),
        {"action": "confirm_translations", "_selected_action": [position.pk]},
        follow=True,
    )
    assert response.status_code == 200
    position.refresh_from_db()
    assert position.stale_translations == []
    latest = position.history.first()
    assert latest.history_change_reason == CONFIRMED_REASON
    assert latest.history_user.username == "ada"


def test_activity_lists_stale_and_missing_translations(record, editor_client):
    make_stale()
    Position.objects.filter(slug="meta-open-source-ai").update(rationale_en="")
    response = editor_client.get(reverse("admin:alliance_activity"))
    entries = {entry["row"]: entry["state"] for entry in response.context["translations"]}
    assert set(entries) == {SLUG, "meta-open-source-ai"}
    assert entries[SLUG] == "obsolète\u00a0: résumé (anglais)"
    assert 'id="translations-to-do"' in response.content.decode()


def test_activity_says_when_every_translation_is_up_to_date(record, editor_client):
    response = editor_client.get(reverse("admin:alliance_activity"))
    assert response.context["translations"] == []

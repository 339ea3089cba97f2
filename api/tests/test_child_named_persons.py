from __future__ import annotations

from datetime import timedelta

import pytest

from api.tests.conftest import UNRELATED, VISIBLE, assert_holds_nothing_of, child_url
from audit.models import AuditEvent
from namedperson.models import Assignment, Stage
from organisations.models import Role
from testsupport.cast import assessed_user


@pytest.fixture
def earlier_nurse(cast):
    """Give the protected child its BVC nurse as named person before school."""
    school_start = Assignment.objects.get(child=cast.protected_child).start
    return Assignment.objects.create(
        child=cast.protected_child,
        person=cast.bvc_nurse,
        unit=cast.bvc,
        role=Role.CHILD_HEALTH_NURSE,
        stage=Stage.CHILD_HEALTH,
        start=cast.protected_child.birth_date + timedelta(days=11),
        end=school_start,
        ended_reason="handover",
        owner_authority=cast.region,
    )


@pytest.mark.parametrize("persona", VISIBLE)
def test_it_lists_the_named_persons(client, cast, bearer, persona):
    user = cast.users[persona]
    response = client.get(child_url("child_named_persons", cast.child), headers=bearer(user))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [current] = response.json()
    assert (current["person"]["name"], current["unit"]["name"], current["current"], current["stage"]) == (
        "Hanna Rektorsson",
        "Östra skolan",
        True,
        "school",
    )
    row = AuditEvent.objects.get()
    assert (row.user_id, row.child_id, row.surface, row.target) == (
        user.pk,
        cast.child.pk,
        "api",
        "api:child_named_persons",
    )


@pytest.mark.parametrize("persona", UNRELATED)
def test_it_answers_404_with_nothing_of_the_child(client, cast, bearer, persona):
    response = client.get(child_url("child_named_persons", cast.child), headers=bearer(cast.users[persona]))
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    assert "Rektorsson" not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_it_requires_a_token(client, cast):
    assert client.get(child_url("child_named_persons", cast.child)).status_code == 401


def test_it_hides_earlier_named_persons_elsewhere_for_a_protected_child(client, cast, bearer, earlier_nurse):
    response = client.get(child_url("child_named_persons", cast.protected_child), headers=bearer(cast.teacher))
    rows = response.json()
    assert [(row["stage"], row["masked"], row["person"] and row["person"]["name"]) for row in rows] == [
        ("school", False, "Hanna Rektorsson"),
        ("child_health", True, None),
    ]
    assert rows[1]["unit"] is None
    text = response.content.decode()
    assert "Sköterska" not in text
    assert "BVC Centrum" not in text


def test_it_shows_the_whole_history_only_with_a_secrecy_assessment(client, cast, bearer, earlier_nurse):
    own = client.get(child_url("child_named_persons", cast.protected_child), headers=bearer(cast.named_person)).json()
    assert [row["person"] and row["person"]["name"] for row in own] == ["Hanna Rektorsson", None]
    user = assessed_user(cast, cast.protected_child)
    rows = client.get(child_url("child_named_persons", cast.protected_child), headers=bearer(user)).json()
    assert [(row["person"]["name"], row["current"]) for row in rows] == [
        ("Hanna Rektorsson", True),
        ("Maria Sköterska", False),
    ]

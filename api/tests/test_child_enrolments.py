from __future__ import annotations

from datetime import date, timedelta

import pytest

from api.tests.conftest import UNRELATED, VISIBLE, assert_holds_nothing_of, child_url
from audit.models import AuditEvent
from organisations.models import Role
from testsupport.cast import assessed_user, enrol


@pytest.fixture
def preschool_years(cast):
    """An earlier enrolment of the protected child at a unit of the teacher's authority, not the teacher's own."""
    start = date.today() - timedelta(days=2000)
    return enrol(cast.protected_child, cast.preschool, "preschool", start, start + timedelta(days=1000))


@pytest.mark.parametrize("persona", VISIBLE)
def test_it_lists_the_enrolments_of_the_users_authority(client, cast, bearer, persona):
    user = cast.users[persona]
    response = client.get(child_url("child_enrolments", cast.child), headers=bearer(user))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # The BVC listing is the region's record: the school's staff do not see it.
    assert [(row["kind"], row["unit"]["name"]) for row in response.json()] == [("school", "Östra skolan")]
    row = AuditEvent.objects.get()
    assert (row.user_id, row.child_id, row.surface, row.target) == (
        user.pk,
        cast.child.pk,
        "api",
        "api:child_enrolments",
    )


@pytest.mark.parametrize("persona", UNRELATED)
def test_it_answers_404_with_nothing_of_the_child(client, cast, bearer, persona):
    response = client.get(child_url("child_enrolments", cast.child), headers=bearer(cast.users[persona]))
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    assert "Östra skolan" not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_it_requires_a_token(client, cast):
    assert client.get(child_url("child_enrolments", cast.child)).status_code == 401


def test_it_hides_other_units_of_a_protected_child_from_a_user_without_need(client, cast, bearer, preschool_years):
    response = client.get(child_url("child_enrolments", cast.protected_child), headers=bearer(cast.teacher))
    rows = response.json()
    assert [(row["kind"], row["unit_masked"], row["unit"] and row["unit"]["name"]) for row in rows] == [
        ("school", False, "Östra skolan"),
        ("preschool", True, None),
    ]
    assert "Solrosen" not in response.content.decode()


def test_it_shows_every_unit_only_with_a_secrecy_assessment(client, cast, bearer, preschool_years):
    own = client.get(child_url("child_enrolments", cast.protected_child), headers=bearer(cast.named_person)).json()
    assert [row["unit"] and row["unit"]["name"] for row in own] == ["Östra skolan", None]
    user = assessed_user(cast, cast.protected_child, unit=cast.other_school, role=Role.PRACTITIONER)
    rows = client.get(child_url("child_enrolments", cast.protected_child), headers=bearer(user)).json()
    assert [row["unit"]["name"] for row in rows] == ["Östra skolan", "Förskolan Solrosen"]

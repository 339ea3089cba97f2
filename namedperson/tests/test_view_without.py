"""The oversight page "Barn utan namngiven person"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from namedperson.models import HandoverProposal, Stage
from organisations.models import Role
from testsupport.cast import enrol, make_child, sign_in

URL = reverse("namedperson:without")
TODAY = date.today()


@pytest.fixture
def orphan(cast):
    child = make_child(cast.municipality, born=date(TODAY.year - 8, 1, 5), given="Nils", family="Utan", serial=990)
    enrol(child, cast.school, "school", TODAY - timedelta(days=100))
    return child


@pytest.fixture
def elsewhere(cast):
    child = make_child(cast.municipality, born=date(TODAY.year - 8, 2, 5), given="Greta", family="Annanstans")
    enrol(child, cast.other_school, "school", TODAY - timedelta(days=100))
    return child


def get(client, user):
    sign_in(client, user)
    return client.get(URL)


def test_it_lists_visible_children_without_a_named_person(client, cast, orphan):
    body = get(client, cast.manager).content.decode()
    assert "Utan, Nils" in body
    assert "Saknar namngiven person" in body
    assert "Alva" not in body


def test_it_counts_the_municipality_without_naming_children_the_user_cannot_see(client, cast, orphan, elsewhere):
    body = get(client, cast.manager).content.decode()
    assert "I din kommun finns 2 barn utan namngiven person." in body
    assert "Greta" not in body


def test_it_does_not_count_young_adults_whose_service_has_ended(client, cast):
    make_child(cast.municipality, born=date(TODAY.year - 19, 1, 1), given="Vuxen", family="Person", serial=990)
    assert "I din kommun finns 0 barn utan namngiven person." in get(client, cast.manager).content.decode()


def test_it_lists_overdue_handovers_but_not_recent_ones(client, cast):
    for child, days in ((cast.child, 20), (cast.protected_child, 5)):
        HandoverProposal.objects.create(
            child=child,
            stage=Stage.SCHOOL,
            to_unit=cast.other_school,
            to_role=Role.HEAD_TEACHER,
            due_date=TODAY - timedelta(days=days),
        )
    body = get(client, cast.manager).content.decode()
    assert "Andersson, Alva" in body
    assert "försenad" in body
    assert "Vidar" not in body


def test_it_lists_a_handover_with_no_known_receiving_unit(client, cast):
    HandoverProposal.objects.create(
        child=cast.child, stage=Stage.SCHOOL, to_unit=None, to_role=Role.HEAD_TEACHER, due_date=TODAY
    )
    body = get(client, cast.named_person).content.decode()
    assert "Andersson, Alva" in body
    assert "Mottagande enhet okänd" in body


def test_it_has_an_empty_state(client, cast):
    body = get(client, cast.manager).content.decode()
    assert "Alla barn du har en relation till har en namngiven person" in body


@pytest.mark.parametrize("persona", ["outsider", "bvc_nurse", "teacher", "social_worker", "analyst"])
def test_it_answers_404_without_an_oversight_role(client, cast, orphan, persona):
    response = get(client, getattr(cast, persona))
    assert response.status_code == 404
    assert "Nils" not in response.content.decode()

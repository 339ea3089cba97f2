"""Guardians and custody (ending at 18 without an end date), enrolments and placements, with sources and audit rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEvent
from people.models import Child, Enrolment, Guardian, Guardianship, Source
from registration.tests.helpers import child_post, coordination_number, guardian_post
from sharing import policy
from testsupport.cast import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(client, registrar):
    sign_in(client, registrar)
    client.post(reverse("registration:child_new"), child_post())
    return Child.objects.get(identity_number=coordination_number())


def test_it_records_two_guardians_with_custody(client, newcomer):
    url = reverse("registration:guardian_add", args=[newcomer.pk])
    assert client.post(url, guardian_post()).status_code == 302
    second = guardian_post(number="199908072391", given_name="Omar")
    assert client.post(url, second).status_code == 302
    rows = Guardianship.objects.filter(child=newcomer)
    assert rows.count() == 2 and all(row.has_custody and row.valid_to is None for row in rows)
    assert all(row.source == Source.MANUAL for row in rows)
    assert AuditEvent.objects.filter(child_id=newcomer.pk, record_type="Guardianship", action="create").count() == 2
    page = client.get(reverse("registration:child", args=[newcomer.pk])).content.decode()
    assert "Layla" in page and "Omar" in page
    assert policy.majority_day(newcomer.birth_date).strftime("%Y-%m-%d") in page  # when custody ends


def test_it_reuses_a_guardian_already_registered(client, newcomer, cast):
    url = reverse("registration:guardian_add", args=[newcomer.pk])
    client.post(url, guardian_post(number=cast.guardian.identity_number, given_name="Annan"))
    assert Guardian.objects.filter(identity_number=cast.guardian.identity_number).count() == 1
    assert Guardianship.objects.get(child=newcomer).guardian == cast.guardian


def test_it_refuses_custody_for_a_parent_without_custody(client, newcomer):
    url = reverse("registration:guardian_add", args=[newcomer.pk])
    response = client.post(url, guardian_post(relation="parent_without_custody"))
    assert response.status_code == 400
    assert not Guardianship.objects.filter(child=newcomer).exists()


def test_custody_registered_here_ends_on_the_18th_birthday(client, newcomer):
    client.post(reverse("registration:guardian_add", args=[newcomer.pk]), guardian_post())
    guardian = Guardian.objects.get(guardianships__child=newcomer)
    guardian.user = get_user_model().objects.create_user(username="layla")
    guardian.save()
    turns_18 = policy.majority_day(newcomer.birth_date)
    assert newcomer in policy.family_children(guardian.user, on=turns_18 - timedelta(days=1))
    assert newcomer not in policy.family_children(guardian.user, on=turns_18)  # the family view ends that day


def test_it_ends_a_guardianship_after_confirmation(client, newcomer):
    client.post(reverse("registration:guardian_add", args=[newcomer.pk]), guardian_post())
    row = Guardianship.objects.get(child=newcomer)
    url = reverse("registration:guardianship_end", args=[newcomer.pk, row.pk])
    assert client.get(url).status_code == 200  # the confirmation page
    before = (newcomer.birth_date - timedelta(days=1)).isoformat()
    assert client.post(url, {"end": before}).status_code == 400  # before it began: nothing changes
    row.refresh_from_db()
    assert row.valid_to is None
    assert client.post(url, {"end": policy.today().isoformat()}).status_code == 302
    row.refresh_from_db()
    assert row.valid_to == policy.today()


def test_it_places_the_child_at_a_preschool_and_ends_it(client, newcomer, cast):
    url = reverse("registration:enrolment_add", args=[newcomer.pk])
    start = policy.today().isoformat()
    response = client.post(url, {"unit": cast.preschool.pk, "kind": "preschool", "start": start, "end": ""})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(child=newcomer)
    assert enrolment.owner_authority == cast.education and enrolment.source == Source.MANUAL
    end_url = reverse("registration:enrolment_end", args=[newcomer.pk, enrolment.pk])
    assert client.post(end_url, {"end": start}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.end == policy.today()
    assert AuditEvent.objects.filter(child_id=newcomer.pk, record_type="Enrolment").count() == 2


def test_it_offers_no_unit_outside_the_municipality(client, newcomer, other_registrar, cast):
    other_unit = other_registrar.memberships.get().unit
    url = reverse("registration:enrolment_add", args=[newcomer.pk])
    response = client.post(url, {"unit": other_unit.pk, "kind": "school", "start": policy.today().isoformat()})
    assert response.status_code == 400
    assert not Enrolment.objects.filter(child=newcomer).exists()
    response = client.post(url, {"unit": cast.social_team.pk, "kind": "other", "start": policy.today().isoformat()})
    assert response.status_code == 400  # a social-services team is not a placement

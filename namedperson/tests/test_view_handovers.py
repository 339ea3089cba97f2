"""The "Överlämningar" page and accepting a handover with a confirmation step."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from namedperson.models import Assignment, HandoverProposal
from namedperson.services import handover_propose_due
from namedperson.tests.factories import change_school, staff
from organisations.models import Role, Unit
from people.models import Enrolment
from testsupport.cast import enrol, sign_in

URL = reverse("namedperson:handovers")
TODAY = date.today()


@pytest.fixture
def proposal(cast):
    change_school(cast)
    handover_propose_due(on=TODAY)
    return HandoverProposal.objects.get(child=cast.child)


@pytest.fixture
def receiver(cast):
    return staff(cast.other_school, Role.HEAD_TEACHER, "mottagare")


def accept_url(proposal) -> str:
    return reverse("namedperson:accept", args=[proposal.pk])


def test_it_shows_the_receiver_the_child_to_accept(client, cast, proposal, receiver):
    sign_in(client, receiver)
    body = client.get(URL).content.decode()
    assert "Andersson, Alva" in body
    assert "Hanna Rektorsson (Östra skolan)" in body
    assert accept_url(proposal) in body


def test_it_shows_the_named_person_the_child_that_is_leaving(client, cast, proposal):
    sign_in(client, cast.named_person)
    body = client.get(URL).content.decode()
    assert "Barn som lämnar dig" in body
    assert "Andersson, Alva" in body
    assert "Västra skolan" in body
    assert accept_url(proposal) not in body


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "bvc_nurse"])
def test_it_shows_others_nothing(client, cast, proposal, persona):
    sign_in(client, getattr(cast, persona))
    body = client.get(URL).content.decode()
    assert "Alva" not in body
    assert "Inga barn väntar på att lämnas över till dig." in body


def test_it_hides_the_current_unit_of_a_protected_child(client, cast, receiver):
    Enrolment.objects.filter(child=cast.protected_child, unit=cast.school).update(end=TODAY)
    enrol(cast.protected_child, cast.other_school, "school", TODAY)
    handover_propose_due(on=TODAY)
    sign_in(client, receiver)
    body = client.get(URL).content.decode()
    # Neither the name in the list (as on /barn/) nor the named person it comes from: she names its school.
    assert "Vidar" not in body
    assert "Hanna Rektorsson" not in body
    assert "Skyddade personuppgifter" in body
    assert "Östra skolan" not in body


def test_it_asks_for_confirmation_before_accepting(client, cast, proposal, receiver):
    sign_in(client, receiver)
    response = client.get(accept_url(proposal))
    assert response.status_code == 200
    assert "Bekräfta och ta emot" in response.content.decode()
    assert Assignment.objects.get(child=cast.child, end__isnull=True).person == cast.named_person
    assert AuditEvent.objects.filter(child_id=cast.child.pk, target="namedperson:accept", action="read").exists()


def test_it_accepts_on_post(client, cast, proposal, receiver):
    sign_in(client, receiver)
    response = client.post(accept_url(proposal))
    assert response.status_code == 302
    current = Assignment.objects.get(child=cast.child, end__isnull=True)
    assert (current.person, current.start) == (receiver, TODAY)
    assert Assignment.objects.get(child=cast.child, person=cast.named_person).end == TODAY
    assert "Du är nu namngiven person för Alva Andersson." in client.get(URL).content.decode()


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "named_person", "bvc_nurse"])
def test_it_answers_404_to_anyone_but_the_receiving_role(client, cast, proposal, persona):
    sign_in(client, getattr(cast, persona))
    assert client.get(accept_url(proposal)).status_code == 404
    response = client.post(accept_url(proposal))
    assert response.status_code == 404
    assert "Alva" not in response.content.decode()
    assert Assignment.objects.get(child=cast.child, end__isnull=True).person == cast.named_person


def test_it_explains_a_proposal_that_no_longer_fits_and_replaces_it(client, cast, proposal, receiver):
    sign_in(client, receiver)
    client.get(accept_url(proposal))
    third = Unit.objects.create(authority=cast.education, name="Norra skolan", unit_type="school")
    enrol(cast.child, third, "school", TODAY)  # a later school wins; the receiver still sees the child
    response = client.post(accept_url(proposal))
    assert response.status_code == 400
    assert "Förslaget stämmer inte längre" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == HandoverProposal.Status.SUPERSEDED
    assert HandoverProposal.objects.get(child=cast.child, status="open").to_unit == third
    assert Assignment.objects.get(child=cast.child, end__isnull=True).person == cast.named_person

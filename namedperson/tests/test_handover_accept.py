"""Accepting a handover: only the receiving role at the receiving unit; no gap, no overlap; audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from namedperson.models import Assignment, EndReason, HandoverProposal, Stage
from namedperson.services import handover_accept, handover_propose_due
from namedperson.tests.factories import change_school, staff
from organisations.models import Role, Unit
from people.models import Enrolment
from testsupport.cast import enrol, make_child

TODAY = date.today()


@pytest.fixture
def proposal(cast):
    change_school(cast, days_ago=3)
    handover_propose_due(on=TODAY - timedelta(days=1))
    return HandoverProposal.objects.get(child=cast.child, status="open")


@pytest.fixture
def receiver(cast):
    return staff(cast.other_school, Role.HEAD_TEACHER, "mottagare")


def test_it_closes_the_old_assignment_on_the_day_the_new_one_starts(cast, proposal, receiver):
    new = handover_accept(proposal=proposal, user=receiver, on=TODAY)
    old = Assignment.objects.get(child=cast.child, person=cast.named_person)
    assert (old.end, old.ended_reason) == (TODAY, EndReason.HANDOVER)
    assert (new.start, new.end, new.person, new.unit, new.stage) == (
        TODAY,
        None,
        receiver,
        cast.other_school,
        Stage.SCHOOL,
    )
    assert Assignment.objects.filter(child=cast.child, end__isnull=True).count() == 1


def test_it_marks_the_proposal_accepted_by_the_receiver(proposal, receiver):
    handover_accept(proposal=proposal, user=receiver, on=TODAY)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (HandoverProposal.Status.ACCEPTED, receiver)


def test_it_audits_the_closing_the_opening_and_the_decision(cast, proposal, receiver):
    new = handover_accept(proposal=proposal, user=receiver, on=TODAY)
    rows = set(
        AuditEvent.objects.filter(child_id=cast.child.pk, user_id=receiver.pk).values_list(
            "action", "record_type", "basis"
        )
    )
    assert rows == {
        ("update", "Assignment", "named_person_handover"),
        ("create", "Assignment", "named_person_handover"),
        ("update", "HandoverProposal", "named_person_handover"),
    }
    assert AuditEvent.objects.filter(record_type="Assignment", record_id=str(new.pk), action="create").exists()


def test_it_refuses_a_practitioner_at_the_receiving_unit(cast, proposal):
    with pytest.raises(PermissionDenied):
        handover_accept(proposal=proposal, user=cast.other_school_teacher, on=TODAY)
    assert Assignment.objects.get(child=cast.child, end__isnull=True).person == cast.named_person


def test_it_refuses_a_head_teacher_of_another_unit(cast, proposal):
    with pytest.raises(PermissionDenied):
        handover_accept(proposal=proposal, user=cast.named_person, on=TODAY)
    proposal.refresh_from_db()
    assert proposal.status == HandoverProposal.Status.OPEN


def test_it_refuses_a_receiver_whose_membership_has_ended(cast, proposal):
    former = staff(cast.other_school, Role.HEAD_TEACHER, "tidigare", until=TODAY - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        handover_accept(proposal=proposal, user=former, on=TODAY)


def test_it_refuses_before_the_new_stage_begins(proposal, receiver):
    with pytest.raises(ValidationError) as error:
        handover_accept(proposal=proposal, user=receiver, on=proposal.due_date - timedelta(days=1))
    assert error.value.code == "early"


def test_it_refuses_a_proposal_the_enrolments_no_longer_support(cast, proposal, receiver):
    Enrolment.objects.filter(child=cast.child, unit=cast.other_school).delete()
    with pytest.raises(ValidationError) as error:
        handover_accept(proposal=proposal, user=receiver, on=TODAY)
    assert error.value.code == "stale"
    assert Assignment.objects.filter(child=cast.child).count() == 1


def test_it_refuses_to_accept_twice(proposal, receiver):
    handover_accept(proposal=proposal, user=receiver, on=TODAY)
    with pytest.raises(ValidationError) as error:
        handover_accept(proposal=proposal, user=receiver, on=TODAY)
    assert error.value.code == "decided"


def test_it_refuses_a_proposal_without_a_receiving_unit(cast):
    proposal = HandoverProposal.objects.create(
        child=cast.child, stage=Stage.SCHOOL, to_unit=None, to_role=Role.HEAD_TEACHER, due_date=TODAY
    )
    with pytest.raises(ValidationError) as error:
        handover_accept(proposal=proposal, user=cast.named_person, on=TODAY)
    assert error.value.code == "no_unit"


def test_it_makes_the_accepting_nurse_the_first_named_person(cast):
    baby = make_child(cast.municipality, born=TODAY - timedelta(days=40), given="Ivar", family="Ny", serial=990)
    enrol(baby, cast.bvc, "child_health", TODAY - timedelta(days=30))
    handover_propose_due(on=TODAY)
    proposal = HandoverProposal.objects.get(child=baby)
    new = handover_accept(proposal=proposal, user=cast.bvc_nurse, on=TODAY)
    assert list(Assignment.objects.filter(child=baby)) == [new]
    assert (new.start, new.stage, new.role) == (TODAY, Stage.CHILD_HEALTH, Role.CHILD_HEALTH_NURSE)


def test_it_matches_the_expected_target_after_acceptance(cast, proposal, receiver):
    from namedperson.selectors import target_for

    new = handover_accept(proposal=proposal, user=receiver, on=TODAY)
    expected = target_for(cast.child, TODAY)
    assert (new.stage, new.unit_id, new.role) == (expected.stage, expected.unit_id, expected.role)


def test_it_lets_the_same_person_take_over_at_a_new_unit(cast):
    both = Unit.objects.create(authority=cast.education, name="Skola B", unit_type="school")
    head = staff(cast.school, Role.HEAD_TEACHER, "dubbelrektor")
    staff_membership = head.memberships.first()
    staff_membership.pk = None
    staff_membership.unit = both
    staff_membership.save()
    Enrolment.objects.filter(child=cast.child).update(end=TODAY - timedelta(days=2))
    enrol(cast.child, both, "school", TODAY - timedelta(days=1))
    handover_propose_due(on=TODAY)
    new = handover_accept(proposal=HandoverProposal.objects.get(child=cast.child), user=head, on=TODAY)
    assert new.unit == both

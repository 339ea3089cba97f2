"""The proposal service: one open proposal per child whose expected target differs, idempotent, in batches."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from audit.models import AuditEvent
from namedperson.models import Assignment, EndReason, HandoverProposal, Stage
from namedperson.services import handover_propose_due
from namedperson.stages import add_years
from namedperson.tests.factories import change_school
from organisations.models import Role, Unit
from people.models import Enrolment
from testsupport.cast import enrol, make_child

TODAY = date.today()
OPEN = HandoverProposal.Status.OPEN


def test_it_proposes_the_next_school_from_its_first_day(cast):
    change_school(cast, days_ago=3)
    summary = handover_propose_due(on=TODAY)
    proposal = HandoverProposal.objects.get(status=OPEN)
    assert (proposal.child, proposal.stage, proposal.to_unit, proposal.to_role) == (
        cast.child,
        Stage.SCHOOL,
        cast.other_school,
        Role.HEAD_TEACHER,
    )
    assert proposal.due_date == TODAY - timedelta(days=3)
    assert (summary.checked, summary.created) == (2, 1)


def test_it_leaves_the_old_named_person_responsible_until_someone_accepts(cast):
    change_school(cast)
    handover_propose_due(on=TODAY)
    assert Assignment.objects.get(child=cast.child, end__isnull=True).person == cast.named_person


def test_it_creates_nothing_new_when_run_twice(cast):
    change_school(cast)
    handover_propose_due(on=TODAY)
    second = handover_propose_due(on=TODAY)
    assert (second.created, second.superseded, second.closed) == (0, 0, 0)
    assert HandoverProposal.objects.count() == 1


def test_it_supersedes_a_proposal_when_the_child_moves_again(cast):
    change_school(cast, days_ago=5)
    handover_propose_due(on=TODAY)
    third = Unit.objects.create(authority=cast.education, name="Norra skolan", unit_type="school")
    Enrolment.objects.filter(child=cast.child, unit=cast.other_school).update(end=TODAY - timedelta(days=2))
    enrol(cast.child, third, "school", TODAY - timedelta(days=1))
    summary = handover_propose_due(on=TODAY)
    assert (summary.created, summary.superseded) == (1, 1)
    assert HandoverProposal.objects.get(status=OPEN).to_unit == third
    assert HandoverProposal.objects.filter(status=HandoverProposal.Status.SUPERSEDED).count() == 1


def test_it_supersedes_a_proposal_that_is_no_longer_needed(cast):
    change_school(cast)
    handover_propose_due(on=TODAY)
    Enrolment.objects.filter(child=cast.child, unit=cast.other_school).delete()
    Enrolment.objects.filter(child=cast.child, unit=cast.school).update(end=None)
    summary = handover_propose_due(on=TODAY)
    assert summary.superseded == 1
    assert not HandoverProposal.objects.filter(status=OPEN).exists()


def test_it_proposes_without_a_unit_when_the_newborn_has_no_bvc(cast):
    baby = make_child(cast.municipality, born=TODAY - timedelta(days=20), given="Ebba", family="Nyfödd", serial=990)
    enrol(baby, cast.bmm, "maternity", TODAY - timedelta(days=200), TODAY - timedelta(days=20))
    Assignment.objects.create(
        child=baby,
        person=cast.midwife,
        unit=cast.bmm,
        role=Role.MIDWIFE,
        stage=Stage.PRE_BIRTH,
        start=TODAY - timedelta(days=200),
        owner_authority=cast.region,
    )
    summary = handover_propose_due(on=TODAY)
    proposal = HandoverProposal.objects.get(child=baby, status=OPEN)
    assert (proposal.stage, proposal.to_unit, proposal.due_date) == (
        Stage.CHILD_HEALTH,
        None,
        TODAY - timedelta(days=9),
    )
    assert summary.without_unit == 1


def test_it_proposes_a_first_named_person_for_a_child_without_one(cast):
    baby = make_child(cast.municipality, born=TODAY - timedelta(days=60), given="Ivar", family="Ny", serial=990)
    enrol(baby, cast.bvc, "child_health", TODAY - timedelta(days=50))
    handover_propose_due(on=TODAY)
    proposal = HandoverProposal.objects.get(child=baby, status=OPEN)
    assert (proposal.to_unit, proposal.to_role) == (cast.bvc, Role.CHILD_HEALTH_NURSE)


def test_it_closes_the_assignment_on_the_18th_birthday_even_when_run_late(cast):
    born = add_years(TODAY, -18) - timedelta(days=5)
    adult = make_child(cast.municipality, born=born, given="Alma", family="Vuxen", serial=990)
    enrol(adult, cast.school, "school", TODAY - timedelta(days=900), TODAY - timedelta(days=30))
    assignment = Assignment.objects.create(
        child=adult,
        person=cast.named_person,
        unit=cast.school,
        role=Role.HEAD_TEACHER,
        stage=Stage.SCHOOL,
        start=TODAY - timedelta(days=900),
        owner_authority=cast.education,
    )
    summary = handover_propose_due(on=TODAY)
    assignment.refresh_from_db()
    assert (assignment.end, assignment.ended_reason) == (add_years(born, 18), EndReason.SERVICE_ENDED)
    assert summary.closed == 1
    event = AuditEvent.objects.get(child_id=adult.pk)
    assert (event.action, event.surface, event.basis, event.record_id) == (
        "update",
        "task",
        "named_person_handover",
        str(assignment.pk),
    )
    assert handover_propose_due(on=TODAY).closed == 0


def test_it_audits_every_proposal_it_creates(cast):
    change_school(cast)
    handover_propose_due(on=TODAY)
    proposal = HandoverProposal.objects.get()
    assert AuditEvent.objects.filter(
        child_id=cast.child.pk, action="create", record_type="HandoverProposal", record_id=str(proposal.pk)
    ).exists()


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_it_gives_the_same_result_in_small_batches(cast, batch_size):
    change_school(cast)
    summary = handover_propose_due(on=TODAY, batch_size=batch_size)
    assert (summary.checked, summary.created) == (2, 1)

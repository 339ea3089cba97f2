"""Who hears of what: each event's recipients, and nobody else."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from namedperson.models import HandoverProposal
from notifications import events
from notifications.models import Kind
from organisations.models import Role
from plans.services import reminders_make
from plans.tests.setup import add_action, bup_relation, plan_consent, start
from sharing import policy
from sharing.models import Consent, ConsentParty, EmergencyAccess


def _recipients(rows) -> set[tuple[str, int]]:
    return {(row.kind, row.user_id) for row in rows}


def _consent(cast, *, status=Consent.Status.REQUESTED, days=60) -> Consent:
    now = timezone.now()
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samverkan",
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=days),
        status=status,
    )
    for guardian in (cast.guardian, cast.noncustodial_parent):
        ConsentParty.objects.create(consent=consent, guardian=guardian)
    return consent


def test_a_consent_request_waits_for_the_custodial_guardians_only(cast):
    _consent(cast)
    assert _recipients(events.consents_waiting(policy.today())) == {(Kind.CONSENT_WAITING, cast.guardian_user.pk)}


def test_a_consent_ending_within_two_weeks_is_announced_and_a_later_one_is_not(cast):
    soon = _consent(cast, status=Consent.Status.GIVEN, days=10)
    _consent(cast, status=Consent.Status.GIVEN, days=60)
    rows = list(events.consents_expiring(policy.today()))
    assert [(row.key, row.user_id) for row in rows] == [(f"consent_expires:{soon.pk}", cast.guardian_user.pk)]


def test_an_emergency_access_is_told_to_the_custodial_guardians_and_its_review_to_the_owners_managers(cast):
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        child=cast.child,
        user=cast.bvc_nurse,
        owner_authority=cast.education,
        reason="Akut",
        started_at=now - timedelta(hours=30),
        ends_at=now - timedelta(hours=6),
    )
    told = _recipients(events.emergencies_happened(policy.today()))
    assert told == {
        (Kind.EMERGENCY_HAPPENED, cast.guardian_user.pk),
        (Kind.EMERGENCY_HAPPENED, cast.co_guardian_user.pk),
    }
    assert _recipients(events.emergency_reviews_due(policy.today())) == {(Kind.EMERGENCY_REVIEW_DUE, cast.manager.pk)}
    access.review = EmergencyAccess.Review.JUSTIFIED
    access.save(update_fields=["review"])
    assert list(events.emergency_reviews_due(policy.today())) == []


def test_a_handover_waits_for_the_receiving_role_at_the_receiving_unit(cast):
    HandoverProposal.objects.create(
        child=cast.child,
        stage="school",
        to_unit=cast.school,
        to_role=Role.HEAD_TEACHER,
        due_date=policy.today() + timedelta(days=5),
    )
    HandoverProposal.objects.create(
        child=cast.protected_child,
        stage="school",
        to_unit=cast.school,
        to_role=Role.HEAD_TEACHER,
        due_date=policy.today() + timedelta(days=60),  # too far ahead to announce
    )
    assert _recipients(events.handovers_due(policy.today())) == {(Kind.HANDOVER_DUE, cast.named_person.pk)}


def test_a_due_review_goes_to_the_lead_and_an_overdue_action_to_its_owner(cast):
    plan = start(cast)
    add_action(cast, plan, person=cast.teacher, days=1)
    plan.next_review_on = policy.today() + timedelta(days=2)
    plan.save(update_fields=["next_review_on"])
    later = policy.today() + timedelta(days=5)
    reminders_make(on=later)
    assert _recipients(events.reminders_due(later)) == {
        (Kind.REVIEW_DUE, cast.named_person.pk),
        (Kind.ACTION_DUE, cast.teacher.pk),
    }


def test_an_action_owner_of_another_authority_is_told_only_while_a_consent_opens_the_plan(cast):
    bup_relation(cast)
    consent = plan_consent(cast)  # opens the school's plan to the region
    plan = start(cast)
    add_action(cast, plan, authority=cast.region, person=cast.bup_clinician, days=1)
    later = policy.today() + timedelta(days=5)
    reminders_make(on=later)
    assert (Kind.ACTION_DUE, cast.bup_clinician.pk) in _recipients(events.reminders_due(later))
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert _recipients(events.reminders_due(later)) == set()  # nothing waits for her that she may read

"""A consent to "the participants of the child's plan": it reaches an authority only while it takes part.

The policy judges it at each read: the authorities of the open plan's participants and the plan's
owner are recipients; the moment the plan closes (or is declined) or the authority's participant
leaves, its staff no longer see what the consent opened.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEvent
from people.models import Enrolment
from plans.models import ChildPlan, Participant
from sharing import policy
from sharing.models import Consent, ConsentCategory, ReportOfConcern
from testsupport.cast import enrol


def _open(cast, who):
    user = getattr(cast, who)
    with audit.deferred():
        return policy.child_for_user(
            user, cast.child.pk, actor=policy.actor_for(user, session_key="s"), surface="page", target="test"
        )


def _school_records(cast, who):
    """Return the school's (education authority's) enrolments of the child that the user may see."""
    access = _open(cast, who)
    return list(policy.records_for_user(access, Enrolment.objects.filter(owner_authority=cast.education)))


def _consent(cast, *, status="given", start=-1, end=24 * 30, categories=("education",), to_plan=True, recipients=()):
    """A consent the school asked for, sharing its information with the plan's participants."""
    now = timezone.now()
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samordnat stöd i barnets plan",
        to_plan_participants=to_plan,
        valid_from=now + timedelta(hours=start),
        valid_until=now + timedelta(hours=end),
        status=status,
    )
    consent.recipients.set(recipients)
    for category in categories:
        ConsentCategory.objects.create(consent=consent, category=category)
    return consent


def bup_relation(cast) -> None:
    """Give the BUP clinician a relation to the child (she is seen at BUP)."""
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))


def start(cast, *, child=None, owner=None, by=None) -> ChildPlan:
    """Start an open plan for the child, owned by the school's authority unless told otherwise.

    Written directly: these tests are about what the policy makes of a plan's rows, not how plans are made.
    """
    return ChildPlan.objects.create(
        child=child or cast.child,
        owner_authority=owner or cast.education,
        kind="multi_agency",
        status="active",
        lead_professional=cast.named_person,
        reasons="Alva är ofta borta från skolan.",
        created_by=by or cast.named_person,
    )


def take_part(plan, user, authority) -> Participant:
    return Participant.objects.create(
        plan=plan, user=user, name=user.get_full_name(), authority=authority, role="practitioner"
    )


def end(plan, status: str) -> None:
    plan.status = status
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at"])


@pytest.fixture
def planned(cast):
    """The school's open plan for the child, BUP (the region) taking part; BUP and social services know the child."""
    bup_relation(cast)
    ReportOfConcern.objects.create(
        child=cast.child,
        owner_authority=cast.social,
        to_unit=cast.social_team,
        reporter=cast.teacher,
        reporter_authority=cast.education,
        what_happened="Oro för skolfrånvaron.",
    )
    cast.plan = start(cast)
    take_part(cast.plan, cast.named_person, cast.education)
    cast.bup_participant = take_part(cast.plan, cast.bup_clinician, cast.region)
    return cast


def test_a_participating_authority_sees_the_consented_categories_and_the_log_names_the_consent(planned):
    consent = _consent(planned)
    rows = _school_records(planned, "bup_clinician")
    assert rows and {row.shared_basis for row in rows} == {policy.Basis.CONSENT}
    assert {row.shared_basis_id for row in rows} == {consent.pk}
    actor = policy.actor_for(planned.bup_clinician, session_key="s")
    with audit.deferred():
        policy.log_shared_reads(rows, actor=actor, surface="page", target="t", access=_open(planned, "bup_clinician"))
    logged = AuditEvent.objects.filter(user_id=planned.bup_clinician.pk, record_type="Enrolment")
    assert [row.basis for row in logged] == [f"consent:{consent.pk}"] * len(rows)


def test_an_authority_outside_the_plan_sees_nothing(planned):
    _consent(planned)
    assert _school_records(planned, "social_worker") == []  # related through the report, but not in the plan


def test_only_the_consented_categories_open(planned):
    _consent(planned, categories=("health",))
    assert _school_records(planned, "bup_clinician") == []


@pytest.mark.parametrize("status", ["closed", "declined"])
def test_access_ends_the_moment_the_plan_ends(planned, status):
    _consent(planned)
    assert _school_records(planned, "bup_clinician")
    end(planned.plan, status)
    assert _school_records(planned, "bup_clinician") == []


@pytest.mark.parametrize("status", ["draft", "agreed", "active", "review"])
def test_every_state_of_an_open_plan_counts(planned, status):
    ChildPlan.objects.filter(pk=planned.plan.pk).update(status=status)
    _consent(planned)
    assert _school_records(planned, "bup_clinician")


def test_access_ends_the_moment_the_participant_is_removed(planned):
    _consent(planned)
    assert _school_records(planned, "bup_clinician")
    planned.bup_participant.delete()
    assert _school_records(planned, "bup_clinician") == []


def test_an_authority_that_joins_the_plan_later_is_reached_at_once(planned):
    _consent(planned)
    assert _school_records(planned, "social_worker") == []
    take_part(planned.plan, planned.social_worker, planned.social)
    assert {row.shared_basis for row in _school_records(planned, "social_worker")} == {policy.Basis.CONSENT}


def test_the_plans_owning_authority_is_reached_too(cast):
    bup_relation(cast)
    start(cast, owner=cast.region, by=cast.bup_clinician)  # no participant rows: the owner alone
    _consent(cast)
    assert {row.shared_basis for row in _school_records(cast, "bup_clinician")} == {policy.Basis.CONSENT}


def test_a_consent_without_the_plans_participants_does_not_reach_them(planned):
    _consent(planned, to_plan=False, recipients=[planned.police])
    assert _school_records(planned, "bup_clinician") == []


@pytest.mark.parametrize(
    "variant",
    [
        {"status": "requested"},
        {"status": "declined"},
        {"status": "withdrawn"},
        {"start": -48, "end": -1},  # expired an hour ago, though nothing marked it
        {"start": 2},  # not yet in force
    ],
)
def test_a_consent_not_in_force_opens_nothing_to_the_plan(planned, variant):
    _consent(planned, **variant)
    assert _school_records(planned, "bup_clinician") == []


def test_another_childs_plan_does_not_count(cast):
    bup_relation(cast)
    enrol(cast.protected_child, cast.bup, "other", policy.today() - timedelta(days=10))
    other = start(cast, child=cast.protected_child, owner=cast.region, by=cast.bup_clinician)
    take_part(other, cast.bup_clinician, cast.region)
    _consent(cast)
    assert _school_records(cast, "bup_clinician") == []


def test_taking_part_in_the_plan_gives_no_relation_to_the_child(cast):
    take_part(start(cast), cast.bup_clinician, cast.region)
    _consent(cast)
    with pytest.raises(Http404):
        _open(cast, "bup_clinician")  # a consent opens records, never the child itself


def test_the_consent_opens_the_plan_itself_when_it_covers_plans(planned):
    _consent(planned, categories=("plan",))
    access = _open(planned, "bup_clinician")
    assert [row.pk for row in policy.records_for_user(access, ChildPlan.objects.all())] == [planned.plan.pk]


def test_a_participating_authority_sees_the_consent_only_while_it_takes_part(planned):
    consent = _consent(planned, status="requested")
    assert list(policy.consents_for(_open(planned, "bup_clinician"))) == [consent]
    assert list(policy.consents_for(_open(planned, "social_worker"))) == []
    planned.bup_participant.delete()
    assert list(policy.consents_for(_open(planned, "bup_clinician"))) == []


def test_the_plans_authorities_today_are_its_owner_and_participants(planned):
    assert set(policy.plan_authorities(planned.child)) == {planned.education, planned.region}
    end(planned.plan, "closed")
    assert not policy.plan_authorities(planned.child).exists()

"""Policy, second version: other authorities' records open only through consent, disclosure or emergency access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEvent
from people.models import Enrolment
from sharing import policy
from sharing.models import Block, Consent, ConsentCategory, DisclosureCategory, DisclosureDecision, EmergencyAccess
from sharing.tests.emergency_setup import neighbour_region


def _open(cast, who, child=None):
    user = getattr(cast, who)
    actor = policy.actor_for(user, session_key="s")
    with audit.deferred():
        return policy.child_for_user(user, (child or cast.child).pk, actor=actor, surface="page", target="test")


def _school_records(cast, who):
    """Return the school's (education authority's) enrolments of the child that the user may see."""
    access = _open(cast, who)
    return list(policy.records_for_user(access, Enrolment.objects.filter(owner_authority=cast.education)))


@pytest.fixture
def bup_related(cast):
    """Give the BUP clinician a relation to the child (a BUP listing); the records stay the school's."""
    from testsupport.cast import enrol

    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    return cast


def _consent(cast, *, categories=("education",), recipients=None, status="given", start=-1, end=24 * 30):
    now = timezone.now()
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.region,
        requested_by=cast.bup_clinician,
        purpose="Samordnat stöd",
        valid_from=now + timedelta(hours=start),
        valid_until=now + timedelta(hours=end),
        status=status,
    )
    consent.recipients.set(recipients if recipients is not None else [cast.region])
    for category in categories:
        ConsentCategory.objects.create(consent=consent, category=category)
    return consent


def test_without_consent_another_authority_sees_no_records(bup_related):
    assert _school_records(bup_related, "bup_clinician") == []


def test_an_active_consent_opens_exactly_its_categories_and_logs_it_as_the_basis(bup_related):
    consent = _consent(bup_related)
    rows = _school_records(bup_related, "bup_clinician")
    assert rows and {row.shared_basis for row in rows} == {policy.Basis.CONSENT}
    access = _open(bup_related, "bup_clinician")
    with audit.deferred():
        policy.log_shared_reads(
            rows,
            actor=policy.actor_for(bup_related.bup_clinician, session_key="s"),
            surface="page",
            target="t",
            access=access,
        )
    assert AuditEvent.objects.filter(basis=f"consent:{consent.pk}", record_type="Enrolment").count() == len(rows)


@pytest.mark.parametrize(
    "variant",
    [
        {"status": "requested"},
        {"status": "declined"},
        {"status": "withdrawn"},
        {"start": -48, "end": -1},  # expired an hour ago, even though nothing marked it
        {"start": 2},  # not yet in force
        {"categories": ("health",)},  # does not cover the category
        {"recipients": []},  # does not cover the authority
    ],
)
def test_a_consent_that_is_not_in_force_or_does_not_cover_opens_nothing(bup_related, variant):
    _consent(bup_related, **variant)
    assert _school_records(bup_related, "bup_clinician") == []


def test_consent_needs_a_relation(cast):
    _consent(cast)  # BUP clinician is a recipient but has no relation to the child
    from django.http import Http404

    with pytest.raises(Http404):
        _open(cast, "bup_clinician")


def test_a_block_closes_what_a_consent_would_open_but_not_the_owner(bup_related):
    _consent(bup_related)
    Block.objects.create(
        child=bup_related.child,
        owner_authority=bup_related.education,
        category="education",
        ground="child_request",
        reason="Barnet har bett om det",
        created_by=bup_related.manager,
    )
    assert _school_records(bup_related, "bup_clinician") == []
    assert _school_records(bup_related, "teacher")  # the owning authority's own staff still see it


def test_a_disclosure_decision_opens_only_the_deciding_authoritys_records(bup_related):
    now = timezone.now()
    for owner in (bup_related.social, bup_related.education):
        decision = DisclosureDecision.objects.create(
            child=bup_related.child,
            owner_authority=owner,
            outcome="disclose" if owner == bup_related.education else "refuse",
            legal_basis="osl_10_2",
            purpose="p",
            necessary="n",
            relevant="r",
            proportionate="p",
            valid_from=now - timedelta(hours=1),
            valid_until=now + timedelta(days=1),
            decided_by=bup_related.manager,
        )
        decision.recipients.set([bup_related.region])
        DisclosureCategory.objects.create(decision=decision, category="education")
    rows = _school_records(bup_related, "bup_clinician")
    assert rows and {row.shared_basis for row in rows} == {policy.Basis.DISCLOSURE}


def test_emergency_access_opens_another_regions_health_records_for_its_holder_until_it_ends(bup_related):
    neighbour = neighbour_region(bup_related, relate_bup=False)
    now = timezone.now()

    def region_records():
        access = _open(bup_related, "bup_clinician")
        return list(policy.records_for_user(access, Enrolment.objects.filter(owner_authority=neighbour.region)))

    emergency = EmergencyAccess.objects.create(
        child=bup_related.child,
        user=bup_related.bup_clinician,
        owner_authority=neighbour.region,
        reason="Akut",
        started_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=24),
    )
    assert {row.shared_basis for row in region_records()} == {policy.Basis.EMERGENCY}
    emergency.ended_at = now
    emergency.save()
    assert region_records() == []


def test_emergency_access_never_opens_school_records(bup_related):
    now = timezone.now()
    EmergencyAccess.objects.create(
        child=bup_related.child,
        user=bup_related.bup_clinician,
        owner_authority=bup_related.education,
        reason="Akut",
        started_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=24),
    )
    assert _school_records(bup_related, "bup_clinician") == []

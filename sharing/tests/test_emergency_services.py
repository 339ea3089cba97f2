"""Emergency access services: start needs a relation, a reason and a fresh re-authentication; review by the owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEvent
from organisations.models import Membership, Role
from sharing import policy, selectors
from sharing.models import EmergencyAccess, SharingRules
from sharing.services import emergency as services
from sharing.tests.emergency_setup import neighbour_region


@pytest.fixture
def bup_related(cast):
    """Give the BUP clinician a relation to the child; the neighbouring region's health records stay closed."""
    cast.neighbour = neighbour_region(cast)
    return cast


def _start(cast, *, user=None, child=None, owner=None, reason="Akut risk, vårdcentralen nås inte", reauth=0):
    user = user or cast.bup_clinician
    actor = policy.actor_for(user, session_key="s")
    with audit.deferred():
        return services.emergency_access_start(
            user=user,
            child=(child or cast.child).pk,
            owner_authority=owner or cast.neighbour.region,
            reason=reason,
            reauthenticated_at=None if reauth is None else timezone.now() - timedelta(seconds=reauth),
            actor=actor,
        )


def _review(cast, emergency, *, reviewer=None, outcome="justified", note="Rimligt i läget"):
    reviewer = reviewer or cast.neighbour.manager
    with audit.deferred():
        return services.emergency_access_review(
            reviewer=reviewer,
            emergency=emergency,
            outcome=outcome,
            note=note,
            actor=policy.actor_for(reviewer, session_key="s"),
        )


def test_it_opens_the_authority_for_the_default_24_hours_and_logs_the_start(bup_related):
    emergency = _start(bup_related)
    assert emergency.ends_at - emergency.started_at == timedelta(hours=24)
    assert emergency.review == EmergencyAccess.Review.PENDING
    row = AuditEvent.objects.get(record_type="EmergencyAccess", action="create")
    assert row.basis == f"emergency_access:{emergency.pk}"
    assert row.reason == "Akut risk, vårdcentralen nås inte"
    assert row.child_id == bup_related.child.pk


def test_it_uses_the_municipalitys_emergency_hours(bup_related):
    SharingRules.objects.create(municipality=bup_related.municipality, emergency_hours=4)
    emergency = _start(bup_related)
    assert emergency.ends_at - emergency.started_at == timedelta(hours=4)


def test_it_refuses_without_a_relation_to_the_child_as_if_the_child_did_not_exist(cast):
    with pytest.raises(Http404):
        _start(cast, owner=cast.region)
    with pytest.raises(Http404):
        _start(cast, user=cast.outsider, owner=cast.region)
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_without_a_reason(bup_related, reason):
    with pytest.raises(ValidationError) as error:
        _start(bup_related, reason=reason)
    assert "reason" in error.value.error_dict
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("reauth", [None, 301])
def test_it_refuses_without_a_fresh_reauthentication(bup_related, reauth):
    with pytest.raises(ValidationError, match="lösenord"):
        _start(bup_related, reauth=reauth)
    assert not EmergencyAccess.objects.exists()


def test_it_refuses_the_users_own_authority(bup_related):
    with pytest.raises(ValidationError) as error:
        _start(bup_related, owner=bup_related.region)
    assert "owner_authority" in error.value.error_dict
    assert not EmergencyAccess.objects.exists()


def test_it_refuses_a_second_access_while_one_runs(bup_related):
    _start(bup_related)
    with pytest.raises(ValidationError):
        _start(bup_related)
    assert EmergencyAccess.objects.count() == 1


def test_ending_closes_it_once_and_logs_it(bup_related):
    emergency = _start(bup_related)
    actor = policy.actor_for(bup_related.bup_clinician, session_key="s")
    with audit.deferred():
        services.emergency_access_end(user=bup_related.bup_clinician, emergency=emergency, actor=actor)
        first = EmergencyAccess.objects.get().ended_at
        services.emergency_access_end(user=bup_related.bup_clinician, emergency=emergency, actor=actor)
    assert first is not None
    assert EmergencyAccess.objects.get().ended_at == first
    assert AuditEvent.objects.filter(record_type="EmergencyAccess", action="update").count() == 1
    assert not selectors.active_emergency_accesses(bup_related.bup_clinician).exists()


def test_only_the_holder_ends_it(bup_related):
    emergency = _start(bup_related)
    with audit.deferred(), pytest.raises(PermissionError):
        services.emergency_access_end(
            user=bup_related.teacher, emergency=emergency, actor=policy.actor_for(bup_related.teacher, session_key="")
        )
    assert EmergencyAccess.objects.get().ended_at is None


def test_a_manager_of_the_owning_authority_reviews_it_and_it_is_logged(bup_related):
    emergency = _review(bup_related, _start(bup_related))
    assert emergency.review == EmergencyAccess.Review.JUSTIFIED
    assert emergency.reviewed_by == bup_related.neighbour.manager
    assert emergency.ended_at is None  # a justified access runs on
    row = AuditEvent.objects.get(record_type="EmergencyAccess", action="update")
    assert row.basis == f"emergency_access:{emergency.pk}"
    assert row.user_id == bup_related.neighbour.manager.pk


def test_an_unjustified_access_still_running_ends_at_once(bup_related):
    emergency = _review(bup_related, _start(bup_related), outcome="unjustified", note="Kunde ha väntat")
    assert emergency.ended_at is not None
    assert not selectors.active_emergency_accesses(bup_related.bup_clinician).exists()


@pytest.mark.parametrize("who", ["teacher", "named_person", "social_worker", "outsider", "manager"])
def test_nobody_but_a_manager_of_the_owning_authority_reviews(bup_related, who):
    emergency = _start(bup_related)
    with pytest.raises(PermissionError):
        _review(bup_related, emergency, reviewer=getattr(bup_related, who))
    assert EmergencyAccess.objects.get().review == EmergencyAccess.Review.PENDING


def test_a_manager_of_another_authority_does_not_review(bup_related):
    Membership.objects.create(
        user=bup_related.social_worker, unit=bup_related.social_team, role=Role.MANAGER, valid_from=policy.today()
    )
    with pytest.raises(PermissionError):
        _review(bup_related, _start(bup_related), reviewer=bup_related.social_worker)


def test_nobody_reviews_their_own_access(bup_related):
    now = timezone.now()
    # Held by the region's manager (as if started before they became manager there): they may not judge it.
    emergency = EmergencyAccess.objects.create(
        child=bup_related.child,
        user=bup_related.neighbour.manager,
        owner_authority=bup_related.neighbour.region,
        reason="Akut",
        started_at=now - timedelta(hours=30),
        ends_at=now - timedelta(hours=6),
    )
    with pytest.raises(ValidationError, match="egen"):
        _review(bup_related, emergency)


@pytest.mark.parametrize(("outcome", "note"), [("pending", "Motivering"), ("justified", "  "), ("maybe", "x")])
def test_bad_review_input_changes_nothing(bup_related, outcome, note):
    emergency = _start(bup_related)
    with pytest.raises(ValidationError):
        _review(bup_related, emergency, outcome=outcome, note=note)
    assert EmergencyAccess.objects.get().review == EmergencyAccess.Review.PENDING


def test_a_review_is_final(bup_related):
    emergency = _review(bup_related, _start(bup_related))
    with pytest.raises(ValidationError, match="redan granskad"):
        _review(bup_related, emergency, outcome="unjustified")
    assert EmergencyAccess.objects.get().review == EmergencyAccess.Review.JUSTIFIED


def test_the_family_sees_who_when_why_and_the_outcome(bup_related):
    emergency = _review(bup_related, _start(bup_related))
    future = EmergencyAccess.objects.create(
        child=bup_related.child,
        user=bup_related.bup_clinician,
        owner_authority=bup_related.social,
        reason="Inte påbörjad",
        started_at=timezone.now() + timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    rows = list(selectors.emergency_accesses_for_family(bup_related.child))
    assert [row.pk for row in rows] == [emergency.pk]
    assert future.pk not in {row.pk for row in rows}
    row = rows[0]
    assert row.user == bup_related.bup_clinician
    assert row.holder_unit == "BUP Test"
    assert row.holder_authority == "Region Test"
    assert row.owner_authority == bup_related.neighbour.region
    assert row.closed_at == emergency.ends_at
    assert row.reason == "Akut risk, vårdcentralen nås inte"
    assert row.get_review_display() == "Befogad"
    assert list(selectors.emergency_accesses_for_family(bup_related.protected_child)) == []

"""Consent services: who must answer, what each answer does, and that limits, withdrawal and expiry act at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEvent
from core import tasks
from people.models import Enrolment
from sharing import policy
from sharing.models import Consent, ConsentEvent, ConsentParty
from sharing.services import consents as services
from sharing.tests.consent_setup import (
    ask,
    child_login,
    family_via,
    rules,
    set_age,
    staff_via,
)
from sharing.tests.test_policy_sharing import _school_records

pytestmark = pytest.mark.usefixtures("media")

Status = Consent.Status


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def bup_related(cast):
    """Give the BUP clinician a relation to the child, so an active consent shows the school's records."""
    from testsupport.cast import enrol

    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    return cast


def _give(cast, consent, *guardians):
    """Document an oral yes from the given guardians (both custodial guardians unless named)."""
    for guardian in guardians or (cast.guardian, cast.co_guardian):
        services.consent_record_answer(
            consent=consent,
            party=consent.parties.get(guardian=guardian),
            decision="given",
            method="oral",
            evidence_note="Per telefon",
            via=staff_via(cast.named_person),
        )
    consent.refresh_from_db()
    return consent


def test_it_asks_every_guardian_with_custody_and_not_the_one_without(cast):
    consent = ask(cast)
    assert set(consent.parties.values_list("guardian", flat=True)) == {cast.guardian.pk, cast.co_guardian.pk}
    assert consent.status == Status.REQUESTED
    assert list(consent.events.values_list("kind", flat=True)) == ["requested"]
    assert AuditEvent.objects.filter(action="create", record_type="Consent", basis="consent_admin").count() == 1


def test_joint_custody_needs_both_guardians(bup_related):
    cast = bup_related
    consent = _give(cast, ask(cast), cast.guardian)
    assert consent.status == Status.REQUESTED
    assert _school_records(cast, "bup_clinician") == []
    consent = _give(cast, consent, cast.co_guardian)
    assert consent.status == Status.GIVEN
    assert _school_records(cast, "bup_clinician")


def test_one_refusal_declines_and_is_an_ordinary_state(cast):
    consent = ask(cast)
    party = consent.parties.get(guardian=cast.co_guardian)
    services.consent_record_answer(
        consent=consent,
        party=party,
        decision="declined",
        method="written",
        evidence=SimpleUploadedFile("blankett.pdf", b"%PDF-1.4"),
        via=staff_via(cast.named_person),
    )
    consent.refresh_from_db()
    assert consent.status == Status.DECLINED and consent.ended_at
    with pytest.raises(ValidationError):
        _give(cast, consent, cast.guardian)  # nothing left to answer
    # Declining changes nothing else: the child is as visible to its own staff as before.
    assert _school_records(cast, "teacher")


@pytest.mark.parametrize(
    ("age", "child_party"),
    [(9, None), (12, ConsentParty.Decision.VIEW_ONLY), (15, ConsentParty.Decision.PENDING)],
)
def test_the_child_is_asked_for_a_view_or_consent_by_age(cast, age, child_party):
    set_age(cast.child, age)
    consent = ask(cast)
    assert consent.parties.filter(guardian__isnull=False).count() == 2
    found = consent.parties.filter(is_child=True).values_list("decision", flat=True).first()
    assert found == child_party


def test_from_the_consent_age_the_child_must_consent_too(cast):
    set_age(cast.child, 16)
    user = child_login(cast.child)
    consent = _give(cast, ask(cast))
    assert consent.status == Status.REQUESTED
    services.consent_answer(consent=consent, decision="given", via=family_via(user, basis="child_self"))
    consent.refresh_from_db()
    assert consent.status == Status.GIVEN


def test_where_the_municipality_says_so_the_childs_consent_alone_suffices(cast):
    rules(cast, child_consent="alone")
    set_age(cast.child, 16)
    user = child_login(cast.child)
    consent = ask(cast)
    assert list(consent.parties.values_list("is_child", flat=True)) == [True]
    services.consent_answer(consent=consent, decision="given", via=family_via(user, basis="child_self"))
    consent.refresh_from_db()
    assert consent.status == Status.GIVEN


def test_a_younger_childs_view_is_recorded_but_does_not_decide(cast):
    set_age(cast.child, 13)
    user = child_login(cast.child)
    consent = ask(cast)
    services.consent_answer(consent=consent, decision="declined", view="Okej om BUP vet", via=family_via(user))
    party = consent.parties.get(is_child=True)
    assert (party.decision, party.view, party.method) == ("view_only", "Okej om BUP vet", "digital")
    consent.refresh_from_db()
    assert consent.status == Status.REQUESTED
    assert _give(cast, consent).status == Status.GIVEN


def test_a_guardian_answers_in_the_family_view_and_one_without_custody_cannot(cast):
    consent = ask(cast)
    with pytest.raises(PermissionDenied):
        services.consent_answer(consent=consent, decision="given", via=family_via(cast.noncustodial_user))
    for user in (cast.guardian_user, cast.co_guardian_user):
        services.consent_answer(consent=consent, decision="given", via=family_via(user))
    consent.refresh_from_db()
    assert consent.status == Status.GIVEN
    party = consent.parties.get(guardian=cast.guardian)
    assert (party.method, party.documented_by) == ("digital", None)
    assert AuditEvent.objects.filter(basis="guardian", record_type="ConsentParty").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"shared_under_duty": True}, None),
        ({"purpose": "  "}, "purpose"),
        ({"categories": []}, "categories"),
        ({"categories": ["identity"]}, "categories"),
        ({"recipients": []}, "recipients"),
        ({"days": 400}, "valid_until"),
        ({"days": -1}, "valid_until"),
    ],
)
def test_a_request_with_bad_input_changes_nothing(cast, change, field):
    now = timezone.now()
    values = {
        "child": cast.child,
        "owner_authority": cast.education,
        "purpose": "Stöd",
        "categories": ["education"],
        "recipients": [cast.region],
        "valid_from": now,
        "valid_until": now + timedelta(days=change.pop("days", 30)),
        "via": staff_via(cast.named_person),
    }
    with pytest.raises(ValidationError) as caught:
        services.consent_request(**{**values, **change})
    if field:
        assert field in caught.value.message_dict
    else:
        assert "skyldighet" in caught.value.messages[0]
    assert not Consent.objects.exists() and not AuditEvent.objects.exists()


def test_staff_of_another_authority_cannot_ask_in_its_name(cast):
    with pytest.raises(PermissionDenied):
        ask(cast, by=cast.outsider)


def test_a_limit_takes_effect_at_once_and_keeps_its_history(bup_related):
    cast = bup_related
    consent = _give(cast, ask(cast, categories=("education", "health")))
    services.consent_limit(
        consent=consent,
        categories=["health"],
        recipients=[cast.region],
        valid_until=consent.valid_until - timedelta(days=10),
        via=staff_via(cast.named_person),
    )
    assert _school_records(cast, "bup_clinician") == []
    event = consent.events.get(kind="limited")
    assert event.details["before"]["categories"] == ["education", "health"]
    assert event.details["after"]["categories"] == ["health"]


def test_a_limit_cannot_widen(cast):
    consent = _give(cast, ask(cast))
    with pytest.raises(ValidationError):
        services.consent_limit(
            consent=consent,
            categories=["education", "health"],
            recipients=[cast.region],
            valid_until=consent.valid_until,
            via=staff_via(cast.named_person),
        )
    assert list(consent.categories.values_list("category", flat=True)) == ["education"]


def test_an_extension_replaces_the_old_consent_only_when_given(bup_related):
    cast = bup_related
    old = _give(cast, ask(cast))
    new = services.consent_extend(
        consent=old,
        categories=["education", "health"],
        recipients=[cast.region],
        valid_until=old.valid_until + timedelta(days=30),
        via=staff_via(cast.named_person),
    )
    assert (new.status, new.replaces_id) == (Status.REQUESTED, old.pk)
    old.refresh_from_db()
    assert old.status == Status.GIVEN
    assert _school_records(cast, "bup_clinician")  # the old one still stands
    _give(cast, new)
    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED
    assert {row.shared_basis_id for row in _school_records(cast, "bup_clinician")} == {new.pk}


def test_a_declined_extension_leaves_the_old_consent_in_force(cast):
    old = _give(cast, ask(cast))
    new = services.consent_extend(
        consent=old,
        categories=["education"],
        recipients=[cast.region],
        valid_until=old.valid_until + timedelta(days=30),
        via=staff_via(cast.named_person),
    )
    services.consent_record_answer(
        consent=new,
        party=new.parties.get(guardian=cast.guardian),
        decision="declined",
        method="oral",
        evidence_note="Nej tack",
        via=staff_via(cast.named_person),
    )
    old.refresh_from_db()
    assert old.status == Status.GIVEN


def test_withdrawal_ends_access_at_once(bup_related):
    cast = bup_related
    consent = _give(cast, ask(cast))
    assert _school_records(cast, "bup_clinician")
    services.consent_withdraw(consent=consent, via=family_via(cast.co_guardian_user))
    consent.refresh_from_db()
    assert consent.status == Status.WITHDRAWN and consent.ended_by == cast.co_guardian_user
    assert _school_records(cast, "bup_clinician") == []


def test_staff_withdraw_on_a_partys_word_and_a_pending_extension_is_cancelled(cast):
    consent = _give(cast, ask(cast))
    extension = services.consent_extend(
        consent=consent,
        categories=["education"],
        recipients=[cast.region],
        valid_until=consent.valid_until + timedelta(days=1),
        via=staff_via(cast.named_person),
    )
    services.consent_withdraw(
        consent=consent,
        party=consent.parties.get(guardian=cast.guardian),
        note="Ringde",
        via=staff_via(cast.named_person),
    )
    extension.refresh_from_db()
    assert extension.status == Status.CANCELLED


def test_a_guardian_without_custody_cannot_withdraw(cast):
    consent = _give(cast, ask(cast))
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(consent=consent, via=family_via(cast.noncustodial_user))


def test_staff_cancel_an_unanswered_request(cast):
    consent = ask(cast)
    services.consent_cancel(consent=consent, via=staff_via(cast.named_person))
    consent.refresh_from_db()
    assert consent.status == Status.CANCELLED
    with pytest.raises(ValidationError):
        services.consent_cancel(consent=consent, via=staff_via(cast.named_person))


def test_access_ends_at_the_expiry_moment_before_the_task_runs_and_the_task_is_idempotent(bup_related):
    cast = bup_related
    consent = _give(cast, ask(cast))
    assert _school_records(cast, "bup_clinician")
    now = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(valid_from=now - timedelta(days=1), valid_until=now)
    assert _school_records(cast, "bup_clinician") == []  # the policy checks the moment itself
    consent.refresh_from_db()
    assert consent.status == Status.GIVEN  # nothing has run yet
    first = tasks.run_all(policy.today(), only=[services.TASK_NAME])
    second = tasks.run_all(policy.today(), only=[services.TASK_NAME])
    assert [result.error for result in first + second] == [None, None]
    consent.refresh_from_db()
    assert consent.status == Status.EXPIRED and consent.ended_at == consent.valid_until
    assert ConsentEvent.objects.filter(consent=consent, kind="expired").count() == 1
    assert AuditEvent.objects.filter(basis="consent_expiry", surface="task").count() == 1


def test_the_task_leaves_consents_in_force_alone(cast):
    consent = _give(cast, ask(cast))
    tasks.run_all(policy.today(), only=[services.TASK_NAME])
    consent.refresh_from_db()
    assert consent.status == Status.GIVEN


def test_every_write_is_audited(cast):
    consent = _give(cast, ask(cast))
    with audit.deferred():
        services.consent_withdraw(consent=consent, party=consent.parties.first(), via=staff_via(cast.named_person))
    rows = AuditEvent.objects.filter(child_id=cast.child.pk)
    assert set(rows.values_list("action", flat=True)) == {"create", "update"}
    assert set(rows.values_list("basis", flat=True)) == {"consent_admin"}
    assert Enrolment.objects.exists()

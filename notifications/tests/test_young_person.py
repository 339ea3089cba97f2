"""The young person who answers for themselves is told what waits for them, as guardians are told of a child.

Who is told follows the one rule of who decides (`sharing.services.consents.child_say`) and who sees
themselves in the family view (`policy.family_children`): from 18 the young person alone, the guardians no
longer; below 18 the child too from the municipality's consent age (alone, if the municipality so decides),
when their own login shows them their own record.
"""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.personnummer import contains_identity_number, parse
from notifications import events
from notifications.models import FAMILY_KINDS, Kind, Notification
from notifications.services import due_send
from plans.tests.setup import add_action, send, start
from sharing import policy
from sharing.models import Consent, ConsentParty, EmergencyAccess
from sharing.tests.consent_setup import ask, born_for, child_login, rules, turn
from testsupport.cast import make_child, sign_in


@pytest.fixture
def young(family):
    """Alva's own login, with an e-mail address; her age is set by each test."""
    user = child_login(family.child, username="ung")
    user.email = "ung@example.invalid"
    user.save(update_fields=["email"])
    return user


def _told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


def _to(smtp) -> list[str]:
    return sorted(address for recipients, _content in smtp.messages for address in recipients)


def _plan(cast):
    plan = start(cast)
    add_action(cast, plan)
    return plan


def test_a_young_person_of_18_is_told_the_plan_waits_and_the_guardians_no_longer(cast, young, smtp):
    turn(cast.child, 17)
    plan = _plan(cast)  # started at 17: the guardians are in the plan
    assert plan.participants.filter(role="guardian").count() == 2
    turn(cast.child, 18)
    send(cast, plan)
    assert due_send(policy.today()) == (0, 1)  # the service queued it; the task sends it
    assert _to(smtp) == ["ung@example.invalid"]
    row = Notification.objects.get()
    assert (row.user, row.kind, row.status, row.path) == (
        young,
        Kind.PLAN_WAITING,
        Notification.Status.SENT,
        reverse("family:plan", args=[cast.child.pk]),
    )
    event = AuditEvent.objects.get(target="notification:plan_waiting")
    assert (event.child_id, event.record_id, event.reason) == (cast.child.pk, str(row.pk), "E-post: Skickad")


def test_the_young_person_is_told_once_however_often_the_task_runs(cast, young, smtp):
    plan = _plan(cast)
    turn(cast.child, 18)
    send(cast, plan)
    due_send(policy.today())
    assert due_send(policy.today()) == (0, 0)
    assert due_send(policy.today()) == (0, 0)
    assert len(smtp.messages) == 1
    assert Notification.objects.count() == 1
    assert AuditEvent.objects.filter(target="notification:plan_waiting").count() == 1


def test_no_notification_to_the_young_person_holds_their_name_or_personal_number(cast, young, smtp):
    turn(cast.child, 18)
    now = timezone.now()
    send(cast, _plan(cast))
    ask(cast)  # a consent request, answered by the young person alone
    EmergencyAccess.objects.create(
        child=cast.child,
        user=cast.bvc_nurse,
        owner_authority=cast.education,
        reason="Akut",
        started_at=now,
        ends_at=now + timedelta(hours=4),
    )
    own = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samverkan",
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=10),
        status=Consent.Status.GIVEN,
    )
    ConsentParty.objects.create(consent=own, is_child=True, decision=ConsentParty.Decision.GIVEN, decided_at=now)
    due_send(policy.today())
    assert {row.kind for row in Notification.objects.filter(user=young)} == set(FAMILY_KINDS)
    assert len(smtp.messages) == 4 and _to(smtp) == ["ung@example.invalid"] * 4
    number = cast.child.identity_number
    for _recipients, content in smtp.messages:
        message = email.message_from_string(content, policy=email.policy.default)
        text = f"{message['subject']}\n{message.get_content()}".lower()
        for secret in (cast.child.given_name, cast.child.family_name, number, number[2:], parse(number).formatted()):
            assert secret.lower() not in text
        assert not contains_identity_number(text)
        assert "ditt barn" not in text and "om barnet" not in text  # written to the young person, not a parent
    emergency = next(content for _r, content in smtp.messages if "nödåtkomst" in content)  # sent as 8-bit UTF-8
    assert "uppgifter om dig" in emergency


def test_from_the_consent_age_the_child_is_told_with_the_guardians(cast, young):
    rules(cast, child_consent_age=15, child_consent="with_guardians")
    turn(cast.child, 16)
    send(cast, _plan(cast))
    assert _told(Kind.PLAN_WAITING) == {young.pk, cast.guardian_user.pk, cast.co_guardian_user.pk}


def test_where_the_child_consents_alone_the_guardians_are_not_told(cast, young):
    rules(cast, child_consent_age=15, child_consent="alone")
    turn(cast.child, 16)
    send(cast, _plan(cast))
    assert _told(Kind.PLAN_WAITING) == {young.pk}


def test_below_the_consent_age_the_child_reads_but_is_not_told(cast, young):
    rules(cast, child_consent_age=15, child_login_age=13)
    turn(cast.child, 14)
    send(cast, _plan(cast))
    assert _told(Kind.PLAN_WAITING) == {cast.guardian_user.pk, cast.co_guardian_user.pk}
    assert list(events.emergencies_happened(policy.today())) == []


def test_a_child_without_a_login_of_its_own_is_not_told_and_an_inactive_login_neither(cast, family):
    turn(cast.child, 18)
    plan = _plan(cast)
    user = child_login(cast.child, username="alva")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert list(events.plans_waiting(policy.today())) == []
    cast.child.user = None
    cast.child.save(update_fields=["user"])
    assert plan.versions.count() == 0 and list(events.plans_waiting(policy.today())) == []


def test_the_young_person_is_told_of_a_consent_request_and_an_emergency_access(cast, young):
    turn(cast.child, 18)
    ask(cast)
    assert _told(Kind.CONSENT_WAITING) == {young.pk}  # queued by the service that asked
    EmergencyAccess.objects.create(
        child=cast.child,
        user=cast.bvc_nurse,
        owner_authority=cast.education,
        reason="Akut",
        started_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    told = {(row.kind, row.user_id, row.path) for row in events.emergencies_happened(policy.today())}
    assert told == {(Kind.EMERGENCY_HAPPENED, young.pk, reverse("family:child_log", args=[cast.child.pk]))}


def test_a_consent_the_guardians_gave_lapsed_at_18_and_is_not_announced_as_expiring(cast, young):
    turn(cast.child, 17)
    consent = ask(cast, days=200)
    consent.status = Consent.Status.GIVEN
    consent.valid_until = timezone.now() + timedelta(days=10)
    consent.save(update_fields=["status", "valid_until"])
    consent.parties.update(decision=ConsentParty.Decision.GIVEN, decided_at=timezone.now())
    turn(cast.child, 18)
    assert list(events.consents_expiring(policy.today())) == []  # neither the guardians nor the young person


def test_the_young_persons_own_consent_ending_soon_is_announced_to_them(cast, young):
    turn(cast.child, 18)
    consent = ask(cast, days=200)
    consent.status = Consent.Status.GIVEN
    consent.valid_until = timezone.now() + timedelta(days=10)
    consent.save(update_fields=["status", "valid_until"])
    consent.parties.update(decision=ConsentParty.Decision.GIVEN, decided_at=timezone.now())
    rows = list(events.consents_expiring(policy.today()))
    assert [(row.kind, row.user_id) for row in rows] == [(Kind.CONSENT_EXPIRES, young.pk)]


def test_the_young_person_chooses_how_to_be_told(client, cast, young):
    turn(cast.child, 18)
    sign_in(client, young)
    body = client.get(reverse("notifications:preferences")).content.decode()
    assert "En plan väntar på ditt svar" in body
    assert "uppgifter om dig" in body and "ditt barn" not in body


def _young_people_asked(cast, count: int, *, start: int) -> None:
    """`count` young people of 19 with their own logins, each asked for a consent and emergency-accessed."""
    now = timezone.now()
    for number in range(start, start + count):
        person = make_child(
            cast.municipality, born=born_for(19), given="Ung", family=f"Person{number}", serial=700 + number
        )
        child_login(person, username=f"ung{number}")
        consent = Consent.objects.create(
            child=person,
            owner_authority=cast.education,
            requested_by=cast.named_person,
            purpose="Samverkan",
            valid_from=now,
            valid_until=now + timedelta(days=60),
        )
        ConsentParty.objects.create(consent=consent, is_child=True)
        EmergencyAccess.objects.create(
            child=person,
            user=cast.bvc_nurse,
            owner_authority=cast.education,
            reason="Akut",
            started_at=now,
            ends_at=now + timedelta(hours=4),
        )


def test_finding_the_young_people_costs_the_same_queries_however_many_they_are(cast):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            told = list(events.consents_waiting(policy.today())) + list(events.emergencies_happened(policy.today()))
        return len(captured), len(told)

    _young_people_asked(cast, 1, start=0)
    one, told = queries()
    assert told == 2
    _young_people_asked(cast, 5, start=1)
    six, told = queries()
    assert told == 12 and six == one, (one, six)

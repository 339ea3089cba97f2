"""Consents and the 18th birthday: who may consent at each age, and the guardians' consents lapsing at 18.

Guardians waive secrecy for a minor (OSL 12 kap. 3 §); once the child is 18 custody has ended and
only the young person can. A consent the guardians gave therefore stops opening anything on the
18th birthday, judged at the moment of reading, and is flagged for renewal with the young person.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit import log as audit
from core import tasks
from people.models import Enrolment
from sharing import policy
from sharing.consent_selectors import consent_rows, family_rows, with_details
from sharing.models import Consent, ConsentEvent
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, child_login, family_via, rules, staff_via, turn
from testsupport.cast import enrol, sign_in

RENEW = "Samtycket gavs av vårdnadshavare innan barnet fyllde 18"


def _given_by_guardians(cast) -> Consent:
    """Ask at 17 for the school's information to reach the region; both guardians and the child say yes."""
    turn(cast.child, 17, days=-30)
    consent = ask(cast)
    user = child_login(cast.child)
    for who, basis in (
        (cast.guardian_user, policy.Basis.GUARDIAN),
        (cast.co_guardian_user, policy.Basis.GUARDIAN),
        (user, policy.Basis.CHILD_SELF),
    ):
        services.consent_answer(consent=consent, decision="given", via=family_via(who, basis=basis))
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN
    return consent


def _region_sees_school_records(cast) -> bool:
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    user = cast.bup_clinician
    with audit.deferred():
        access = policy.child_for_user(
            user, cast.child.pk, actor=policy.actor_for(user, session_key="s"), surface="page", target="test"
        )
    return policy.records_for_user(access, Enrolment.objects.filter(owner_authority=cast.education)).exists()


@pytest.mark.parametrize(
    ("age", "setting", "expected"),
    [
        (11, "with_guardians", (False, False, False)),  # too young to be asked
        (12, "with_guardians", (True, False, False)),  # the child's view is asked and recorded
        (15, "with_guardians", (True, True, False)),  # the child's consent too, next to the guardians'
        (15, "alone", (True, True, True)),  # the municipality lets the mature child decide alone
        (17, "with_guardians", (True, True, False)),
        (18, "with_guardians", (True, True, True)),  # of age: the young person alone, whatever the setting
    ],
)
def test_who_consents_follows_the_age_and_the_municipalitys_settings(cast, age, setting, expected):
    rules(cast, child_view_age=12, child_consent_age=15, child_consent=setting)
    turn(cast.child, age)
    say = services.child_say(cast.child, services.rules_for(cast.child), policy.today())
    assert (say.is_party, say.consents, say.alone) == expected


def test_the_guardians_consent_opens_records_until_the_18th_birthday(cast):
    _given_by_guardians(cast)
    turn(cast.child, 18, days=1)
    assert _region_sees_school_records(cast)
    turn(cast.child, 18)
    assert not _region_sees_school_records(cast)  # lapsed at once, before any task has run


def test_the_young_persons_own_consent_opens_records(cast):
    turn(cast.child, 18)
    user = child_login(cast.child)
    consent = ask(cast)
    services.consent_answer(consent=consent, decision="given", via=family_via(user, basis=policy.Basis.CHILD_SELF))
    assert _region_sees_school_records(cast)


def test_the_pages_flag_a_lapsed_consent_for_renewal_at_read_time(cast):
    consent = _given_by_guardians(cast)
    turn(cast.child, 18)
    access = policy.child_for_user(
        cast.named_person,
        cast.child.pk,
        actor=policy.actor_for(cast.named_person, session_key="s"),
        surface="page",
        target="test",
    )
    (row,) = consent_rows(with_details(Consent.objects.filter(pk=consent.pk)), access=access)
    assert not row.in_force and row.needs_renewal
    assert str(row.state) == str(Consent.Status.CUSTODY_ENDED.label)
    (family_row,) = family_rows(cast.child, cast.child.user)
    assert family_row.row.needs_renewal and not family_row.may_withdraw
    with pytest.raises(ValidationError, match="gäller inte längre"):
        services.consent_limit(
            consent=consent,
            categories=["education"],
            recipients=[cast.region],
            valid_until=consent.valid_until - timedelta(days=1),
            via=family_via(cast.named_person),
        )


def test_the_task_marks_lapsed_consents_once(cast):
    consent = _given_by_guardians(cast)
    own = ask(cast)  # waiting: the task leaves requests alone
    turn(cast.child, 18)
    on = policy.today()
    assert services.consents_end_at_majority(on=on) == 1
    assert services.consents_end_at_majority(on=on) == 0
    consent.refresh_from_db()
    assert consent.status == Consent.Status.CUSTODY_ENDED
    assert timezone.localdate(consent.ended_at) == cast.child.birth_date.replace(year=cast.child.birth_date.year + 18)
    assert consent.events.filter(kind=ConsentEvent.Kind.CUSTODY_ENDED).count() == 1
    own.refresh_from_db()
    assert own.status == Consent.Status.REQUESTED
    assert "consents_custody_ended" in tasks.registered()
    call_command("run_due_tasks", "--only", "consents_custody_ended")


def test_the_consent_page_says_it_needs_renewing(client, cast):
    _given_by_guardians(cast)
    turn(cast.child, 18)
    sign_in(client, cast.named_person)
    page = client.get(reverse("sharing:consents", args=[cast.child.pk])).content.decode()
    assert RENEW in page
    sign_in(client, cast.child.user)
    page = client.get(reverse("family:consents", args=[cast.child.pk])).content.decode()
    assert RENEW in page


def test_staff_cannot_record_a_guardians_answer_once_the_child_is_18(cast):
    turn(cast.child, 17, days=-30)
    consent = ask(cast)
    turn(cast.child, 18)
    with pytest.raises(ValidationError, match="inte längre vårdnad"):
        services.consent_record_answer(
            consent=consent,
            party=consent.parties.get(guardian=cast.guardian),
            decision="given",
            method="oral",
            evidence_note="Per telefon",
            via=staff_via(cast.named_person),
        )
    assert not consent.parties.filter(decided_at__isnull=False).exists()

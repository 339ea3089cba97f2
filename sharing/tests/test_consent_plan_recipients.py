"""Asking for consent to "the participants of the child's plan": the request, limits, extensions and the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sharing import policy
from sharing.models import Consent, ConsentEvent
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, family_via, plan_with, staff_via
from testsupport.cast import enrol, sign_in

NEEDS_A_RECIPIENT = "Välj minst en mottagare"


def _given(cast, **kwargs) -> Consent:
    consent = ask(cast, **kwargs)
    for user in (cast.guardian_user, cast.co_guardian_user):
        services.consent_answer(consent=consent, decision="given", via=family_via(user))
    consent.refresh_from_db()
    return consent


def _url(name, cast, *args):
    return reverse(f"sharing:{name}", args=[cast.child.pk, *args])


def _request_data(cast, **changes):
    today = timezone.localdate()
    data = {
        "shared_under_duty": "no",
        "purpose": "Samordnat stöd i planen",
        "categories": ["education"],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
    }
    return {**data, **changes}


# --- Services ---


def test_a_request_may_name_only_the_plans_participants(cast):
    consent = ask(cast, recipients=[], to_plan_participants=True)
    assert consent.to_plan_participants and not consent.recipients.exists()
    requested = consent.events.get(kind=ConsentEvent.Kind.REQUESTED)
    assert requested.details["to_plan_participants"] is True


def test_a_request_without_any_recipient_changes_nothing(cast):
    with pytest.raises(ValidationError) as caught:
        ask(cast, recipients=[], to_plan_participants=False)
    assert NEEDS_A_RECIPIENT in caught.value.message_dict["recipients"][0]
    assert not Consent.objects.exists()


def test_a_limit_takes_the_plans_participants_away_at_once(cast):
    consent = _given(cast, to_plan_participants=True)
    plan_with(cast, cast.social)
    enrol(cast.child, cast.social_team, "other", policy.today() - timedelta(days=3))
    assert policy.consents_for(_access(cast, cast.social_worker)).exists()
    services.consent_limit(
        consent=consent,
        categories=["education"],
        recipients=[cast.region],
        to_plan_participants=False,
        valid_until=consent.valid_until,
        via=staff_via(cast.named_person),
    )
    consent.refresh_from_db()
    assert not consent.to_plan_participants
    assert not policy.consents_for(_access(cast, cast.social_worker)).exists()
    limited = consent.events.get(kind=ConsentEvent.Kind.LIMITED)
    assert (limited.details["before"]["to_plan_participants"], limited.details["after"]["to_plan_participants"]) == (
        True,
        False,
    )


@pytest.mark.parametrize(
    ("start", "change"),
    [
        ({"recipients": [], "to_plan_participants": True}, {"recipients": [], "to_plan_participants": False}),
        ({}, {"to_plan_participants": True}),  # a limit never widens
    ],
)
def test_a_limit_keeps_a_recipient_and_never_adds_the_plan(cast, start, change):
    consent = _given(cast, **start)
    kwargs = {"recipients": list(consent.recipients.all()), **change}
    with pytest.raises(ValidationError) as caught:
        services.consent_limit(
            consent=consent,
            categories=["education"],
            valid_until=consent.valid_until,
            via=staff_via(cast.named_person),
            **kwargs,
        )
    assert "recipients" in caught.value.message_dict
    consent.refresh_from_db()
    assert consent.to_plan_participants is bool(start.get("to_plan_participants"))


def test_an_extension_may_add_the_plans_participants_but_never_drop_them(cast):
    consent = _given(cast)
    until = consent.valid_until
    new = services.consent_extend(
        consent=consent,
        categories=["education"],
        recipients=[cast.region],
        to_plan_participants=True,
        valid_until=until,
        via=staff_via(cast.named_person),
    )
    assert new.to_plan_participants and new.replaces == consent
    wide = _given(cast, recipients=[cast.police], to_plan_participants=True)
    with pytest.raises(ValidationError) as caught:
        services.consent_extend(
            consent=wide,
            categories=["education"],
            recipients=[cast.police],
            to_plan_participants=False,
            valid_until=wide.valid_until + timedelta(days=1),
            via=staff_via(cast.named_person),
        )
    assert "recipients" in caught.value.message_dict


def _access(cast, user):
    actor = policy.actor_for(user, session_key="s")
    return policy.child_for_user(user, cast.child.pk, actor=actor, surface="page", target="test")


# --- Pages ---


def test_the_form_asks_for_the_plans_participants(client, cast):
    sign_in(client, cast.named_person)
    page = client.get(_url("consent_new", cast)).content.decode()
    assert "Deltagarna i barnets plan" in page and 'name="to_plan_participants"' in page
    response = client.post(_url("consent_new", cast), _request_data(cast, to_plan_participants="on"))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.to_plan_participants and not consent.recipients.exists()


def test_the_form_needs_a_recipient_and_says_so(client, cast):
    sign_in(client, cast.named_person)
    response = client.post(_url("consent_new", cast), _request_data(cast))
    assert response.status_code == 400
    assert NEEDS_A_RECIPIENT in response.content.decode()
    assert not Consent.objects.exists()


def test_the_form_accepts_both_kinds_of_recipient(client, cast):
    sign_in(client, cast.named_person)
    data = _request_data(cast, recipients=[cast.region.pk], to_plan_participants="on")
    assert client.post(_url("consent_new", cast), data).status_code == 302
    consent = Consent.objects.get()
    assert consent.to_plan_participants and list(consent.recipients.all()) == [cast.region]


def test_the_consent_page_says_whom_the_plans_participants_are_today(client, cast):
    _given(cast, recipients=[], to_plan_participants=True)
    plan_with(cast, cast.region, cast.social)
    sign_in(client, cast.named_person)
    page = client.get(_url("consents", cast)).content.decode()
    assert "deltagarna i barnets plan" in page
    assert "i dag: Region Test, Socialnämnden" in page  # the asking authority itself is no recipient
    overview = client.get(reverse("people:child", args=[cast.child.pk])).content.decode()
    assert "i dag: Region Test, Socialnämnden" in overview


def test_without_an_open_plan_the_page_says_nobody_is_reached_today(client, cast):
    _given(cast, recipients=[], to_plan_participants=True)
    sign_in(client, cast.named_person)
    page = client.get(_url("consents", cast)).content.decode()
    assert "i dag ingen annan myndighet" in page


def test_a_participating_authority_lists_the_consent_while_it_takes_part(client, cast):
    consent = _given(cast, recipients=[], to_plan_participants=True)
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    plan = plan_with(cast, cast.region)
    sign_in(client, cast.bup_clinician)
    page = client.get(_url("consents", cast)).content.decode()
    assert f'id="consent-{consent.pk}"' in page
    plan.participants.all().delete()
    page = client.get(_url("consents", cast)).content.decode()
    assert f'id="consent-{consent.pk}"' not in page


def test_limiting_a_consent_to_the_plan_only_offers_what_it_has(client, cast):
    consent = _given(cast, recipients=[], to_plan_participants=True, categories=("education", "health"))
    sign_in(client, cast.named_person)
    page = client.get(_url("consent_limit", cast, consent.pk)).content.decode()
    assert 'name="to_plan_participants"' in page and 'name="recipients"' not in page
    last_day = timezone.localdate(consent.valid_until - timedelta(microseconds=1)).isoformat()
    emptied = client.post(
        _url("consent_limit", cast, consent.pk), {"categories": ["education"], "valid_until": last_day}
    )
    assert emptied.status_code == 400 and "Behåll minst en av mottagarna" in emptied.content.decode()
    kept = {"categories": ["education"], "to_plan_participants": "on", "valid_until": last_day}
    assert client.post(_url("consent_limit", cast, consent.pk), kept).status_code == 302
    consent.refresh_from_db()
    assert consent.to_plan_participants
    assert list(consent.categories.values_list("category", flat=True)) == ["education"]


def test_extending_offers_the_plans_participants(client, cast):
    consent = _given(cast)
    sign_in(client, cast.named_person)
    page = client.get(_url("consent_extend", cast, consent.pk)).content.decode()
    assert 'name="to_plan_participants"' in page
    data = {
        "categories": ["education"],
        "recipients": [cast.region.pk],
        "to_plan_participants": "on",
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    assert client.post(_url("consent_extend", cast, consent.pk), data).status_code == 302
    assert Consent.objects.get(replaces=consent).to_plan_participants

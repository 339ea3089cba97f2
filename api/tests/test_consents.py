"""Consent API: staff list and request, withdrawal, the family's list and answers — all under the policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.tests.conftest import assert_holds_nothing_of
from audit.models import AuditEvent
from sharing import policy
from sharing.models import Consent
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, family_via, plan_with
from testsupport.cast import enrol


def _list_url(cast):
    return reverse("api:child_consents", kwargs={"child_id": cast.child.pk})


def _given(cast):
    consent = ask(cast)
    for user in (cast.guardian_user, cast.co_guardian_user):
        services.consent_answer(consent=consent, decision="given", via=family_via(user))
    return consent


def _payload(cast, **changes):
    today = timezone.localdate()
    return {
        "shared_under_duty": False,
        "purpose": "Samordnat stöd",
        "categories": ["education"],
        "recipient_ids": [cast.region.pk],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=60)).isoformat(),
        **changes,
    }


def test_it_lists_and_requests(client, cast, bearer):
    headers = bearer(cast.named_person)
    response = client.post(_list_url(cast), _payload(cast), content_type="application/json", headers=headers)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "requested" and len(body["parties"]) == 2
    rows = client.get(_list_url(cast), headers=headers).json()
    assert [row["id"] for row in rows] == [body["id"]]
    assert AuditEvent.objects.filter(target="api:consent_create", action="create", record_type="Consent").exists()


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "expired", "bup_clinician"])
def test_users_without_a_relation_get_404(client, cast, bearer, persona):
    consent = _given(cast)
    headers = bearer(cast.users[persona])
    response = client.get(_list_url(cast), headers=headers)
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    assert (
        client.post(_list_url(cast), _payload(cast), content_type="application/json", headers=headers).status_code
        == 404
    )
    url = reverse("api:consent_withdraw", kwargs={"consent_id": consent.pk})
    party = consent.parties.first()
    response = client.post(url, {"party_id": party.pk}, content_type="application/json", headers=headers)
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.status == "given"


@pytest.mark.parametrize(
    "change", [{"shared_under_duty": True}, {"categories": []}, {"recipient_ids": [999999]}, {"purpose": ""}]
)
def test_bad_requests_change_nothing(client, cast, bearer, change):
    response = client.post(
        _list_url(cast), _payload(cast, **change), content_type="application/json", headers=bearer(cast.named_person)
    )
    assert response.status_code == 422
    assert not Consent.objects.exists()


def test_staff_withdraw_on_a_partys_word(client, cast, bearer):
    consent = _given(cast)
    url = reverse("api:consent_withdraw", kwargs={"consent_id": consent.pk})
    headers = bearer(cast.named_person)
    assert client.post(url, {"party_id": 999999}, content_type="application/json", headers=headers).status_code == 422
    party = consent.parties.get(guardian=cast.guardian)
    response = client.post(url, {"party_id": party.pk}, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_the_family_lists_and_answers(client, cast, bearer):
    consent = ask(cast)
    headers = bearer(cast.guardian_user)
    rows = client.get(reverse("api:family_consents"), headers=headers).json()
    assert [row["id"] for row in rows] == [consent.pk]
    assert {party["name"] for party in rows[0]["parties"]} == {"Du", "Annan vårdnadshavare"}
    url = reverse("api:family_consent_answer", kwargs={"consent_id": consent.pk})
    assert client.post(url, {"decision": "maybe"}, content_type="application/json", headers=headers).status_code == 422
    response = client.post(url, {"decision": "given"}, content_type="application/json", headers=headers)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(target="api:family_consent_answer", basis="guardian", action="update").exists()


@pytest.mark.parametrize("persona", ["noncustodial_user", "named_person", "outsider"])
def test_others_cannot_answer_or_see_family_consents(client, cast, bearer, persona):
    consent = ask(cast)
    headers = bearer(getattr(cast, persona))
    assert client.get(reverse("api:family_consents"), headers=headers).json() == []
    url = reverse("api:family_consent_answer", kwargs={"consent_id": consent.pk})
    assert client.post(url, {"decision": "given"}, content_type="application/json", headers=headers).status_code == 404
    assert not consent.parties.filter(decided_at__isnull=False).exists()


def test_it_requests_consent_for_the_plans_participants_and_reads_it_back(client, cast, bearer):
    plan_with(cast, cast.region)
    headers = bearer(cast.named_person)
    payload = _payload(cast, recipient_ids=[], to_plan_participants=True)
    response = client.post(_list_url(cast), payload, content_type="application/json", headers=headers)
    assert response.status_code == 201
    body = response.json()
    assert (body["recipients"], body["to_plan_participants"], body["plan_participants"]) == ([], True, ["Region Test"])
    assert Consent.objects.get().to_plan_participants
    named = client.post(_list_url(cast), _payload(cast), content_type="application/json", headers=headers).json()
    assert (named["to_plan_participants"], named["plan_participants"]) == (False, None)


def test_a_request_without_any_recipient_is_422(client, cast, bearer):
    payload = _payload(cast, recipient_ids=[], to_plan_participants=False)
    response = client.post(_list_url(cast), payload, content_type="application/json", headers=bearer(cast.named_person))
    assert response.status_code == 422
    assert "Välj minst en mottagare" in response.json()["detail"]
    assert not Consent.objects.exists()


def test_a_participating_authority_lists_the_consent_only_while_it_takes_part(client, cast, bearer):
    consent = ask(cast, recipients=[], to_plan_participants=True)
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    plan = plan_with(cast, cast.region)
    headers = bearer(cast.bup_clinician)
    assert [row["id"] for row in client.get(_list_url(cast), headers=headers).json()] == [consent.pk]
    plan.participants.all().delete()
    assert client.get(_list_url(cast), headers=headers).json() == []


def test_a_holding_authority_lists_the_consent_that_opens_its_records(client, cast, bearer):
    """The school's committee asks to open health: the region, which holds the BVC listing, sees it read-only."""
    enrol(cast.child, cast.bvc, "child_health", policy.today() - timedelta(days=10))
    consent = ask(cast, categories=("health",), recipients=[cast.social])
    rows = client.get(_list_url(cast), headers=bearer(cast.bvc_nurse)).json()
    assert [row["id"] for row in rows] == [consent.pk]
    assert rows[0]["held_by"] == [{"category": "health", "authorities": ["Region Test"]}]
    assert rows[0]["readers_today"] == ["Socialnämnden"]
    withdraw = reverse("api:consent_withdraw", kwargs={"consent_id": consent.pk})
    party = consent.parties.first()
    response = client.post(
        withdraw, {"party_id": party.pk}, content_type="application/json", headers=bearer(cast.bvc_nurse)
    )
    assert response.status_code == 404

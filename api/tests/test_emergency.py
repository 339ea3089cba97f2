"""Emergency access over the API: start with password and code, end, the owner's review queue and review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.helpers import code_for
from api.tests.conftest import assert_holds_nothing_of
from audit.models import AuditEvent
from sharing.models import EmergencyAccess
from sharing.tests.emergency_setup import neighbour_region
from testsupport.cast import PASSWORD

REASON = "Akut läge, skolan nås inte"


@pytest.fixture
def bup_related(cast):
    cast.neighbour = neighbour_region(cast)
    return cast


@pytest.fixture
def device(cast):
    return TOTPDevice.objects.create(user=cast.bup_clinician, name="app", confirmed=True)


def _start(client, cast, headers, *, user=None, **changes):
    device = TOTPDevice.objects.get(user=user or cast.bup_clinician)
    owner = cast.neighbour.region if hasattr(cast, "neighbour") else cast.region
    body = {"owner_authority_id": owner.pk, "reason": REASON, "password": PASSWORD, "code": code_for(device)}
    body.update(changes)
    url = reverse("api:emergency_start", kwargs={"child_id": cast.child.pk})
    return client.post(url, body, content_type="application/json", headers=headers)


def _emergency(cast, *, hours_ago=30):
    started = timezone.now() - timedelta(hours=hours_ago)
    return EmergencyAccess.objects.create(
        child=cast.child,
        user=cast.bup_clinician,
        owner_authority=cast.neighbour.region,
        reason=REASON,
        started_at=started,
        ends_at=started + timedelta(hours=24),
    )


def test_it_starts_with_password_and_code(client, bup_related, bearer, device):
    response = _start(client, bup_related, bearer(bup_related.bup_clinician))
    assert response.status_code == 201, response.content
    body = response.json()
    emergency = EmergencyAccess.objects.get()
    assert body["id"] == emergency.pk and body["review"] == "pending"
    assert body["owner_authority"] == {"id": bup_related.neighbour.region.pk, "name": "Region Grannlänet"}
    row = AuditEvent.objects.get(record_type="EmergencyAccess")
    assert (row.action, row.surface, row.basis) == ("create", "api", f"emergency_access:{emergency.pk}")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "fel"}, "password"),
        ({"code": "000000"}, "code"),
        ({"reason": " "}, "reason"),
        ({"owner_authority_id": 10**9}, "owner_authority"),
    ],
)
def test_bad_input_is_refused_and_starts_nothing(client, bup_related, bearer, device, change, field):
    response = _start(client, bup_related, bearer(bup_related.bup_clinician), **change)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", field]
    assert not EmergencyAccess.objects.exists()


def test_the_users_own_authority_is_refused(client, bup_related, bearer, device):
    response = _start(client, bup_related, bearer(bup_related.bup_clinician), owner_authority_id=bup_related.region.pk)
    assert response.status_code == 422
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("who", ["bup_clinician", "outsider", "other_school_teacher", "expired"])
def test_without_a_relation_it_answers_404_and_tries_no_code(client, cast, bearer, device, who):
    response = _start(client, cast, bearer(getattr(cast, who)))
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    device.refresh_from_db()
    assert device.last_t == -1
    assert not EmergencyAccess.objects.exists()


def test_the_holder_ends_it_and_nobody_else_can(client, bup_related, bearer):
    emergency = _emergency(bup_related, hours_ago=1)
    url = reverse("api:emergency_end", kwargs={"emergency_id": emergency.pk})
    for other in (bup_related.neighbour.manager, bup_related.outsider):
        assert client.post(url, headers=bearer(other)).status_code == 404
    assert EmergencyAccess.objects.get().ended_at is None
    response = client.post(url, headers=bearer(bup_related.bup_clinician))
    assert response.status_code == 200
    assert response.json()["ended_at"] is not None


def test_the_owning_authoritys_manager_gets_the_queue_and_reviews(client, bup_related, bearer):
    emergency = _emergency(bup_related)
    headers = bearer(bup_related.neighbour.manager)
    queue = client.get(reverse("api:emergency_review_queue"), headers=headers).json()
    assert queue["count"] == 1
    assert queue["items"][0]["child_name"] == "Alva Andersson"
    assert queue["items"][0]["holder_unit"] == "BUP Test"
    url = reverse("api:emergency_review", kwargs={"emergency_id": emergency.pk})
    response = client.post(
        url, {"outcome": "justified", "note": "Akut"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    assert response.json()["review"] == "justified"
    assert EmergencyAccess.objects.get().reviewed_by == bup_related.neighbour.manager


def test_a_bad_review_changes_nothing(client, bup_related, bearer):
    emergency = _emergency(bup_related)
    url = reverse("api:emergency_review", kwargs={"emergency_id": emergency.pk})
    body = {"outcome": "justified", "note": ""}
    headers = bearer(bup_related.neighbour.manager)
    response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert EmergencyAccess.objects.get().review == "pending"


@pytest.mark.parametrize("who", ["teacher", "bup_clinician", "outsider", "social_worker", "manager"])
def test_anyone_else_gets_an_empty_queue_and_404_on_review(client, bup_related, bearer, who):
    emergency = _emergency(bup_related)
    headers = bearer(getattr(bup_related, who))
    queue = client.get(reverse("api:emergency_review_queue"), headers=headers)
    assert queue.json()["count"] == 0
    assert_holds_nothing_of(queue, bup_related.child)
    url = reverse("api:emergency_review", kwargs={"emergency_id": emergency.pk})
    body = {"outcome": "unjustified", "note": "Nej"}
    response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 404
    assert EmergencyAccess.objects.get().review == "pending"


@pytest.mark.parametrize("body", ["", "not json", '{"reason": "Akut"}'])
def test_a_malformed_body_is_refused_in_swedish_after_the_relation_check(client, bup_related, bearer, device, body):
    url = reverse("api:emergency_start", kwargs={"child_id": bup_related.child.pk})
    headers = bearer(bup_related.bup_clinician)
    response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "named_person", "manager"])
def test_outside_health_care_it_answers_422_leading_to_the_report_and_tries_no_code(client, bup_related, bearer, who):
    user = getattr(bup_related, who)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    response = _start(client, bup_related, bearer(user), user=user)
    assert response.status_code == 422
    body = response.json()
    assert "patientdatalagen" in body["detail"] and "orosanmälan" in body["detail"]
    assert body["errors"][0]["type"] == "not_health_care"
    report = reverse("api:report_file", kwargs={"child_id": bup_related.child.pk})
    assert report in body["errors"][0]["msg"]
    disclosure = reverse("api:child_disclosures", kwargs={"child_id": bup_related.child.pk})
    assert (disclosure in body["errors"][0]["msg"]) == (who == "manager")  # deciding roles may decide on disclosure
    device.refresh_from_db()
    assert device.last_t == -1
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("owner", ["social", "police", "education"])
def test_social_services_police_or_school_records_are_refused(client, bup_related, bearer, device, owner):
    response = _start(
        client, bup_related, bearer(bup_related.bup_clinician), owner_authority_id=getattr(bup_related, owner).pk
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "owner_authority"]
    assert not EmergencyAccess.objects.exists()

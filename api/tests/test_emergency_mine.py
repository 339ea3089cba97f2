"""The holder's own emergency accesses over the API: running first, with the review; nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.tests.conftest import assert_holds_nothing_of
from audit.models import AuditEvent
from sharing.models import EmergencyAccess

URL = reverse("api:emergency_mine")
REASON = "Akut läge, skolan nås inte"


def _emergency(cast, *, child=None, hours_ago=0, **changes):
    started = timezone.now() - timedelta(hours=hours_ago)
    return EmergencyAccess.objects.create(
        child=child or cast.child,
        user=cast.bup_clinician,
        owner_authority=cast.education,
        reason=REASON,
        started_at=started,
        ends_at=started + timedelta(hours=24),
        **changes,
    )


@pytest.fixture
def accesses(cast):
    reviewed = _emergency(
        cast,
        hours_ago=72,
        review=EmergencyAccess.Review.JUSTIFIED,
        reviewed_by=cast.manager,
        reviewed_at=timezone.now() - timedelta(hours=40),
        review_note="Befogat, skolan var stängd.",
    )
    running = _emergency(cast, hours_ago=1)
    return running, reviewed


def test_it_lists_the_holders_accesses_running_first(client, cast, bearer, accesses):
    running, reviewed = accesses
    response = client.get(URL, headers=bearer(cast.bup_clinician))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [running.pk, reviewed.pk]
    first, second = body["items"]
    assert (first["active"], first["child_name"], first["review"]) == (True, "Alva Andersson", "pending")
    assert (second["active"], second["review"], second["review_note"]) == (
        False,
        "justified",
        "Befogat, skolan var stängd.",
    )
    rows = AuditEvent.objects.filter(target="api:emergency_mine")
    assert {(row.record_id, row.basis, row.surface) for row in rows} == {
        (str(e.pk), f"emergency_access:{e.pk}", "api") for e in accesses
    }


def test_it_pages(client, cast, bearer, accesses):
    body = client.get(URL, {"limit": 1, "offset": 1}, headers=bearer(cast.bup_clinician)).json()
    assert (body["count"], [item["id"] for item in body["items"]]) == (2, [accesses[1].pk])


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"}])
def test_bad_paging_is_refused(client, cast, bearer, accesses, query):
    response = client.get(URL, query, headers=bearer(cast.bup_clinician))
    assert response.status_code == 422
    assert not AuditEvent.objects.filter(target="api:emergency_mine").exists()


def test_a_protected_child_is_not_named(client, cast, bearer):
    _emergency(cast, child=cast.protected_child)
    response = client.get(URL, headers=bearer(cast.bup_clinician))
    assert response.json()["items"][0]["child_name"] is None
    assert "Vidar" not in response.content.decode()


@pytest.mark.parametrize("who", ["manager", "teacher", "outsider", "expired"])
def test_nobody_else_gets_the_holders_accesses(client, cast, bearer, accesses, who):
    response = client.get(URL, headers=bearer(cast.users[who]))
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert_holds_nothing_of(response, cast.child)


def test_it_needs_a_token(client, accesses):
    assert client.get(URL).status_code == 401

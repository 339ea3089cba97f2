"""Mina nödåtkomster: the holder's own emergency accesses, running first, with the review; nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from sharing.models import EmergencyAccess
from testsupport.cast import sign_in

URL = reverse("sharing:my_emergency_accesses")
HOME = reverse("core:home")
REASON = "Barnet är akut sjukt och skolan nås inte"


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _emergency(cast, *, child=None, user=None, hours_ago=0, hours=24, ended=False, **changes):
    started = timezone.now() - timedelta(hours=hours_ago)
    return EmergencyAccess.objects.create(
        child=child or cast.child,
        user=user or cast.bup_clinician,
        owner_authority=cast.education,
        reason=REASON,
        started_at=started,
        ends_at=started + timedelta(hours=hours),
        ended_at=started + timedelta(hours=1) if ended else None,
        **changes,
    )


@pytest.fixture
def accesses(cast):
    """An expired and reviewed access, one ended early, and one running now, for the BUP clinician."""
    reviewed = _emergency(
        cast,
        hours_ago=72,
        review=EmergencyAccess.Review.UNJUSTIFIED,
        reviewed_by=cast.manager,
        reviewed_at=timezone.now() - timedelta(hours=40),
        review_note="Skolan gick att nå samma dag.",
    )
    ended = _emergency(cast, hours_ago=30, ended=True)
    running = _emergency(cast, hours_ago=1)
    return running, ended, reviewed


def test_it_lists_the_holders_accesses_running_first_with_the_review(cast, accesses):
    running, ended, reviewed = accesses
    response = _client(cast.bup_clinician).get(URL)
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"]] == [running.pk, ended.pk, reviewed.pk]
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "Alva Andersson" in body and "Barn- och utbildningsnämnden" in body and REASON in body
    assert "Pågår till" in body and "avslutad i förtid" in body
    assert "Inte befogad" in body and "Skolan gick att nå samma dag." in body
    assert "Väntar på granskning" in body
    assert "no-store" in response["Cache-Control"]


def test_only_a_running_access_offers_to_end_it(cast, accesses):
    running, ended, reviewed = accesses
    body = _client(cast.bup_clinician).get(URL).content.decode()
    assert reverse("sharing:emergency_end", args=[running.pk]) in body
    assert reverse("sharing:emergency_end", args=[ended.pk]) not in body
    assert reverse("sharing:emergency_end", args=[reviewed.pk]) not in body


def test_every_row_shown_is_logged_as_a_read(cast, accesses):
    _client(cast.bup_clinician).get(URL)
    rows = AuditEvent.objects.filter(target="sharing:my_emergency_accesses")
    assert {(row.record_id, row.basis) for row in rows} == {
        (str(emergency.pk), f"emergency_access:{emergency.pk}") for emergency in accesses
    }
    assert {(row.action, row.surface, row.user_id, row.child_id) for row in rows} == {
        ("read", "page", cast.bup_clinician.pk, cast.child.pk)
    }


def test_a_protected_child_is_not_named(cast):
    _emergency(cast, child=cast.protected_child)
    body = _client(cast.bup_clinician).get(URL).content.decode()
    assert "Skyddade personuppgifter" in body
    assert "Vidar" not in body


@pytest.mark.parametrize("who", ["manager", "teacher", "outsider", "expired", "social_worker"])
def test_nobody_else_sees_the_holders_accesses(cast, accesses, who):
    response = _client(cast.users[who]).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alva" not in body and REASON not in body
    assert "Du har inte startat någon nödåtkomst." in body
    assert not AuditEvent.objects.filter(target="sharing:my_emergency_accesses").exists()


def test_it_pages_through_many_accesses(cast):
    for hours_ago in range(30, 56):
        _emergency(cast, hours_ago=hours_ago)
    client = _client(cast.bup_clinician)
    first = client.get(URL)
    assert len(first.context["page"]) == 25
    assert "Sida 1 av 2" in first.content.decode()
    second = client.get(URL, {"sida": 2})
    assert len(second.context["page"]) == 1
    assert client.get(URL, {"sida": "x"}).status_code == 200  # a bad page number shows the first page


def test_it_changes_nothing_on_post(cast, accesses):
    running = accesses[0]
    response = _client(cast.bup_clinician).post(URL)
    assert response.status_code == 405
    running.refresh_from_db()
    assert running.ended_at is None


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["bup_clinician", "bvc_nurse", "midwife"])
def test_the_navigation_offers_it_to_health_care_staff_who_can_start_emergency_access(cast, who):
    assert f'href="{URL}"' in _client(cast.users[who]).get(HOME).content.decode()


@pytest.mark.parametrize(
    "who", ["teacher", "named_person", "social_worker", "manager", "outsider", "analyst", "administrator"]
)
def test_the_navigation_does_not_offer_it_outside_health_care(cast, who):
    assert f'href="{URL}"' not in _client(cast.users[who]).get(HOME).content.decode()

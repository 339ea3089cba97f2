"""The consent barrier on a hand-built team: what Nora saw, counted.

The team has the school and BUP from 100 days ago; social services joins 40 days ago. Eleven requests
for consent name the team; one is older than the period. Worked out by hand:

| request | asked (days ago) | social services in the team then | answer |
| A | 90 | no | given (later withdrawn: still "given") |
| B | 70 | no | given |
| C | 60 | no | declined |
| D | 50 | no | no answer (50 > 30 days) |
| E | 39 | yes | given |
| F | 30 | yes | declined |
| G | 20 | yes | declined, reason "does not want social services to know" |
| H | 35 | yes | no answer (35 > 30 days) |
| I | 5 | yes | still waiting (5 < 30 days) |
| J | 1 | yes | declined |
| K | 200 | no | outside the period |

All (10): given 3 (A B E), declined 4 (C F G J), no answer 2 (D H), waiting 1 (I).
Without social services (4: A-D): given 2, declined 1, no answer 1, waiting 0.
With social services (6: E-J): given 1, declined 3, no answer 1, waiting 1; one reason given.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from meetings import selectors
from meetings.models import ConsentReason
from meetings.tests.helpers import join, team_consent
from sharing import policy
from sharing.models import Consent, ConsentEvent, SharingRules
from teams.models import Team
from testsupport.cast import sign_in

ANSWERS = {
    "A": (90, ["given", "withdrawn"]),
    "B": (70, ["given"]),
    "C": (60, ["declined"]),
    "D": (50, []),
    "E": (39, ["given"]),
    "F": (30, ["declined"]),
    "G": (20, ["declined"]),
    "H": (35, []),
    "I": (5, []),
    "J": (1, ["declined"]),
    "K": (200, ["given"]),
}


@pytest.fixture
def barrier_team(cast):
    team = Team.objects.create(
        name="Barnombudsteam Nora", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )
    join(team, cast.named_person, cast.education, role="chair", joined=-100)
    join(team, cast.bup_clinician, cast.region, joined=-100)
    join(team, cast.social_worker, cast.social, joined=-40)
    now = timezone.now()
    consents = {}
    for label, (days, events) in ANSWERS.items():
        consent = team_consent(cast, team, status="requested")
        asked = now - timedelta(days=days)
        Consent.objects.filter(pk=consent.pk).update(created_at=asked)
        for step, kind in enumerate(events, start=1):
            ConsentEvent.objects.create(consent=consent, kind=kind, at=asked + timedelta(hours=step))
        consents[label] = consent
    ConsentReason.objects.create(consent=consents["G"], reason="social_services", recorded_by=cast.named_person)
    return team


def _figures(figures):
    return (figures.requests, figures.given, figures.declined, figures.no_answer, figures.waiting)


def test_the_figures_of_the_hand_built_example(barrier_team):
    today = policy.today()
    barrier = selectors.consent_barrier(barrier_team, start=today - timedelta(days=100), end=today + timedelta(days=1))
    assert _figures(barrier.total) == (10, 3, 4, 2, 1)
    assert _figures(barrier.without_social) == (4, 2, 1, 1, 0)
    assert _figures(barrier.with_social) == (6, 1, 3, 1, 1)
    assert barrier.with_social.reasons == {"social_services": 1}
    assert barrier.without_social.reasons == {}


def test_a_shorter_wait_turns_waiting_into_no_answer(barrier_team):
    today = policy.today()
    barrier = selectors.consent_barrier(
        barrier_team, start=today - timedelta(days=100), end=today + timedelta(days=1), no_answer_days=3
    )
    assert _figures(barrier.with_social) == (6, 1, 3, 2, 0)


def test_the_period_bounds_the_requests(barrier_team):
    today = policy.today()
    barrier = selectors.consent_barrier(barrier_team, start=today - timedelta(days=40), end=today - timedelta(days=1))
    assert _figures(barrier.total) == (5, 1, 2, 1, 1)  # E F G H I; A-D before the start, J on the (excluded) end day


def test_the_figures_page_shows_them_to_members_only(cast, barrier_team, client):
    url = reverse("meetings:figures", args=[barrier_team.pk])
    start = (policy.today() - timedelta(days=100)).isoformat()
    sign_in(client, cast.social_worker)
    body = client.get(url, {"fran": start}).content.decode()
    assert "Socialtjänsten deltog" in body and "Vill inte att socialtjänsten får veta: 1" in body
    assert "Alva" not in body  # counts only, never a child
    for user in (cast.teacher, cast.outsider, cast.expired):
        sign_in(client, user)
        assert client.get(url).status_code == 404


def test_the_asker_records_a_reason_on_the_guardians_word(cast, barrier_team, client):
    declined = Consent.objects.filter(recipient_teams=barrier_team, events__kind="declined").order_by("pk").first()
    url = reverse("meetings:consent_reason", args=[barrier_team.pk, declined.pk])
    sign_in(client, cast.named_person)  # the school asked: it records the answer and the reason
    figures = client.get(reverse("meetings:figures", args=[barrier_team.pk])).content.decode()
    assert url in figures and "Alva" not in figures
    bad = client.post(url, {"reason": "other", "text": "Ring mamma på 070-123 45 67"})
    assert bad.status_code == 400 and not ConsentReason.objects.filter(consent=declined).exists()
    assert client.post(url, {"reason": "too_many", "text": "För många myndigheter."}).status_code == 302
    assert ConsentReason.objects.get(consent=declined).reason == "too_many"
    row = AuditEvent.objects.get(record_type="ConsentReason")
    assert (row.child_id, row.basis) == (cast.child.pk, "consent_admin")
    for who in ("bup_clinician", "social_worker", "outsider", "teacher"):  # not the asking authority, or not in it
        sign_in(client, getattr(cast, who))
        assert client.get(url).status_code == 404, who


def test_the_municipality_sets_the_days_for_pages_and_api(cast, barrier_team, client):
    from accounts.services import api_token_create

    _token, raw = api_token_create(user=cast.social_worker, name="Test", days=30)
    SharingRules.objects.update_or_create(municipality=cast.municipality, defaults={"team_no_answer_days": 3})
    assert selectors.no_answer_days_for(barrier_team) == 3
    today = policy.today()
    barrier = selectors.consent_barrier(barrier_team, start=today - timedelta(days=100), end=today + timedelta(days=1))
    assert _figures(barrier.with_social) == (6, 1, 3, 2, 0)  # as with 3 days given explicitly
    sign_in(client, cast.social_worker)
    body = client.get(reverse("meetings:figures", args=[barrier_team.pk])).content.decode()
    assert "inget svar inom 3 dagar" in body
    url = reverse("api:team_consent_requests", kwargs={"team_id": barrier_team.pk})
    assert client.get(url, headers={"Authorization": f"Bearer {raw}"}).json()["no_answer_days"] == 3


def test_without_a_setting_the_days_are_thirty(barrier_team):
    assert selectors.no_answer_days_for(barrier_team) == 30

"""Consents to a team over the API: `recipient_team_ids` in, `recipient_teams` with today's authorities out."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sharing.models import Consent
from sharing.tests.test_policy_team_recipients import join, make_team


def _team(cast):
    team = make_team(cast)
    join(team, cast.named_person, cast.education)
    join(team, cast.bup_clinician, cast.region)
    join(team, cast.social_worker, cast.social)
    return team


def test_the_api_takes_and_returns_teams(client, cast, bearer):
    team = _team(cast)
    today = timezone.localdate()
    payload = {
        "shared_under_duty": False,
        "purpose": "Samordnat stöd",
        "categories": ["education"],
        "recipient_team_ids": [team.pk],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=60)).isoformat(),
    }
    url = reverse("api:child_consents", kwargs={"child_id": cast.child.pk})
    headers = bearer(cast.named_person)
    response = client.post(url, payload, content_type="application/json", headers=headers)
    assert response.status_code == 201
    body = response.json()
    assert body["recipients"] == [] and body["recipient_teams"] == [
        {"id": team.pk, "name": team.name, "authorities_today": ["Region Test", "Socialnämnden"]}
    ]
    assert client.get(url, headers=headers).json()[0]["recipient_teams"] == body["recipient_teams"]
    unknown = client.post(
        url, {**payload, "recipient_team_ids": [999999]}, content_type="application/json", headers=headers
    )
    assert unknown.status_code == 422 and Consent.objects.count() == 1

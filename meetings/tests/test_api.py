"""The meeting API: members only, identified cases through the policy with every read logged, the same refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import api_token_create
from audit.models import AuditEvent
from meetings.models import AgendaItem, Outcome
from meetings.tests.helpers import team_consent
from sharing import policy
from sharing.models import Consent


def _headers(user) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="Test", days=30)
    return {"Authorization": f"Bearer {raw}"}


def _post(client, url, body, user):
    return client.post(url, body, content_type="application/json", headers=_headers(user))


def _urls(team, meeting):
    return [
        reverse("api:team_meeting_series", kwargs={"team_id": team.pk}),
        reverse("api:team_meetings", kwargs={"team_id": team.pk}),
        reverse("api:meeting_detail", kwargs={"meeting_id": meeting.pk}),
        reverse("api:team_consent_requests", kwargs={"team_id": team.pk}),
    ]


def test_a_member_reads_the_meeting_with_its_case_and_each_read_is_logged(client, cast, team, meeting, case):
    response = client.get(
        reverse("api:meeting_detail", kwargs={"meeting_id": meeting.pk}), headers=_headers(cast.social_worker)
    )
    assert response.status_code == 200
    body = response.json()
    assert [row["child_name"] for row in body["cases"]] == ["Alva Andersson"] and body["cases_not_shown"] == 0
    row = AuditEvent.objects.get(record_type="CaseItem", surface="api")
    assert (row.target, row.basis, row.child_id) == (
        f"meeting:{meeting.pk}",
        f"consent:{cast.consent.pk}",
        cast.child.pk,
    )


@pytest.mark.parametrize("who", ["teacher", "outsider", "expired", "manager"])
def test_who_is_not_a_member_gets_404(client, cast, team, meeting, case, who):
    user = getattr(cast, who)
    for url in _urls(team, meeting):
        assert client.get(url, headers=_headers(user)).status_code == 404, url
    items = reverse("api:meeting_items_create", kwargs={"meeting_id": meeting.pk})
    assert _post(client, items, {"kind": "theme", "title": "x", "situation": "y"}, user).status_code == 404
    assert not AuditEvent.objects.filter(record_type="CaseItem", action="read").exists()


def test_after_withdrawal_or_leaving_the_case_is_gone(client, cast, team, meeting, case):
    url = reverse("api:meeting_detail", kwargs={"meeting_id": meeting.pk})
    Consent.objects.filter(pk=cast.consent.pk).update(status="withdrawn", ended_at=timezone.now())
    body = client.get(url, headers=_headers(cast.bup_clinician)).json()
    assert body["cases"] == [] and body["cases_not_shown"] == 1 and "Alva" not in str(body)
    cast.bup_member.left_on = policy.today()
    cast.bup_member.save()
    assert client.get(url, headers=_headers(cast.bup_clinician)).status_code == 404


def test_identifying_text_is_refused_and_nothing_kept(client, cast, meeting):
    url = reverse("api:meeting_items_create", kwargs={"meeting_id": meeting.pk})
    body = {"kind": "anonymous", "title": "Oro", "age_band": "6-9", "situation": "Ring 070-123 45 67", "question": "?"}
    response = _post(client, url, body, cast.named_person)
    assert response.status_code == 422 and "telefonnummer" in response.json()["detail"]
    assert "070" not in response.content.decode()  # the submitted value is never sent back
    assert not AgendaItem.objects.exists()
    body["situation"] = "Barnet verkar hungrigt på förmiddagarna."
    assert _post(client, url, body, cast.named_person).status_code == 201


def test_outcomes_over_the_api(client, cast, meeting):
    url = reverse("api:meeting_outcomes_create", kwargs={"meeting_id": meeting.pk})
    action = {"kind": "action", "text": "Boka möte", "owner_id": cast.teacher.pk, "due_on": "2030-01-01"}
    assert _post(client, url, action, cast.named_person).status_code == 422  # not a member
    action["owner_id"] = cast.bup_clinician.pk
    response = _post(client, url, action, cast.named_person)
    assert response.status_code == 201 and response.json()["owner"] == "Erik Psykolog"
    assert Outcome.objects.get().owner == cast.bup_clinician


def test_the_consent_request_figures(client, cast, team):
    team_consent(cast, team, status="requested")
    url = reverse("api:team_consent_requests", kwargs={"team_id": team.pk})
    start = (policy.today() - timedelta(days=1)).isoformat()
    body = client.get(url, {"date_from": start}, headers=_headers(cast.social_worker)).json()
    assert body["all"] == {"requests": 1, "given": 0, "declined": 0, "no_answer": 0, "waiting": 1}
    assert body["with_social_services"]["requests"] == 1 and body["without_social_services"]["requests"] == 0

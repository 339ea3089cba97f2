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


SERIES = {
    "title": "Månadsmöte",
    "frequency": "monthly",
    "weekday": 1,
    "ordinal": 1,
    "starts_at": "13:00",
    "ends_at": "15:00",
    "first_date": "2030-01-01",
}
MEETING = {"date": "2030-02-10", "starts_at": "09:00", "ends_at": "10:00", "place": "Kommunhuset"}


def test_the_chair_sets_up_a_series_and_a_member_plans_a_meeting(client, cast, team):
    from meetings.models import Meeting, MeetingSeries

    series_url = reverse("api:team_meeting_series_create", kwargs={"team_id": team.pk})
    response = _post(client, series_url, SERIES, cast.bup_clinician)  # a member, not the chair
    assert response.status_code == 403 and "ordförande" in response.json()["detail"]
    response = _post(client, series_url, SERIES | {"ends_at": "12:00"}, cast.named_person)
    assert response.status_code == 422 and not MeetingSeries.objects.exists()
    response = _post(client, series_url, SERIES, cast.named_person)
    assert response.status_code == 201 and response.json()["title"] == "Månadsmöte"
    assert Meeting.objects.filter(series__isnull=False).count() == 12  # the first Tuesdays of 2030
    assert AuditEvent.objects.filter(record_type="MeetingSeries", action="create", surface="api").exists()
    url = reverse("api:team_meetings_create", kwargs={"team_id": team.pk})
    response = _post(client, url, MEETING, cast.bup_clinician)
    assert response.status_code == 201 and response.json()["place"] == "Kommunhuset"
    assert _post(client, url, MEETING | {"ends_at": "08:00"}, cast.bup_clinician).status_code == 422


@pytest.mark.parametrize("who", ["teacher", "outsider", "expired", "manager"])
def test_who_is_not_a_member_creates_nothing(client, cast, team, meeting, who):
    from meetings.models import CaseItem, ConsentReason, Meeting, MeetingSeries

    consent = team_consent(cast, team, status="declined")
    user = getattr(cast, who)
    calls = [
        (reverse("api:team_meeting_series_create", kwargs={"team_id": team.pk}), SERIES),
        (reverse("api:team_meetings_create", kwargs={"team_id": team.pk}), MEETING),
        (
            reverse("api:meeting_cases_create", kwargs={"meeting_id": meeting.pk}),
            {"child_id": str(cast.child.pk), "category": "education", "summary": "x"},
        ),
        (
            reverse("api:team_consent_reason", kwargs={"team_id": team.pk, "consent_id": consent.pk}),
            {"reason": "too_many"},
        ),
    ]
    for url, body in calls:
        assert _post(client, url, body, user).status_code in (403, 404), url
    assert not MeetingSeries.objects.exists() and Meeting.objects.count() == 1
    assert not CaseItem.objects.exists() and not ConsentReason.objects.exists()


def test_a_case_over_the_api_needs_a_covering_consent_and_is_logged(client, cast, team, meeting):
    from meetings.models import CaseItem

    url = reverse("api:meeting_cases_create", kwargs={"meeting_id": meeting.pk})
    body = {"child_id": str(cast.child.pk), "category": "education", "summary": "Hög frånvaro."}
    response = _post(client, url, body, cast.named_person)
    assert response.status_code == 422 and "samtycke" in response.json()["detail"]
    consent = team_consent(cast, team)
    assert _post(client, url, body | {"category": "health"}, cast.named_person).status_code == 422
    assert _post(client, url, body, cast.bup_clinician).status_code == 404  # a member without a relation to the child
    response = _post(client, url, body, cast.named_person)
    assert response.status_code == 201 and response.json()["child_name"] == "Alva Andersson"
    case = CaseItem.objects.get()
    row = AuditEvent.objects.get(record_type="CaseItem", action="create")
    assert (row.child_id, row.basis, row.surface) == (cast.child.pk, f"consent:{consent.pk}", "api")
    assert case.consent == consent


def test_a_guardians_reason_over_the_api(client, cast, team):
    from meetings.models import ConsentReason

    consent = team_consent(cast, team, status="declined")
    url = reverse("api:team_consent_reason", kwargs={"team_id": team.pk, "consent_id": consent.pk})
    assert _post(client, url, {"reason": "nope"}, cast.named_person).status_code == 422
    body = {"reason": "social_services", "text": "Ring 070-123 45 67"}
    assert _post(client, url, body, cast.named_person).status_code == 422  # identifying text is refused
    assert _post(client, url, {"reason": "social_services"}, cast.social_worker).status_code == 404  # did not ask
    response = _post(client, url, {"reason": "social_services", "text": "Orolig."}, cast.named_person)
    assert response.status_code == 200 and response.json()["reason"] == "social_services"
    assert ConsentReason.objects.get().consent == consent
    assert AuditEvent.objects.filter(record_type="ConsentReason", child_id=cast.child.pk, surface="api").exists()

"""The programme routes of the API: scoped to the user's municipality, applications by role, registrations."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from programmes.models import Registration
from programmes.tests.setup import apply, make_call, make_event
from programmes.tests.test_pages import _other_municipality_manager

pytestmark = pytest.mark.django_db


def test_it_lists_the_budget_of_a_programme_of_the_users_municipality(client, cast, bearer):
    call = make_call(cast)
    response = client.get(f"/api/v1/programmes/{call.programme_id}/budget", headers=bearer(cast.teacher))
    assert response.status_code == 200
    assert response.json()[0]["allocated"] == 3_000_000
    names = [p["name"] for p in client.get("/api/v1/programmes", headers=bearer(cast.teacher)).json()]
    assert names == ["Tidiga insatser"]


def test_a_user_of_another_municipality_gets_404(client, cast, bearer):
    call = make_call(cast)
    stranger = _other_municipality_manager()
    assert client.get(f"/api/v1/programmes/{call.programme_id}/budget", headers=bearer(stranger)).status_code == 404
    assert client.get(f"/api/v1/calls/{call.pk}/applications", headers=bearer(stranger)).status_code == 404
    assert client.get("/api/v1/programmes", headers=bearer(stranger)).json() == []


def test_applications_are_shown_by_role(client, cast, bearer):
    call = make_call(cast)
    submitted = apply(call, organisation="Boo folkets hus")
    own_draft = apply(call, organisation="BVC Centrum", unit=cast.bvc, created_by=cast.bvc_nurse, submit=False)
    url = f"/api/v1/calls/{call.pk}/applications"

    def seen(user):
        return {row["id"] for row in client.get(url, headers=bearer(user)).json()}

    assert seen(cast.manager) == {submitted.pk, own_draft.pk}
    assert seen(cast.teacher) == {submitted.pk}  # an assessor: submitted ones, never drafts
    assert seen(cast.bvc_nurse) == {own_draft.pk}
    assert seen(cast.midwife) == set()


def test_a_registration_through_the_api_gets_a_place_and_is_audited(client, cast, bearer):
    _event, session = make_event(cast, capacity=1)
    url = f"/api/v1/sessions/{session.pk}/registrations"
    body = {"profession": "school", "unit_id": cast.school.pk}
    response = client.post(url, body, content_type="application/json", headers=bearer(cast.teacher))
    assert response.status_code == 201
    assert response.json()["status"] == "place"
    again = client.post(url, body, content_type="application/json", headers=bearer(cast.teacher))
    assert again.status_code == 422
    other = {"profession": "school", "unit_id": cast.school.pk}
    wrong_unit = client.post(url, other, content_type="application/json", headers=bearer(cast.bvc_nurse))
    assert wrong_unit.status_code == 422
    assert Registration.objects.count() == 1
    assert AuditEvent.objects.filter(surface="api", basis="programme_work").count() == 1
    assert client.get("/api/v1/registrations/mine", headers=bearer(cast.teacher)).json()[0]["status"] == "place"


def test_it_refuses_callers_without_a_token(client, cast):
    assert client.get("/api/v1/programmes").status_code == 401

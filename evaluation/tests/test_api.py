"""The follow-up API: managers and analysts of the municipality only, with small counts suppressed."""

from __future__ import annotations

from datetime import date

import pytest

from audit.models import AuditEvent
from evaluation.models import Pilot
from evaluation.tests.test_views import other_manager  # noqa: F401  (fixture)


@pytest.fixture
def bearer(cast):
    from accounts.services import api_token_create

    def headers(user) -> dict[str, str]:
        _token, raw = api_token_create(user=user, name="Test", days=30)
        return {"Authorization": f"Bearer {raw}"}

    return headers


@pytest.fixture
def pilot(cast):
    return Pilot.objects.create(municipality=cast.municipality, name="Pilot Väst", area="Väst", start=date(2026, 1, 1))


def kpi_url(cast) -> str:
    return f"/api/v1/evaluation/municipalities/{cast.municipality.pk}/kpis"


def test_it_gives_the_analyst_suppressed_kpis(client, cast, bearer):
    response = client.get(kpi_url(cast), headers=bearer(cast.analyst))
    assert response.status_code == 200
    coverage = next(kpi for kpi in response.json() if kpi["key"] == "coverage")
    # The cast has two children in the municipality: fewer than 5, so neither value nor count is published.
    assert coverage["figures"][0]["value"] is None and coverage["figures"][0]["n"] is None
    assert coverage["figures"][0]["suppressed"] is True
    assert "Antal under 5 visas inte" in coverage["rule"]
    assert all(cell is None or cell == 0 or cell >= 5 for row in coverage["table"]["rows"] for cell in row["cells"])
    assert cast.child.given_name not in response.content.decode()
    assert AuditEvent.objects.filter(surface="api", basis="outcome_follow_up").exists()


def test_it_gives_the_manager_the_pilot_comparison(client, cast, bearer, pilot):
    response = client.get(f"/api/v1/evaluation/pilots/{pilot.pk}/comparison", headers=bearer(cast.manager))
    assert response.status_code == 200
    body = response.json()
    assert [group["key"] for group in body["groups"]] == [
        "pilot_before",
        "pilot_after",
        "control_before",
        "control_after",
    ]
    assert body["difference_in_differences"] is None  # too few children in every group
    assert "HC2" in body["method"]


@pytest.mark.parametrize("who", ["teacher", "named_person", "outsider", "expired", "administrator"])
def test_it_answers_404_to_everyone_else(client, cast, bearer, pilot, who):
    headers = bearer(getattr(cast, who))
    assert client.get(kpi_url(cast), headers=headers).status_code == 404
    assert client.get(f"/api/v1/evaluation/pilots/{pilot.pk}/comparison", headers=headers).status_code == 404


def test_another_municipalitys_manager_gets_404(client, cast, bearer, pilot, other_manager):  # noqa: F811
    headers = bearer(other_manager)
    assert client.get(kpi_url(cast), headers=headers).status_code == 404
    assert client.get(f"/api/v1/evaluation/pilots/{pilot.pk}/comparison", headers=headers).status_code == 404


def test_it_refuses_without_a_token_and_on_bad_filters(client, cast, bearer):
    assert client.get(kpi_url(cast)).status_code == 401
    headers = bearer(cast.analyst)
    bad = client.get(kpi_url(cast), {"start": "2026-05-01", "end": "2026-01-01"}, headers=headers)
    assert bad.status_code == 400 and "Startdatumet" in bad.json()["detail"]
    assert client.get(kpi_url(cast), {"gender": "X"}, headers=headers).status_code == 422

"""The indicator routes of the API: readers by role and municipality, writes by the reporting actor, the calculator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from audit.models import AuditEvent
from indicators import calculator, services
from indicators.models import Indicator, IndicatorValue
from indicators.tests.setup import other_municipality_analyst, region_analyst, social_analyst, via

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed():
    return Indicator.objects.get(code="N71-S08")


def _post(client, bearer, user, url, body):
    return client.post(url, body, content_type="application/json", headers=bearer(user))


def test_readers_list_the_registry_and_practitioners_are_refused(client, cast, bearer):
    assert client.get("/api/v1/indicators").status_code == 401
    response = client.get("/api/v1/indicators", {"q": "BVC"}, headers=bearer(cast.manager))
    assert response.status_code == 200
    assert [row["code"] for row in response.json()] == ["N71-S09"]
    for user in (cast.social_worker, cast.teacher, cast.outsider, cast.expired):
        assert client.get("/api/v1/indicators", headers=bearer(user)).status_code == 403


def test_values_hide_small_counts_and_stay_in_the_municipality(client, cast, bearer, placed):
    analyst = social_analyst(cast)
    for gender, value in (("T", 33), ("K", 3)):
        services.value_record(
            via=via(analyst),
            indicator=placed,
            municipality=cast.municipality,
            unit=cast.social_team,
            period="2024",
            gender=gender,
            value=Decimal(value),
        )
    url = f"/api/v1/indicators/{placed.pk}/values"
    rows = {row["gender"]: row for row in client.get(url, headers=bearer(region_analyst(cast))).json()}
    assert Decimal(str(rows["T"]["value"])) == 33
    assert rows["K"]["value"] is None and rows["K"]["shown"] == "färre än 5"
    assert client.get(url, headers=bearer(other_municipality_analyst())).json() == []
    assert client.get(url, headers=bearer(cast.social_worker)).status_code == 403
    assert AuditEvent.objects.filter(surface="api", target="api:indicator_values").count() == 2


def test_the_reporting_actor_writes_and_others_are_refused(client, cast, bearer, placed):
    url = f"/api/v1/indicators/{placed.pk}/values"
    body = {"municipality_code": "9999", "unit_id": cast.social_team.pk, "period": "2024", "value": "31"}
    assert _post(client, bearer, social_analyst(cast), url, body).status_code == 201
    assert _post(client, bearer, social_analyst(cast), url, body).status_code == 200  # same figure: no revision
    revised = _post(client, bearer, social_analyst(cast), url, body | {"value": "32", "note": "Rättat"})
    assert revised.status_code == 201 and revised.json()["revision"] == 2
    for user in (cast.analyst, region_analyst(cast), other_municipality_analyst()):
        assert _post(client, bearer, user, url, body | {"value": "40"}).status_code == 403
    assert _post(client, bearer, cast.social_worker, url, body).status_code == 403
    bad = _post(client, bearer, social_analyst(cast), url, body | {"period": "2024-HT"})
    assert bad.status_code == 422 and "Perioden" in bad.json()["errors"][0]["msg"]
    assert _post(client, bearer, social_analyst(cast), url, body | {"municipality_code": "99"}).status_code == 422
    assert IndicatorValue.objects.count() == 2


def test_the_calculator_reproduces_ystad(client, cast, bearer):
    body = {
        "cohort": 314,
        "rate_percent": "13",
        "years": 40,
        "costs": {key: str(value) for key, value in calculator.YSTAD_COSTS.items()},
    }
    response = _post(client, bearer, cast.analyst, "/api/v1/calculator", body)
    assert response.status_code == 200
    result = response.json()
    assert (result["persons"], result["total"]) == (41, 541_252_076)
    assert (result["per_point"], result["per_point_per_year"]) == (41_634_775, 1_040_869)
    first = result["payers"][0]
    assert (first["payer"], first["amount"], Decimal(str(first["share_percent"]))) == (
        "Arbetsförmedlingen",
        8_913_725,
        Decimal("1.65"),
    )
    # 8 913 725 / 13 = 685 671.15 -> 685 671; / 40 years = 17 141.78 -> 17 142.
    assert (first["per_point"], first["per_point_per_year"]) == (685_671, 17_142)
    assert _post(client, bearer, cast.analyst, "/api/v1/calculator", body | {"rate_percent": "101"}).status_code == 422
    assert _post(client, bearer, cast.teacher, "/api/v1/calculator", body).status_code == 403

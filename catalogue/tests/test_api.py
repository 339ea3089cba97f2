"""The catalogue API: the public part without a token (rate-limited), the whole catalogue with one."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.services import api_token_create
from api.routers.catalogue import PUBLIC_RATE

PUBLIC = reverse("api:catalogue_public")
STAFF = reverse("api:catalogue_interventions")


def _bearer(user) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="Test", days=30)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
class TestPublic:
    def test_anyone_reads_the_public_entries_for_an_age_and_worry(self, client, catalogue):
        response = client.get(PUBLIC, {"age": 7, "worry": "kanslor"})
        assert response.status_code == 200
        assert [entry["name"] for entry in response.json()] == ["Cool Kids"]
        assert response.json()[0]["how"] == "Ni kan själva ta kontakt."

    def test_internal_entries_never_appear(self, client, catalogue):
        names = {entry["name"] for entry in client.get(PUBLIC).json()}
        assert "Utvecklingsbedömning" not in names
        assert "Cool Kids" in names

    def test_a_bad_age_is_422(self, client, catalogue):
        assert client.get(PUBLIC, {"age": 99}).status_code == 422

    def test_it_is_rate_limited(self, client, catalogue):
        allowed = int(PUBLIC_RATE.split("/")[0])
        for _ in range(allowed):
            assert client.get(PUBLIC).status_code == 200
        assert client.get(PUBLIC).status_code == 429


@pytest.mark.django_db
class TestStaff:
    def test_staff_read_public_and_internal_entries_of_their_municipality(self, client, catalogue, elsewhere):
        response = client.get(STAFF, headers=_bearer(catalogue.teacher))
        names = {entry["name"] for entry in response.json()}
        assert names == {"Cool Kids", "Hembesök", "Utvecklingsbedömning", "Skilda världar"}

    def test_another_municipality_sees_only_its_own(self, client, catalogue, elsewhere):
        response = client.get(STAFF, headers=_bearer(elsewhere["other_teacher"]))
        assert [entry["name"] for entry in response.json()] == ["Annanstads samtalsstöd"]

    def test_it_filters_by_level_and_need(self, client, catalogue):
        response = client.get(STAFF, {"level": "indicated", "need": "healthy"}, headers=_bearer(catalogue.teacher))
        assert [entry["name"] for entry in response.json()] == ["Cool Kids"]
        assert response.json()[0]["needs"] == ["healthy"]

    def test_an_unknown_level_is_422(self, client, catalogue):
        assert client.get(STAFF, {"level": "high"}, headers=_bearer(catalogue.teacher)).status_code == 422

    def test_without_a_token_it_is_401(self, client, catalogue):
        assert client.get(STAFF).status_code == 401

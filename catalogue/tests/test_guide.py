"""The public guide: open without login, public entries only, by age and worry, no cookies, both languages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalogue.demo import demo_catalogue
from catalogue.models import Intervention, Provider
from sharing import policy
from testsupport.cast import sign_in

GUIDE = reverse("guide:home")


@pytest.mark.django_db
class TestGuide:
    def test_a_citizen_finds_help_for_a_seven_year_old_with_anxiety(self, client, catalogue):
        response = client.get(GUIDE, {"alder": "7", "oro": "kanslor"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Cool Kids" in page
        assert "Hembesök" not in page  # for newborns
        assert "Skilda världar" not in page  # another kind of worry
        assert "Ni kan själva ta kontakt." in page
        assert "0990-1" in page

    def test_it_shows_only_public_entries(self, client, catalogue):
        page = client.get(GUIDE).content.decode()
        assert "Cool Kids" in page
        assert "Utvecklingsbedömning" not in page

    def test_it_shows_the_emergency_numbers_and_contact_points(self, client, catalogue):
        page = client.get(GUIDE).content.decode()
        for number in ("112", "1177", "116 111", "114 14"):
            assert number in page
        assert "Kontaktcenter: 0990-100 00" in page

    def test_it_sets_no_cookies_and_may_be_cached(self, client, catalogue):
        response = client.get(GUIDE, {"alder": "7"})
        assert not response.cookies
        assert "public" in response["Cache-Control"]

    def test_a_signed_in_user_gets_no_cookie_but_the_session_and_no_shared_caching(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        response = client.get(GUIDE)
        assert set(response.cookies) <= {settings.SESSION_COOKIE_NAME}
        assert "public" not in response.get("Cache-Control", "")
        assert "Inloggad" not in response.content.decode()

    def test_it_speaks_english_by_a_link_without_a_cookie(self, client, catalogue):
        response = client.get(GUIDE, {"sprak": "en"})
        assert response["Content-Language"] == "en"
        assert '<html lang="en"' in response.content.decode()
        assert not response.cookies

    def test_a_bad_choice_shows_everything_public(self, client, catalogue):
        response = client.get(GUIDE, {"alder": "hundra", "oro": "okänd", "sprak": "xx", "kommun": "0000"})
        assert response.status_code == 200
        assert "Cool Kids" in response.content.decode()

    def test_it_answers_in_a_few_queries(self, client, catalogue, django_assert_max_num_queries):
        with django_assert_max_num_queries(4):
            client.get(GUIDE, {"alder": "7", "oro": "kanslor"})


@pytest.mark.django_db
def test_the_demo_catalogue_loads_the_ystad_mapping_valid(cast):
    counts = demo_catalogue(municipality=cast.municipality, today=policy.today())
    assert counts["insatser i insatskatalogen"] == Intervention.objects.count() > 50
    for intervention in Intervention.objects.all():
        intervention.full_clean()
    # The test world has a "BVC Centrum" unit: the demo's child health providers land on it.
    assert Provider.objects.get(name="Barnhälsovården").unit == cast.bvc
    assert set(Intervention.objects.values_list("level", flat=True)) == {"universal", "selective", "indicated"}


@pytest.mark.django_db
def test_a_changed_entry_shows_at_once_despite_the_cache(client, catalogue):
    assert "Cool Kids" in client.get(GUIDE).content.decode()
    Intervention.objects.filter(pk=catalogue.cool_kids.pk).update(public=False, updated_at=timezone.now())
    assert "Cool Kids" not in client.get(GUIDE).content.decode()

from __future__ import annotations

from django.urls import reverse

from testsupport.cast import sign_in

ACCOUNT = reverse("accounts:account")


def test_it_shows_who_i_am_my_memberships_and_my_second_factor(client, cast):
    sign_in(client, cast.named_person)
    response = client.get(ACCOUNT)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert "Hanna Rektorsson" in body
    assert "Östra skolan" in body
    assert "Barn- och utbildningsnämnden" in body
    assert "Rektor" in body
    assert "Aktuellt" in body
    assert "Aktiverad" in body


def test_it_requires_a_verified_sign_in(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))

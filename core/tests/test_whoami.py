from __future__ import annotations

from django.urls import reverse

from testsupport.cast import sign_in


def test_it_names_the_verified_user_and_counts_memberships(client, cast):
    sign_in(client, cast.teacher)
    response = client.get(reverse("core:whoami"))
    assert response.status_code == 200
    assert response.json() == {"user": "teacher", "memberships": 1}
    assert "no-store" in response["Cache-Control"]
    assert response["Server-Timing"].startswith("app;dur=")


def test_it_sends_anonymous_users_to_the_login(client, cast):
    response = client.get(reverse("core:whoami"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]

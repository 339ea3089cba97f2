from __future__ import annotations

from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import api_token_authenticate, api_token_create
from testsupport.cast import sign_in

PAGE = reverse("accounts:api_tokens")


def _revoke_url(token: ApiToken) -> str:
    return reverse("accounts:api_token_revoke", args=[token.pk])


def test_it_requires_a_verified_sign_in(client, cast):
    client.force_login(cast.teacher)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_lists_only_the_users_own_tokens(client, cast):
    api_token_create(user=cast.teacher, name="Lärarens skript", days=10)
    api_token_create(user=cast.named_person, name="Rektorns skript", days=10)
    sign_in(client, cast.teacher)
    body = client.get(PAGE).content.decode()
    assert "Lärarens skript" in body
    assert "Rektorns skript" not in body
    assert body.count("<h1") == 1


def test_it_shows_a_new_token_once(client, cast):
    sign_in(client, cast.teacher)
    response = client.post(PAGE, {"name": "Rapportskript", "days": "30"})

    assert response.status_code == 201
    raw = response.context["new_secret"]
    assert raw in response.content.decode()
    assert api_token_authenticate(raw) == cast.teacher
    assert ApiToken.objects.get().name == "Rapportskript"
    assert raw not in client.get(PAGE).content.decode()


def test_it_explains_a_bad_form_in_swedish(client, cast):
    sign_in(client, cast.teacher)
    response = client.post(PAGE, {"name": "", "days": "400"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ge nyckeln ett namn" in body
    assert "högst 365 dagar" in body
    assert not ApiToken.objects.exists()


def test_it_refuses_a_user_without_a_current_membership(client, cast):
    sign_in(client, cast.expired)
    cast.expired.memberships.update(valid_to="2000-01-01", valid_from="1999-01-01")
    response = client.post(PAGE, {"name": "Skript", "days": "30"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_it_asks_before_revoking(client, cast):
    token, raw = api_token_create(user=cast.teacher, name="Rapportskript", days=10)
    sign_in(client, cast.teacher)

    page = client.get(_revoke_url(token))
    assert page.status_code == 200
    assert "Vill du återkalla API-nyckeln ”Rapportskript”" in page.content.decode()
    assert api_token_authenticate(raw) == cast.teacher

    response = client.post(_revoke_url(token))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(raw) is None


def test_it_answers_404_for_another_users_token(client, cast):
    token, raw = api_token_create(user=cast.named_person, name="Rektorns skript", days=10)
    sign_in(client, cast.teacher)
    assert client.get(_revoke_url(token)).status_code == 404
    assert client.post(_revoke_url(token)).status_code == 404
    assert api_token_authenticate(raw) == cast.named_person

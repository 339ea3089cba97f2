"""Sign-in through an OpenID Connect provider: only the provider's HTTP calls are replaced, never a real IdP."""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import IdentityProviderDevice
from accounts.oidc import IdentityNumberBackend
from core.personnummer import with_check_digit
from people.models import Guardian

START = reverse("accounts:oidc_start")
CALLBACK = reverse("accounts:oidc_callback")
BACKEND = "accounts.oidc.IdentityNumberBackend"


@pytest.fixture
def provider(settings, monkeypatch):
    """Configure a provider and answer its token, signature and userinfo calls with the given claims."""
    settings.SAMPLAN_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "samplan"
    settings.OIDC_RP_CLIENT_SECRET = "hemlig"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    claims = {}
    monkeypatch.setattr(
        IdentityNumberBackend, "get_token", lambda self, payload: {"id_token": "i", "access_token": "a"}
    )
    monkeypatch.setattr(IdentityNumberBackend, "verify_token", lambda self, token, **kwargs: {"sub": "x"})
    monkeypatch.setattr(IdentityNumberBackend, "get_userinfo", lambda self, access, id_token, payload: dict(claims))
    return claims


def sign_in_with_provider(client, claims: dict, provider_claims: dict):
    provider_claims.clear()
    provider_claims.update(claims)
    response = client.get(START)
    assert response.status_code == 302 and response.url.startswith("https://idp.example/authorize")
    state = parse_qs(urlparse(response.url).query)["state"][0]
    return client.get(CALLBACK, {"code": "kod", "state": state})


def test_the_routes_do_not_exist_without_a_provider(client):
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "kod", "state": "s"}).status_code == 404


def test_a_guardian_s_first_sign_in_creates_the_user_and_counts_as_two_factor(client, cast, provider, caplog):
    number = cast.co_guardian.identity_number
    cast.co_guardian.user = None
    cast.co_guardian.save()
    with caplog.at_level(logging.DEBUG):
        response = sign_in_with_provider(client, {"personal_number": f"{number[2:8]}-{number[8:]}"}, provider)
    assert response.status_code == 302 and response.url == reverse("core:home")
    cast.co_guardian.refresh_from_db()
    user = cast.co_guardian.user
    assert user is not None and number not in user.username and not user.has_usable_password()
    assert IdentityProviderDevice.objects.filter(user=user).exists()
    assert client.get(reverse("core:home")).url == reverse("family:home")
    assert "Alva" in client.get(reverse("family:home")).content.decode()
    assert number not in caplog.text and number[2:8] not in caplog.text


def test_an_existing_family_user_is_matched_not_duplicated(client, cast, provider):
    users = get_user_model().objects.count()
    sign_in_with_provider(client, {"personal_number": cast.guardian.identity_number}, provider)
    assert client.session["_auth_user_id"] == str(cast.guardian_user.pk)
    assert get_user_model().objects.count() == users


def test_an_unknown_number_creates_no_user_and_signs_nobody_in(client, cast, provider, caplog):
    unknown = with_check_digit(date(1970, 1, 1), 123)
    users = get_user_model().objects.count()
    with caplog.at_level(logging.DEBUG):
        response = sign_in_with_provider(client, {"personal_number": unknown}, provider)
    assert response.status_code == 302 and "misslyckades" in response.url
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users
    assert unknown not in caplog.text


@pytest.mark.parametrize("claims", [{}, {"personal_number": "inte ett nummer"}, {"pnr": "19850505-0000"}])
def test_a_missing_or_invalid_claim_signs_nobody_in(client, cast, provider, claims):
    sign_in_with_provider(client, claims, provider)
    assert "_auth_user_id" not in client.session


def test_the_claim_name_is_configurable(client, cast, provider, settings):
    settings.SAMPLAN_OIDC_IDENTITY_CLAIM = "https://id.example/pnr"
    sign_in_with_provider(client, {"https://id.example/pnr": cast.guardian.identity_number}, provider)
    assert client.session["_auth_user_id"] == str(cast.guardian_user.pk)


def test_a_child_is_matched_by_its_own_number(client, cast, provider):
    sign_in_with_provider(client, {"personal_number": cast.child.identity_number}, provider)
    cast.child.refresh_from_db()
    assert cast.child.user is not None
    assert client.session["_auth_user_id"] == str(cast.child.user.pk)
    assert not Guardian.objects.filter(user=cast.child.user).exists()


def test_the_login_page_offers_the_provider_and_explains_a_failure(client, provider):
    body = client.get(reverse("accounts:login") + "?e-legitimation=misslyckades").content.decode()
    assert START in body and "Inloggningen med e-legitimation gick inte" in body


def test_the_login_page_offers_no_provider_when_none_is_configured(client):
    assert START not in client.get(reverse("accounts:login")).content.decode()

"""Staff sign-in through the organisation's provider: a fake provider answers the token, JWKS and userinfo endpoints.

The provider is outside the system, so only its HTTP endpoints are replaced: the id token is a real RS256 JWT
signed with a key the fake JWKS endpoint publishes, so mozilla-django-oidc verifies signature and nonce as it
would against Keycloak.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.urls import reverse
from mozilla_django_oidc import auth as oidc_auth

from accounts.models import IdentityProviderDevice
from organisations.models import Membership, Role
from sharing import policy

START = reverse("accounts:staff_oidc_start")
CALLBACK = reverse("accounts:staff_oidc_callback")
IDP = "https://idp.kommun.example/realms/personal/protocol/openid-connect"
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _Response:
    def __init__(self, body: dict):
        self.body, self.status_code, self.headers = body, 200, {"content-type": "application/json"}

    def json(self) -> dict:
        return self.body

    def raise_for_status(self) -> None:
        return None


class FakeProvider:
    """The token, JWKS and userinfo endpoints of a Keycloak realm, answering with the claims the test sets."""

    def __init__(self):
        self.claims: dict = {}
        self.id_token_claims: dict = {}  # more claims of the id token, e.g. the provider's session id `sid`
        self.nonce = ""
        self.calls: list[str] = []

    def post(self, url, **kwargs):
        self.calls.append(url)
        assert url == f"{IDP}/token" and kwargs["data"]["code"] == "kod"
        token = jwt.encode(
            {"sub": "abc", "nonce": self.nonce, "aud": "samplan-personal", **self.id_token_claims},
            _KEY,
            algorithm="RS256",
            headers={"kid": "k1"},
        )
        return _Response({"id_token": token, "access_token": "atkn"})

    def get(self, url, **kwargs):
        self.calls.append(url)
        if url == f"{IDP}/certs":
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(_KEY.public_key()))
            return _Response({"keys": [{**public, "kid": "k1", "alg": "RS256", "use": "sig"}]})
        assert url == f"{IDP}/userinfo" and kwargs["headers"]["Authorization"] == "Bearer atkn"
        return _Response(dict(self.claims))


@pytest.fixture
def provider(settings, monkeypatch, cast):
    settings.SAMPLAN_STAFF_OIDC_ENABLED = True
    settings.SAMPLAN_STAFF_OIDC = {
        "OIDC_RP_CLIENT_ID": "samplan-personal",
        "OIDC_RP_CLIENT_SECRET": "hemlig",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{IDP}/auth",
        "OIDC_OP_TOKEN_ENDPOINT": f"{IDP}/token",
        "OIDC_OP_USER_ENDPOINT": f"{IDP}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{IDP}/certs",
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": "openid profile",
        "UNITS": {"SE2321000016-SKOL": cast.school.pk, "SE2321000016-FSK": cast.preschool.pk},
    }
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "accounts.staff_oidc.StaffBackend"]
    fake = FakeProvider()
    monkeypatch.setattr(oidc_auth.requests, "post", fake.post)
    monkeypatch.setattr(oidc_auth.requests, "get", fake.get)
    return fake


def _claims(**overrides) -> dict:
    claims = {
        "preferred_username": "SE2321000016-ANNA",
        "given_name": "Anna",
        "family_name": "Ek",
        "samplan_active": True,
        "samplan_duties": [{"unit": "SE2321000016-SKOL", "duty": "Rektor"}],
    }
    claims.update(overrides)
    return claims


def sign_in(client, provider, claims: dict):
    provider.claims = claims
    response = client.get(START)
    assert response.status_code == 302 and response.url.startswith(f"{IDP}/auth")
    query = parse_qs(urlparse(response.url).query)
    provider.nonce = query["nonce"][0]
    assert query["client_id"] == ["samplan-personal"] and "code_challenge" in query  # PKCE
    return client.get(CALLBACK, {"code": "kod", "state": query["state"][0]})


def test_the_routes_do_not_exist_without_a_provider(client):
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "kod", "state": "s"}).status_code == 404


def test_a_first_sign_in_provisions_the_user_with_unit_and_role_from_the_claims(client, cast, provider):
    response = sign_in(client, provider, _claims())
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert f"{IDP}/certs" in provider.calls  # the signature was checked against the published key
    user = get_user_model().objects.get(username="SE2321000016-ANNA")
    assert user.get_full_name() == "Anna Ek" and not user.has_usable_password()
    assert list(policy.memberships(user).values_list("unit", "role")) == [(cast.school.pk, Role.HEAD_TEACHER)]
    assert IdentityProviderDevice.objects.filter(user=user).exists()  # SITHS counts as the second factor
    assert client.get(reverse("people:child_list")).status_code == 200  # verified: no TOTP asked


def test_a_changed_duty_moves_the_membership(client, cast, provider):
    sign_in(client, provider, _claims())
    client.logout()
    sign_in(client, provider, _claims(samplan_duties=[{"unit": "SE2321000016-FSK", "duty": "Förskollärare"}]))
    user = get_user_model().objects.get(username="SE2321000016-ANNA")
    assert list(policy.memberships(user).values_list("unit", "role")) == [(cast.preschool.pk, Role.PRACTITIONER)]


def test_a_user_inactive_in_the_directory_loses_access_at_once(client, cast, provider):
    sign_in(client, provider, _claims())
    user = get_user_model().objects.get(username="SE2321000016-ANNA")
    assert client.get(reverse("people:child_list")).status_code == 200
    other = client.__class__()  # the directory deactivates her; her open session in `client` must end too
    response = sign_in(other, provider, _claims(samplan_active=False))
    assert response.status_code == 302 and "tjanstekort=misslyckades" in response.url
    user.refresh_from_db()
    assert not user.is_active and not policy.memberships(user).exists()
    assert client.get(reverse("people:child_list")).status_code == 302  # the open session ends on its next request


def test_a_sign_in_with_no_known_duty_is_refused(client, provider):
    response = sign_in(client, provider, _claims(samplan_duties=[{"unit": "okänd", "duty": "Rektor"}]))
    assert "tjanstekort=misslyckades" in response.url
    assert not get_user_model().objects.filter(username="SE2321000016-ANNA").exists()


def test_a_local_account_keeps_its_password_and_totp(client, cast, provider):
    response = sign_in(client, provider, _claims(preferred_username=cast.teacher.username))
    assert "tjanstekort=misslyckades" in response.url
    cast.teacher.refresh_from_db()
    assert cast.teacher.has_usable_password() and cast.teacher.is_active
    assert Membership.objects.filter(user=cast.teacher, role=Role.PRACTITIONER).exists()
    assert not IdentityProviderDevice.objects.filter(user=cast.teacher).exists()


def test_the_directorys_removal_hook_deprovisions_at_once(client, provider):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    sign_in(client, provider, _claims())
    call_command("deprovision_staff", "SE2321000016-ANNA")
    assert client.get(reverse("people:child_list")).status_code == 302
    with pytest.raises(CommandError):
        call_command("deprovision_staff", "finns-inte")

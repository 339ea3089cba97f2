"""Back-channel logout from the staff provider (OpenID Connect Back-Channel Logout 1.0), with the fake provider.

The provider POSTs a `logout_token`, a JWT signed with the key its JWKS endpoint publishes; Samplan checks
signature, `iss`, `aud`, `iat`, the logout event, `sid` or `sub`, that there is no `nonce`, and that the
token was not used before, then ends the sessions that sign-in opened. Everything else is refused with 400
and ends nothing.
"""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

from accounts.models import StaffProviderSession
from accounts.staff_oidc import BACKCHANNEL_LOGOUT_EVENT
from accounts.tests.test_staff_oidc import _KEY, IDP, _claims, sign_in
from accounts.tests.test_staff_oidc import provider as provider  # the fake provider fixture

LOGOUT = reverse("accounts:staff_oidc_backchannel_logout")
PAGE = reverse("people:child_list")


@pytest.fixture
def issuer(settings, provider):
    settings.SAMPLAN_STAFF_OIDC = {**settings.SAMPLAN_STAFF_OIDC, "OIDC_OP_ISSUER": IDP}
    return provider


def logout_token(*, key=_KEY, algorithm: str = "RS256", drop: tuple[str, ...] = (), **overrides) -> str:
    claims = {
        "iss": IDP,
        "aud": "samplan-personal",
        "iat": int(time.time()),
        "jti": str(uuid.uuid4()),
        "sub": "abc",
        "sid": "sess-1",
        "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
        **overrides,
    }
    for name in drop:
        claims.pop(name)
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": "k1"})


def _signed_in(provider, sid: str) -> Client:
    client = Client()
    provider.id_token_claims = {"sid": sid}
    sign_in(client, provider, _claims())
    assert client.get(PAGE).status_code == 200
    return client


def _post(token: str, client: Client | None = None):
    return (client or Client()).post(LOGOUT, {"logout_token": token})


def test_the_route_does_not_exist_without_a_provider(client):
    assert _post(logout_token()).status_code == 404


def test_a_logout_token_with_the_sid_ends_that_session_only(issuer):
    first, second = _signed_in(issuer, "sess-1"), _signed_in(issuer, "sess-2")
    assert StaffProviderSession.objects.count() == 2
    response = _post(logout_token(sid="sess-1"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert first.get(PAGE).status_code == 302  # back to the sign-in page
    assert second.get(PAGE).status_code == 200  # the provider's other session is not ended
    assert list(StaffProviderSession.objects.values_list("sid", flat=True)) == ["sess-2"]


def test_a_logout_token_with_only_the_sub_ends_every_session_of_that_person(issuer):
    first, second = _signed_in(issuer, "sess-1"), _signed_in(issuer, "sess-2")
    assert _post(logout_token(drop=("sid",))).status_code == 200
    assert first.get(PAGE).status_code == 302
    assert second.get(PAGE).status_code == 302
    assert not StaffProviderSession.objects.exists()


def test_a_logout_token_for_another_person_ends_nothing(issuer):
    client = _signed_in(issuer, "sess-1")
    assert _post(logout_token(sub="someone-else", drop=("sid",))).status_code == 200
    assert client.get(PAGE).status_code == 200


_OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: logout_token(iss="https://other.example/realm"), id="another issuer"),
        pytest.param(lambda: logout_token(aud="another-client"), id="another audience"),
        pytest.param(lambda: logout_token(drop=("iss",)), id="no issuer"),
        pytest.param(lambda: logout_token(drop=("iat",)), id="no iat"),
        pytest.param(lambda: logout_token(iat=int(time.time()) - 3600), id="issued an hour ago"),
        pytest.param(lambda: logout_token(iat=int(time.time()) + 3600), id="issued in the future"),
        pytest.param(lambda: logout_token(drop=("events",)), id="no events"),
        pytest.param(lambda: logout_token(events={"http://example.org/other": {}}), id="another event"),
        pytest.param(lambda: logout_token(nonce="n"), id="a nonce"),
        pytest.param(lambda: logout_token(drop=("sid", "sub")), id="neither sid nor sub"),
        pytest.param(lambda: logout_token(drop=("jti",)), id="no jti"),
        pytest.param(lambda: logout_token(key=_OTHER_KEY), id="signed with another key"),
        pytest.param(lambda: logout_token(key="hemlig-nyckel-som-inte-ar-providerns", algorithm="HS256"), id="HS256"),
        pytest.param(lambda: jwt.encode({"sub": "abc"}, None, algorithm="none"), id="unsigned"),
        pytest.param(lambda: "inte-en-jwt", id="not a token"),
        pytest.param(lambda: "", id="no token"),
    ],
)
def test_an_invalid_logout_token_is_refused_and_ends_nothing(issuer, token):
    client = _signed_in(issuer, "sess-1")
    response = _post(token())
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert client.get(PAGE).status_code == 200
    assert StaffProviderSession.objects.count() == 1


def test_a_replayed_logout_token_is_refused(issuer):
    token = logout_token(sid="sess-1")
    assert _post(token).status_code == 200
    client = _signed_in(issuer, "sess-1")  # signed in again with the same provider session id
    assert _post(token).status_code == 400
    assert client.get(PAGE).status_code == 200


def test_no_issuer_configured_refuses_every_token(provider):
    client = _signed_in(provider, "sess-1")
    assert _post(logout_token()).status_code == 400
    assert client.get(PAGE).status_code == 200


def test_the_logout_route_takes_only_a_post(issuer):
    assert Client().get(LOGOUT).status_code == 405

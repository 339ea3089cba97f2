from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from api.tests.conftest import assert_holds_nothing_of
from audit.models import AuditEvent
from testsupport.cast import sign_in

URL = reverse("api:children_list")


def _raw_token(user, **changes) -> str:
    token, raw = api_token_create(user=user, name="Test", days=30)
    ApiToken.objects.filter(pk=token.pk).update(**changes)
    return raw


def _assert_refused(response, cast) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "API-nyckel" in response.json()["detail"]
    assert "no-store" in response["Cache-Control"]
    assert_holds_nothing_of(response, cast.child)
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_request_without_a_token(client, cast):
    _assert_refused(client.get(URL), cast)


def test_it_refuses_an_unknown_token(client, cast):
    _assert_refused(client.get(URL, headers={"Authorization": "Bearer spl_not-a-real-token"}), cast)


def test_it_refuses_a_token_under_another_scheme(client, cast):
    raw = _raw_token(cast.teacher)
    _assert_refused(client.get(URL, headers={"Authorization": f"Token {raw}"}), cast)


def test_it_refuses_a_revoked_token(client, cast):
    token, raw = api_token_create(user=cast.teacher, name="Test", days=30)
    api_token_revoke(token=token)
    _assert_refused(client.get(URL, headers={"Authorization": f"Bearer {raw}"}), cast)


def test_it_refuses_an_expired_token(client, cast):
    raw = _raw_token(cast.teacher, expires_at=timezone.now() - timedelta(seconds=1))
    _assert_refused(client.get(URL, headers={"Authorization": f"Bearer {raw}"}), cast)


def test_it_refuses_the_token_of_a_disabled_user(client, cast):
    raw = _raw_token(cast.teacher)
    cast.teacher.is_active = False
    cast.teacher.save()
    _assert_refused(client.get(URL, headers={"Authorization": f"Bearer {raw}"}), cast)


def test_it_does_not_accept_a_signed_in_session(client, cast):
    sign_in(client, cast.named_person)
    _assert_refused(client.get(URL), cast)


def test_it_acts_as_the_token_owner_even_with_another_users_session(client, cast, bearer):
    sign_in(client, cast.named_person)
    response = client.get(URL, headers=bearer(cast.outsider))
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert not AuditEvent.objects.exists()


def test_it_records_a_hash_of_the_token_not_the_token(client, cast):
    token, raw = api_token_create(user=cast.teacher, name="Test", days=30)
    client.get(URL, headers={"Authorization": f"Bearer {raw}"})
    row = AuditEvent.objects.get(child_id=cast.child.pk)
    assert row.session_hash
    assert row.session_hash not in (raw, token.key_hash)
    token.refresh_from_db()
    assert token.last_used_at is not None

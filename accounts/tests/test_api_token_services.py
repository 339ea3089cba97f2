from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_authenticate, api_token_create, api_token_revoke


def test_it_stores_only_the_hash_and_a_prefix(cast):
    token, raw = api_token_create(user=cast.teacher, name="Rapportskript", days=30)
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("spl_") and len(raw) > 40
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.prefix == raw[:8]
    assert raw not in {stored.name, stored.key_hash, stored.prefix}
    assert timedelta(days=29) < stored.expires_at - timezone.now() <= timedelta(days=30)


def test_it_makes_a_different_secret_every_time(cast):
    _, first = api_token_create(user=cast.teacher, name="A", days=1)
    _, second = api_token_create(user=cast.teacher, name="B", days=1)
    assert first != second


def test_it_authenticates_a_valid_token_and_records_its_use(cast):
    token, raw = api_token_create(user=cast.teacher, name="Skript", days=30)
    assert api_token_authenticate(raw) == cast.teacher
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("raw", ["", "spl_fel", "Bearer x", "spl_" + "A" * 43])
def test_it_rejects_an_unknown_token(cast, raw):
    api_token_create(user=cast.teacher, name="Skript", days=30)
    assert api_token_authenticate(raw) is None


def test_it_rejects_a_revoked_token(cast):
    token, raw = api_token_create(user=cast.teacher, name="Skript", days=30)
    api_token_revoke(token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(raw) is None


def test_it_keeps_the_first_revocation_time(cast):
    token, _ = api_token_create(user=cast.teacher, name="Skript", days=30)
    first = api_token_revoke(token=token).revoked_at
    assert api_token_revoke(token=token).revoked_at == first


def test_it_rejects_an_expired_token(cast):
    token, raw = api_token_create(user=cast.teacher, name="Skript", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_authenticate(raw) is None


def test_it_rejects_the_token_of_an_inactive_user(cast):
    _, raw = api_token_create(user=cast.teacher, name="Skript", days=30)
    cast.teacher.is_active = False
    cast.teacher.save()
    assert api_token_authenticate(raw) is None


@pytest.mark.parametrize("days", [0, -1, 366])
def test_it_refuses_a_lifetime_out_of_range(cast, days):
    with pytest.raises(ValidationError):
        api_token_create(user=cast.teacher, name="Skript", days=days)
    assert not ApiToken.objects.exists()


def test_it_requires_a_name(cast):
    with pytest.raises(ValidationError):
        api_token_create(user=cast.teacher, name="  ", days=10)

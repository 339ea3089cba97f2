"""Writes for accounts: API tokens and TOTP devices."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, User

TOKEN_PREFIX = "spl_"  # noqa: S105 -- a fixed label that marks Samplan tokens, not a secret
TOKEN_MAX_DAYS = 365
DEVICE_NAME = "Samplan"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """Create an API token; return it with the plain secret, which is never stored and shown only now."""
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("Välj en giltighetstid mellan 1 och %(max)s dagar.") % {"max": TOKEN_MAX_DAYS}}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_hash=_hash(raw),
        prefix=raw[: ApiToken._meta.get_field("prefix").max_length],
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first time."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.full_clean()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> User | None:
    """Return the active user owning an unexpired, unrevoked token, recording its use; else None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # A plain UPDATE, so a burst of API calls never races on a read-modify-write of the row.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def totp_device_create(*, user: User, key_hex: str | None = None, confirmed: bool = True) -> TOTPDevice:
    """Give the user a TOTP device (confirmed unless enrolment is still pending); demo data passes a fixed key."""
    device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=confirmed)
    if key_hex is not None:
        device.key = key_hex
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> TOTPDevice:
    """Mark a device confirmed once the user has proven it with a code; drop other unconfirmed ones."""
    device.confirmed = True
    device.full_clean()
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
    return device

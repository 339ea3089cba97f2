"""The signed-in user's own account page."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.conf import settings
from django.shortcuts import render
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import LOGIN_AT_KEY
from core.access import authenticated
from organisations.models import Membership
from sharing.policy import today


@authenticated
def account(request):
    """Show who the user is, their memberships and their two-factor status."""
    user = request.user
    on = today()
    memberships = Membership.objects.filter(user=user).select_related("unit__authority").order_by("-valid_from")
    rows = [
        {"membership": m, "current": m.valid_from <= on and (m.valid_to is None or m.valid_to >= on)}
        for m in memberships
    ]
    started = request.session.get(LOGIN_AT_KEY, time.time())
    context = {
        "rows": rows,
        "devices": TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at"),
        "signed_in_at": datetime.fromtimestamp(started, tz=UTC),
        "session_ends_at": datetime.fromtimestamp(started + settings.SAMPLAN_SESSION_ABSOLUTE_SECONDS, tz=UTC),
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
    return render(request, "accounts/account.html", context)

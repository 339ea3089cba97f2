"""Absolute session lifetime on top of Django's idle timeout, and renewing the idle timer without a write per read."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

LOGIN_AT_KEY = "samplan_login_at"
RENEWED_AT_KEY = "samplan_renewed_at"
# A signed-in session is saved (and its idle timer restarted) at most this often by ordinary requests,
# so a plain read writes nothing. The session then ends between idle-RENEW and idle seconds after the
# last request: never later than the idle timeout, and the browser's warning, shown two minutes before
# its own estimate, always leaves at least a minute to stay signed in.
RENEW_SECONDS = 60


def renew(session) -> None:
    """Restart the session's idle timer now: the session is saved, with a new expiry, at the end of the request."""
    session[RENEWED_AT_KEY] = time.time()


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(LOGIN_AT_KEY)
            if started is None or now - started > settings.SAMPLAN_SESSION_ABSOLUTE_SECONDS:
                logout(request)
            elif now - request.session.get(RENEWED_AT_KEY, 0) >= RENEW_SECONDS:
                renew(request.session)
        return self.get_response(request)

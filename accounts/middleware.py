"""Absolute session lifetime on top of Django's idle timeout, and renewing the idle timer without a write per read."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

LOGIN_AT_KEY = "samplan_login_at"
RENEWED_AT_KEY = "samplan_renewed_at"
# A signed-in session is saved (and its idle timer restarted) by ordinary requests only once this share
# of the idle timeout has passed since it was last renewed (a minute of the default 15), so a plain read
# writes nothing. The session then ends between 14/15 of the idle timeout and the idle timeout after the
# last request: never later, and the browser's warning, shown two minutes before its own estimate of the
# default 15 minutes, always leaves at least a minute to stay signed in.
RENEW_SHARE = 1 / 15


def renew_interval() -> float:
    """Return the seconds after which an ordinary request renews the session's idle timer."""
    return settings.SESSION_COOKIE_AGE * RENEW_SHARE


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
            elif now - request.session.get(RENEWED_AT_KEY, 0) >= renew_interval():
                renew(request.session)
        return self.get_response(request)

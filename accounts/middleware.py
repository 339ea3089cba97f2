"""Absolute session lifetime on top of Django's idle timeout."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

LOGIN_AT_KEY = "samplan_login_at"


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            if started is None or time.time() - started > settings.SAMPLAN_SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)

"""Keep-alive for the idle-timeout warning."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.middleware import LOGIN_AT_KEY, renew
from core.access import is_verified, public


@public
@require_POST
def keepalive(request):
    """Renew the idle timer and say how long the session has left."""
    if not is_verified(request.user):
        response = JsonResponse({"detail": _("Du är inte inloggad. Logga in igen.")}, status=401)
    else:
        renew(request.session)  # the person asked to stay: restart the timer now, whenever it was last renewed
        absolute_left = settings.SAMPLAN_SESSION_ABSOLUTE_SECONDS - (time.time() - request.session[LOGIN_AT_KEY])
        response = JsonResponse(
            {
                "remaining": min(request.session.get_expiry_age(), max(0, int(absolute_left))),
                "idle_seconds": settings.SESSION_COOKIE_AGE,
                "absolute_remaining": max(0, int(absolute_left)),
            }
        )
    add_never_cache_headers(response)
    return response

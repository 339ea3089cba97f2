from __future__ import annotations

from django.conf import settings


def samplan(request):
    """Expose demo mode and session limits to templates."""
    return {
        "SAMPLAN_DEMO": settings.SAMPLAN_DEMO,
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
    }

from __future__ import annotations

from django.conf import settings

from core.navigation import items_for_request


def samplan(request):
    """Expose demo mode and session limits to templates."""
    return {
        "SAMPLAN_DEMO": settings.SAMPLAN_DEMO,
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
    }


def navigation(request):
    """Expose the main navigation for the signed-in user, with the current page marked."""
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    return {
        "nav_items": [
            {"label": item.label, "url": item.url, "current": item.url_name == current}
            for item in items_for_request(request)
        ]
    }

from __future__ import annotations

from django.conf import settings

from core.navigation import ACCOUNT, grouped, items_for_request


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
    items = items_for_request(request)
    return {
        # The account page sits in the header; every other page in its section of the menu.
        "nav_sections": grouped([item for item in items if item != ACCOUNT], current),
        "nav_account": {"url": ACCOUNT.url, "label": ACCOUNT.label, "current": current == ACCOUNT.url_name}
        if items
        else None,
    }

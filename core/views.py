"""The start page: where a signed-in user's roles lead."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from core.access import authenticated
from core.navigation import ACCOUNT, items_for_request
from sharing import policy


@authenticated
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show links to the pages the user's roles give work on; anonymous visitors are sent to the login page.

    Guardians and children (who have no staff roles) land on the family view instead.
    """
    if not policy.memberships(request.user).exists() and policy.is_family_user(request.user):
        return redirect("family:home")
    items = [item for item in items_for_request(request) if item != ACCOUNT]
    return render(request, "core/home.html", {"items": items, "account": ACCOUNT})

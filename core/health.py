"""Minimal views for operators and the benchmark."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from core.access import authenticated


@authenticated
@require_safe
def whoami(request):
    """Return the signed-in user's name and number of memberships (the benchmark's framework floor)."""
    return JsonResponse({"user": request.user.get_username(), "memberships": request.user.memberships.count()})

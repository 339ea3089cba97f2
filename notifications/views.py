"""The user's notification preferences: e-mail, SMS or nothing, per kind of thing that can wait for them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import authenticated
from notifications import services
from notifications.forms import PreferencesForm
from notifications.models import FAMILY_KINDS, STAFF_KINDS
from people.models import Guardian
from sharing import policy


def _kinds(user) -> list[str]:
    """Return the kinds the user can receive: the family's as a guardian or a young person, the staff's as staff."""
    kinds = []
    if policy.is_family_user(user):
        kinds += FAMILY_KINDS
    if policy.memberships(user).exists():
        kinds += STAFF_KINDS
    return kinds


@authenticated
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Show and save how the user wants to hear that something waits for them."""
    kinds = _kinds(request.user)
    current = services.preferences_for(request.user)
    # The young person (who is no guardian) reads the family's kinds as told about their own record.
    to_self = not Guardian.objects.filter(user=request.user).exists()
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, kinds=kinds, current=current, to_self=to_self
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Dina val är sparade."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email), "has_phone": bool(services.phone_of(request.user))},
        status=400 if form.errors else 200,
    )

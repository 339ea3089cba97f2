"""Ask for support through the family view: a guardian or the young person writes to the intake function.

What a family asks for is theirs to share: the request goes to the intake unit they choose, whose
authority then holds it; nothing else of the child is shared by it.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from catalogue import intake
from catalogue.forms import RequestForm
from core.access import family_data
from family.access import family_child_for_user
from sharing import policy
from wellbeing.services import Via

SURFACE = "page"
TARGET = "family:support"
SENT = _("Tack. Mottagningen har fått er fråga och hör av sig.")


@family_data
@require_http_methods(["GET", "POST"])
def ask_for_support(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Write to the municipality's intake function about the child (or oneself); list one's own earlier requests."""
    who = policy.page_actor(request)
    access = family_child_for_user(request.user, child_id, actor=who, surface=SURFACE, target=TARGET)
    is_self = access.basis == policy.Basis.CHILD_SELF
    form = RequestForm(
        request.POST if request.method == "POST" else None, units=intake.intake_units(access.child.municipality_id)
    )
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["intake_unit"]
        try:
            intake.request_make(
                child=access.child,
                intake_unit=unit,
                source=intake.SupportRequest.Source.CHILD if is_self else intake.SupportRequest.Source.GUARDIAN,
                user=request.user,
                concern=form.cleaned_data["concern"],
                owner_authority=unit.authority,
                via=Via(actor=who, surface=SURFACE, target=TARGET, basis=access.basis),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, SENT)
            return redirect("family:child", child_id=access.child.pk)
    rows = list(policy.requests_by_family_user(access))
    context = {"child": access.child, "form": form, "is_self": is_self, "rows": rows}
    return render(request, "family/support.html", context, status=400 if form.errors else 200)

"""The wheel in the family view: a guardian's own rating, and the child's own when it has a login."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.access import family_data
from family.access import family_child_for_user
from sharing import policy
from wellbeing import services
from wellbeing.forms import WheelForm
from wellbeing.labels import indicator_texts
from wellbeing.models import Assessment
from wellbeing.views.common import SURFACE, add_errors

TARGET = "wellbeing:family_wheel"
SAVED = _("Tack! Svaren är sparade och skickade till barnets namngivna person.")
SELF_SAVED = _("Tack! Dina svar är sparade och skickade till din namngivna person.")


@family_data
@require_http_methods(["GET", "POST"])
def family_wheel(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Let a guardian, or the child itself, say how the child is doing on each of the eight areas."""
    who = policy.page_actor(request)
    access = family_child_for_user(request.user, child_id, actor=who, surface=SURFACE, target=TARGET)
    is_self = access.basis == policy.Basis.CHILD_SELF
    texts = indicator_texts(access.child.municipality_id)
    data = request.POST if request.method == "POST" else None
    form = WheelForm(data, texts=texts, for_child=is_self)
    del form.fields["assessed_on"]  # the family answers for today
    if form.is_valid():
        via = services.Via(actor=who, surface=SURFACE, target=TARGET, basis=access.basis)
        try:
            services.wheel_assessment_record(
                child=access.child,
                owner=services.family_owner_for(access.child),
                rater_kind=Assessment.Rater.CHILD if is_self else Assessment.Rater.GUARDIAN,
                rated_by=request.user,
                assessed_on=policy.today(),
                ratings=form.ratings(),
                note=form.cleaned_data["note"],
                via=via,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, SELF_SAVED if is_self else SAVED)
            return redirect("family:child", child_id=access.child.pk)
    own = (
        access.child.assessments.filter(rated_by=request.user, kind=Assessment.Kind.WHEEL)
        .prefetch_related("ratings")
        .order_by("-assessed_on", "-pk")[:10]
    )
    template = "wellbeing/wheel_child.html" if is_self else "wellbeing/family_wheel.html"
    context = {"child": access.child, "form": form, "is_self": is_self, "family": True, "own": list(own)}
    return render(request, template, context, status=400 if form.errors else 200)

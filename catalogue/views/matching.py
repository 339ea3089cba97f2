"""Suggested interventions for one child, from what the user may already see of the child."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from catalogue import matching
from core.access import child_data
from sharing import policy

SURFACE = "page"
TARGET = "catalogue:suggestions"


@child_data
@require_safe
def suggestions(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Rank interventions by the child's latest wheel, the open plan's needs and the age, each with its reasons."""
    who = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=who, surface=SURFACE, target=TARGET)
    basis = matching.basis_for(access)
    policy.log_shared_reads(basis.rows, actor=who, surface=SURFACE, target=TARGET, access=access)
    context = {
        "child": access.child,
        "basis": basis,
        "low": sorted(
            (matching.label(code), score) for code, score in basis.scores.items() if score <= matching.SELECTIVE_AT
        ),
        "plan_needs": [matching.label(code) for code in basis.plan_needs],
        "suggestions": matching.suggestions(request.user, basis),
    }
    return render(request, "catalogue/suggestions.html", context)

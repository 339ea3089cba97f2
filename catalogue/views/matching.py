"""Suggested interventions for one child, from what the user may already see of the child."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from catalogue import matching, selectors
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


# How many suggestions the forms offer while the user writes.
OFFERED_IN_FORM = 5
FILLS = {"action": "id_description", "referral": "id_intervention"}


@child_data
@require_safe
def suggestions_offered(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """The top suggestions as a part of the plan's action form or the referral form; a click fills the form in.

    Read exactly as the suggestions page: the child through the policy, the reads logged on the child.
    """
    target = "catalogue:suggestions_offered"
    who = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=who, surface=SURFACE, target=target)
    fills = request.GET.get("for", "action")
    if fills not in FILLS:
        fills = "action"
    basis = matching.basis_for(access)
    policy.log_shared_reads(basis.rows, actor=who, surface=SURFACE, target=target, access=access)
    within = selectors.interventions_for(request.user).filter(provider__municipality=access.child.municipality_id)
    offered = matching.suggestions(request.user, basis, limit=OFFERED_IN_FORM, within=within)
    context = {"child": access.child, "suggestions": offered, "fills": fills, "field": FILLS[fills]}
    return render(request, "catalogue/_suggestions_offered.html", context)

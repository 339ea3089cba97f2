"""Referrals: the child's referrals (made and followed up by the referring side) and the provider's queue.

The child's page loads the child with `policy.child_for_user` and its referrals with
`policy.records_for_user`; the queue reads only `policy.referrals_for_provider`, with every row read
logged, and names a protected child by the marker only.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalogue import referrals, selectors
from catalogue.forms import ReferralForm, ReferralStatusForm
from core.access import child_data
from plans import selectors as plan_selectors
from sharing import policy
from sharing.display import listed_name
from wellbeing.services import Via

SURFACE = "page"
MADE = _("Remissen är skickad.")
MADE_IN_PLAN = _("Remissen är skickad och finns som en åtgärd i barnets plan.")
MOVED = _("Remissens status är ändrad.")


def _plan_and_form(request: HttpRequest, access: policy.ChildAccess, *, data=None):
    plan = referrals.open_plan_to_edit(access, plan_selectors.plans_for(access))
    interventions = selectors.interventions_for(request.user).filter(
        provider__municipality=access.child.municipality_id
    )
    return plan, ReferralForm(data, interventions=interventions, plan_offered=plan is not None)


def _rows(access: policy.ChildAccess, rows) -> list[dict]:
    on = access.on
    return [
        {
            "referral": row,
            "waiting_days": row.waiting_days(on),
            "form": ReferralStatusForm(moves=referrals.REFERRER_MOVES, auto_id=f"id_%s_{row.pk}")
            if referrals.may_change(access, row)
            else None,
        }
        for row in rows
    ]


@child_data
@require_http_methods(["GET", "POST"])
def child_referrals(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """List the child's referrals the user may read and make a new one (as a plan action when the plan allows)."""
    target = "catalogue:referrals"
    who = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=who, surface=SURFACE, target=target)
    via = Via(actor=who, surface=SURFACE, target=target, basis=access.basis)
    plan, form = _plan_and_form(request, access, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        in_plan = form.cleaned_data.get("in_plan", False)
        try:
            referrals.referral_make(
                access=access,
                user=request.user,
                intervention=form.cleaned_data["intervention"],
                reason=form.cleaned_data["reason"],
                plan=plan if in_plan else None,
                via=via,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, MADE_IN_PLAN if in_plan else MADE)
            return redirect("catalogue:referrals", child_id=access.child.pk)
    rows = list(referrals.referrals_for(access))
    policy.log_shared_reads(rows, actor=who, surface=SURFACE, target=target, access=access)
    context = {"child": access.child, "plan": plan, "form": form, "rows": _rows(access, rows)}
    return render(request, "catalogue/referrals.html", context, status=400 if form.errors else 200)


@child_data
@require_POST
def child_referral_status(request: HttpRequest, child_id: UUID, referral_id: int) -> HttpResponse:
    """Record for the referring authority that the family declined the referral, or that it is withdrawn."""
    target = "catalogue:referral_status"
    who = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=who, surface=SURFACE, target=target)
    referral = referrals.referrals_for(access).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    policy.log_shared_reads([referral], actor=who, surface=SURFACE, target=target, access=access)
    form = ReferralStatusForm(request.POST, moves=referrals.REFERRER_MOVES)
    if not referrals.may_change(access, referral):
        raise PermissionDenied
    if form.is_valid():
        try:
            referrals.referral_record_for_child(
                access=access,
                referral=referral,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["status_note"],
                via=Via(actor=who, surface=SURFACE, target=target, basis=access.basis),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, MOVED)
    else:
        messages.error(request, _("Välj en status."))
    return redirect("catalogue:referrals", child_id=access.child.pk)


@child_data
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The provider's queue: the referrals to the interventions of the user's units, with what each carries."""
    target = "catalogue:queue"
    who = policy.page_actor(request)
    rows = list(policy.referrals_for_provider(request.user))
    policy.log_provider_reads(rows, actor=who, surface=SURFACE, target=target)
    today = policy.today()
    listed = [
        {
            "referral": row,
            "name": listed_name(row.child),
            "waiting_days": row.waiting_days(today),
            "form": ReferralStatusForm(moves=moves, auto_id=f"id_%s_{row.pk}")
            if (moves := referrals.PROVIDER_MOVES.get(row.status))
            else None,
        }
        for row in rows
    ]
    return render(request, "catalogue/queue.html", {"rows": listed})


@child_data
@require_POST
def queue_status(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Move a referral of the user's queue on: accepted, waiting, started, completed or declined by the provider."""
    target = "catalogue:queue_status"
    who = policy.page_actor(request)
    referral = policy.referral_for_provider(request.user, referral_id, actor=who, surface=SURFACE, target=target)
    form = ReferralStatusForm(request.POST, moves=referrals.PROVIDER_MOVES.get(referral.status, ()))
    if form.is_valid():
        try:
            referrals.referral_move_by_provider(
                referral=referral,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["status_note"],
                actor=who,
                target=target,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, MOVED)
    else:
        messages.error(request, _("Remissen kan inte ändras så från sin nuvarande status."))
    return redirect("catalogue:queue")

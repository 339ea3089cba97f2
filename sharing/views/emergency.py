"""Emergency access (nödåtkomst): start with re-authentication, end early, and the owning authority's review."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.reauth import mark_reauthenticated, reauthenticated_at
from audit import log as audit
from core.access import child_data
from sharing import legal, policy, selectors
from sharing.forms.emergency import EmergencyReviewForm, EmergencyStartForm
from sharing.models import EmergencyAccess
from sharing.services import emergency as services

PER_PAGE = 25
SURFACE = "page"
QUEUE_TARGET = "sharing:emergency_review_queue"
MINE_TARGET = "sharing:my_emergency_accesses"
# The basis of a manager's reads while reviewing: the review duty, not a relation to the child.
REVIEW_BASIS = policy.Basis.EMERGENCY_REVIEW


def _log_read(actor: audit.Actor, emergency: EmergencyAccess, *, target: str, basis: str) -> None:
    audit.record(
        actor=actor,
        action="read",
        surface=SURFACE,
        target=target,
        basis=basis,
        child_id=emergency.child_id,
        record_type="EmergencyAccess",
        record_id=str(emergency.pk),
    )


def _apply(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@child_data
@require_http_methods(["GET", "POST"])
def emergency_start(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Start emergency access to another health-care authority's health records about a child the user already knows.

    Anyone outside health care with a relation to the child gets a page that explains why nödåtkomst is not
    theirs and leads to the report of concern; without a relation, the same 404 as for a child that does not exist.
    """
    actor = policy.page_actor(request)
    if not policy.emergency.may_start(request.user):
        # Not a health-care role: after the usual relation check (404 without one), lead to the report instead.
        access = policy.child_for_user(
            request.user, child_id, actor=actor, surface=SURFACE, target=services.START_TARGET
        )
        return _not_health_care(request, access.child.pk)
    data = request.POST if request.method == "POST" else None
    form = EmergencyStartForm(
        request.user, data, authorities=selectors.emergency_authority_choices(request.user), request=request
    )
    if form.is_valid():
        mark_reauthenticated(request)
        try:
            emergency = services.emergency_access_start(
                user=request.user,
                child=child_id,
                owner_authority=form.cleaned_data["owner_authority"],
                reason=form.cleaned_data["reason"],
                reauthenticated_at=reauthenticated_at(request),
                actor=actor,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.warning(
                request,
                _("Nödåtkomsten gäller till %(end)s. Allt du läser loggas och granskas.")
                % {"end": timezone.localtime(emergency.ends_at).strftime("%Y-%m-%d %H:%M")},
            )
            return redirect("people:child", child_id=emergency.child_id)
    # Loaded (and logged) here only to show the form: a valid start loads the child through the service.
    access = policy.child_for_user(request.user, child_id, actor=actor, surface=SURFACE, target=services.START_TARGET)
    context = {
        "child": access.child,
        "form": form,
        "hours": services.emergency_hours(access.child),
        "legal_basis": legal.reference_in_force(policy.emergency.emergency_rules().legal_reference),
    }
    return render(request, "sharing/emergency_start.html", context, status=400 if form.errors else 200)


def _not_health_care(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Explain that nödåtkomst is a health-care rule; lead to the report of concern (and, for deciders, disclosure)."""
    context = {
        "child_id": child_id,
        "decides": policy.deciding_authorities(request.user).exists(),
        "legal_basis": legal.reference_in_force(policy.emergency.emergency_rules().legal_reference),
        "duty_to_report": legal.reference_in_force(legal.DUTY_TO_REPORT),
    }
    # A visit is answered with guidance; a post is refused and changes nothing.
    return render(
        request, "sharing/emergency_not_health_care.html", context, status=403 if request.method == "POST" else 200
    )


@child_data
@require_http_methods(["GET", "POST"])
def emergency_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then end the user's own emergency access before its time is up."""
    emergency = selectors.own_emergency_access(request.user, pk)
    actor = policy.page_actor(request)
    if request.method == "POST":
        services.emergency_access_end(user=request.user, emergency=emergency, actor=actor)
        messages.success(request, _("Nödåtkomsten är avslutad."))
        return redirect("people:child", child_id=emergency.child_id)
    _log_read(actor, emergency, target=services.END_TARGET, basis=f"{policy.Basis.EMERGENCY}:{emergency.pk}")
    active = emergency.ended_at is None and emergency.ends_at > timezone.now()
    return render(request, "sharing/emergency_end.html", {"emergency": emergency, "active": active})


@child_data
@require_safe
def my_emergency_accesses(request: HttpRequest) -> HttpResponse:
    """List the user's own emergency accesses with their review, running ones first, each read logged."""
    page = Paginator(selectors.own_emergency_accesses(request.user), PER_PAGE).get_page(request.GET.get("sida"))
    actor = policy.page_actor(request)
    for emergency in page:
        _log_read(actor, emergency, target=MINE_TARGET, basis=f"{policy.Basis.EMERGENCY}:{emergency.pk}")
    return render(request, "sharing/my_emergency_accesses.html", {"page": page})


@child_data
@require_safe
def emergency_review_queue(request: HttpRequest) -> HttpResponse:
    """List emergency accesses to the authorities the user manages, those awaiting review first."""
    page = Paginator(selectors.emergency_review_queue(request.user), PER_PAGE).get_page(request.GET.get("sida"))
    actor = policy.page_actor(request)
    for emergency in page:
        _log_read(actor, emergency, target=QUEUE_TARGET, basis=REVIEW_BASIS)
    manages = policy.deciding_authorities(request.user).exists()
    return render(request, "sharing/emergency_review_queue.html", {"page": page, "manages": manages})


@child_data
@require_http_methods(["GET", "POST"])
def emergency_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Judge one emergency access to the user's authority as justified or not, with a motivation."""
    emergency = selectors.emergency_for_reviewer(request.user, pk)
    actor = policy.page_actor(request)
    own = emergency.user_id == request.user.pk
    form = EmergencyReviewForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.emergency_access_review(
                reviewer=request.user,
                emergency=emergency,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=actor,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Granskningen är sparad."))
            return redirect("sharing:emergency_review_queue")
    _log_read(actor, emergency, target=services.REVIEW_TARGET, basis=REVIEW_BASIS)
    context = {"emergency": emergency, "form": form, "own": own}
    return render(request, "sharing/emergency_review.html", context, status=400 if form.errors else 200)

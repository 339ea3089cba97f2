"""The start page of programmes, a programme's page, its budget and follow-up tables, and their exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from core.access import authenticated
from programmes import exports, selectors, services
from programmes.forms import BudgetEntryForm, CallForm
from programmes.models import Application, Registration
from programmes.views.common import apply_errors, forbidden, programme_for, via
from sharing import policy

RUNNERS_ONLY = _("Bara chefer och administratörer i kommunen arbetar med programmets budget, beslut och uppföljning.")


@authenticated
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show what the user can do: open calls, own applications, calls to assess, lectures, programmes."""
    if not policy.memberships(request.user).exists():
        raise Http404  # family users and staff without a current employment take no part
    now = timezone.now()
    programmes = selectors.programmes_for(request.user)
    context = {
        "programmes": programmes,
        "may_create": selectors.runnable_municipalities(request.user).exists(),
        "calls": selectors.open_calls(now).filter(programme__in=programmes),
        "applications": Application.objects.filter(created_by=request.user).select_related("call", "follow_up"),
        "assessing": request.user.assessed_calls.filter(programme__in=programmes),
        "registrations": Registration.objects.filter(user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session__event")
        .order_by("session__starts_at"),
    }
    return render(request, "programmes/home.html", context)


@authenticated
@require_safe
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Show a programme: owner, period, steering group, sub-projects, calls, lectures and budget."""
    programme = programme_for(request, programme_id)
    context = {
        "programme": programme,
        "calls": programme.calls.all(),
        "events": selectors.events_of(programme),
        "budget": selectors.budget_rows(programme),
        "used_by_part": selectors.used_by_sub_project(programme),
        "may_run": selectors.may_run(request.user, programme),
    }
    return render(request, "programmes/programme_detail.html", context)


@authenticated
@require_safe
def follow_ups(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Show the follow-up table of the programme's awards (as in the Nacka follow-up)."""
    programme = programme_for(request, programme_id)
    if not selectors.may_run(request.user, programme):
        return forbidden(request, RUNNERS_ONLY)
    rows = selectors.follow_up_table(programme)
    return render(request, "programmes/follow_ups.html", {"programme": programme, "rows": rows})


def _export(request: HttpRequest, programme, dataset, name: str, fmt: str) -> HttpResponse:
    with transaction.atomic():
        audit.record(
            actor=policy.page_actor(request),
            action="export",
            surface="export",
            target=f"programmes:{name}",
            basis=services.BASIS,
            record_type="Programme",
            record_id=str(programme.pk),
        )
    return exports.respond(dataset, name=f"{name}-{programme.pk}", fmt=fmt)


@authenticated
@require_safe
def follow_ups_export(request: HttpRequest, programme_id: int, fmt: str) -> HttpResponse:
    programme = programme_for(request, programme_id)
    if not selectors.may_run(request.user, programme):
        return forbidden(request, RUNNERS_ONLY)
    dataset = exports.follow_up_dataset(selectors.follow_up_table(programme))
    return _export(request, programme, dataset, "uppfoljning", fmt)


@authenticated
@require_safe
def budget_export(request: HttpRequest, programme_id: int, fmt: str) -> HttpResponse:
    programme = programme_for(request, programme_id)
    if not selectors.may_run(request.user, programme):
        return forbidden(request, RUNNERS_ONLY)
    return _export(request, programme, exports.budget_dataset(selectors.budget_rows(programme)), "budget", fmt)


@authenticated
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Open a new grant call in the programme (managers and administrators)."""
    programme = programme_for(request, programme_id)
    if not selectors.may_run(request.user, programme):
        return forbidden(request, RUNNERS_ONLY)
    form = CallForm(request.POST or None, programme=programme)
    if form.is_valid():
        data = dict(form.cleaned_data)
        criteria = data.pop("criteria")
        try:
            call = services.call_create(
                programme=programme, criteria=criteria, via=via(request, "programmes:call_new"), **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Utlysningen är skapad. Lägg till bedömare på sidan för rangordning."))
            return redirect("programmes:call", call_id=call.pk)
    context = {"programme": programme, "form": form}
    return render(request, "programmes/call_form.html", context, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def budget_book(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Book committed or used money on one of the programme's budget lines; over-commitment is refused."""
    programme = programme_for(request, programme_id)
    if not selectors.may_run(request.user, programme):
        return forbidden(request, RUNNERS_ONLY)
    form = BudgetEntryForm(request.POST or None, programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_book(
                line=data["line"],
                kind=data["kind"],
                amount=data["amount"],
                description=data["description"],
                sub_project=data["sub_project"],
                event=data["event"],
                via=via(request, "programmes:budget_book"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Beloppet är bokfört."))
            return redirect("programmes:programme", programme_id=programme.pk)
    context = {"programme": programme, "form": form}
    return render(request, "programmes/budget_form.html", context, status=400 if form.errors else 200)

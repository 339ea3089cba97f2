"""The one way in: a practitioner's request for support about a child, and the intake unit's page.

The child's page loads the child with `policy.child_for_user` and its requests with
`policy.records_for_user`; the intake page reads only `policy.requests_for_intake`, every row read
logged, a protected child named by the marker only.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalogue import intake, present, selectors
from catalogue.forms import FirstSupportForm, RequestForm, RouteForm, TriageForm
from catalogue.models import Colour
from core.access import child_data
from plans import services as plan_services
from sharing import policy
from sharing.display import listed_name
from teams.models import Team
from wellbeing.services import Via

SURFACE = "page"
SENT = _("Begäran är skickad till mottagningen.")
SAVED = _("Ändringen är sparad.")


@child_data
@require_http_methods(["GET", "POST"])
def child_requests(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Ask the intake function for support for a child the user may see; list the requests about it."""
    target = "catalogue:requests"
    who = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=who, surface=SURFACE, target=target)
    form = RequestForm(
        request.POST if request.method == "POST" else None, units=intake.intake_units(access.child.municipality_id)
    )
    if request.method == "POST" and form.is_valid():
        try:
            intake.request_make(
                child=access.child,
                intake_unit=form.cleaned_data["intake_unit"],
                source=intake.SupportRequest.Source.PRACTITIONER,
                user=request.user,
                concern=form.cleaned_data["concern"],
                owner_authority=plan_services.user_authority(request.user),
                via=Via(actor=who, surface=SURFACE, target=target, basis=access.basis),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, SENT)
            return redirect("catalogue:requests", child_id=access.child.pk)
    rows = list(intake.requests_about(access))
    policy.log_shared_reads(rows, actor=who, surface=SURFACE, target=target, access=access)
    context = {"child": access.child, "form": form, "rows": rows}
    return render(request, "catalogue/requests.html", context, status=400 if form.errors else 200)


def _colours(municipality) -> list[tuple[str, str]]:
    words = present.colours(selectors.settings_for(municipality))
    return [(colour, words[colour]) for colour in Colour.values]


def _row(request: HttpRequest, row) -> dict:
    municipality = row.child.municipality
    return {
        "request": row,
        "name": listed_name(row.child),
        "colour": dict(_colours(municipality)).get(row.colour, ""),
        "triage": TriageForm(colours=_colours(municipality), auto_id=f"id_%s_{row.pk}")
        if row.status in ("received", "triaged")
        else None,
        "route": _route_form(request, row, auto_id=f"id_%s_{row.pk}") if row.status == "triaged" else None,
        "support": FirstSupportForm(auto_id=f"id_%s_{row.pk}")
        if row.status == "routed" and not row.referral_id
        else None,
    }


def _route_form(request: HttpRequest, row, data=None, *, auto_id: str = "id_%s") -> RouteForm:
    municipality = row.child.municipality_id
    return RouteForm(
        data,
        interventions=selectors.interventions_for(request.user).filter(provider__municipality=municipality),
        teams=Team.objects.filter(municipality=municipality, active=True).order_by("name"),
        auto_id=auto_id,
    )


@child_data
@require_safe
def intake_page(request: HttpRequest) -> HttpResponse:
    """The intake unit's requests: triage each to a colour with a reason, route it, and the median time to support."""
    target = "catalogue:intake"
    if not policy.intake_unit_ids(request.user):
        raise Http404  # only staff holding the intake role have this page
    who = policy.page_actor(request)
    rows = list(policy.requests_for_intake(request.user).select_related("child__municipality"))
    policy.log_intake_reads(rows, actor=who, surface=SURFACE, target=target)
    context = {"rows": [_row(request, row) for row in rows], "periods": intake.medians_by_month(rows)}
    return render(request, "catalogue/intake.html", context)


def _intake_via(request: HttpRequest, target: str) -> intake.IntakeVia:
    return intake.IntakeVia(user=request.user, actor=policy.page_actor(request), surface=SURFACE, target=target)


def _apply(request: HttpRequest, form, write, said=None) -> HttpResponse:
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("catalogue:intake")
    try:
        written = write(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, said(written) if said else SAVED)
    return redirect("catalogue:intake")


@child_data
@require_POST
def intake_triage(request: HttpRequest, request_id: int) -> HttpResponse:
    """Triage one request to a colour, with the reason."""
    target = "catalogue:intake_triage"
    via = _intake_via(request, target)
    row = policy.request_for_intake(request.user, request_id, actor=via.actor, surface=SURFACE, target=target)
    form = TriageForm(request.POST, colours=_colours(row.child.municipality))
    return _apply(
        request,
        form,
        lambda data: intake.request_triage(request=row, colour=data["colour"], reason=data["triage_reason"], via=via),
    )


@child_data
@require_POST
def intake_route(request: HttpRequest, request_id: int) -> HttpResponse:
    """Route one triaged request to a provider (a referral), a team or the child's plan."""
    target = "catalogue:intake_route"
    via = _intake_via(request, target)
    row = policy.request_for_intake(request.user, request_id, actor=via.actor, surface=SURFACE, target=target)
    form = _route_form(request, row, request.POST)
    return _apply(
        request,
        form,
        lambda data: intake.request_route(
            request=row, route=data["route"], intervention=data["intervention"], team=data["team"], via=via
        ),
        said=intake.where_it_went,
    )


@child_data
@require_POST
def intake_support(request: HttpRequest, request_id: int) -> HttpResponse:
    """Record the day the first support started for a request routed to a team or the plan."""
    target = "catalogue:intake_support"
    via = _intake_via(request, target)
    row = policy.request_for_intake(request.user, request_id, actor=via.actor, surface=SURFACE, target=target)
    return _apply(
        request,
        FirstSupportForm(request.POST),
        lambda data: intake.request_first_support(request=row, on=data["first_support_on"], via=via),
    )

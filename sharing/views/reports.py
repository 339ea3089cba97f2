"""Reports of concern: the guided form, the reporter's receipts, social services' intake and feedback."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from core.access import child_data
from sharing import legal, policy
from sharing.display import display_for
from sharing.forms.reports import YES, FeedbackForm, ReportForm
from sharing.models import ReportOfConcern
from sharing.services import reports as services

PER_PAGE = 25
SURFACE = "page"
NEW_TARGET = "sharing:report_new"
MINE_TARGET = "sharing:my_reports"
INTAKE_TARGET = "sharing:report_intake"
DETAIL_TARGET = "sharing:report_detail"


def _log_reports(actor: audit.Actor, reports, *, target: str, basis: str) -> None:
    """Write one read row per report shown, so each child's log extract names the page."""
    for report in reports:
        audit.record(
            actor=actor,
            action="read",
            surface=SURFACE,
            target=target,
            basis=basis,
            child_id=report.child_id,
            record_type="ReportOfConcern",
            record_id=str(report.pk),
        )


@child_data
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Guide a staff member with a relation to the child through a report of concern to social services."""
    actor = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=actor, surface=SURFACE, target=NEW_TARGET)
    units = services.receiving_units(access.child).order_by("name")
    unit_list = list(units)
    if not unit_list:
        return render(request, "sharing/report_no_unit.html", {"child": access.child}, status=200)
    form = ReportForm(request.POST if request.method == "POST" else None, units=units)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_of_concern_file(
                access=access,
                reporter=request.user,
                to_unit=data["to_unit"],
                what_happened=data["what_happened"],
                child_words=data["child_words"],
                immediate_danger=data["immediate_danger"],
                guardians_informed=data["guardians_informed"] == YES,
                not_informed_reason=data["not_informed_reason"],
                actor=actor,
                surface=SURFACE,
                target=NEW_TARGET,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(
                request,
                _("Din orosanmälan är skickad till %(unit)s. Kvittonummer: %(number)s.")
                % {"unit": report.to_unit.name, "number": report.pk},
            )
            return redirect("sharing:my_reports")
    context = {
        "child": access.child,
        "form": form,
        "single_unit": unit_list[0] if len(unit_list) == 1 else None,
        "duty_to_report": legal.reference_in_force(legal.DUTY_TO_REPORT),
    }
    return render(request, "sharing/report_form.html", context, status=400 if form.errors else 200)


@child_data
@require_safe
def my_reports(request: HttpRequest) -> HttpResponse:
    """List the receipts of the user's own reports of concern, with the feedback from social services."""
    reports = policy.reports_filed_by(request.user).select_related("child", "to_unit").order_by("-created_at", "-pk")
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("sida"))
    _log_reports(policy.page_actor(request), page, target=MINE_TARGET, basis=policy.Basis.RECEIPT)
    return render(request, "sharing/report_receipts.html", {"page": page})


@child_data
@require_safe
def report_intake(request: HttpRequest) -> HttpResponse:
    """List the reports received at the user's social services units: awaiting feedback first, newest first."""
    if not policy.report_receiving_units(request.user).exists():
        raise Http404
    pending_first = Case(
        When(feedback=ReportOfConcern.Feedback.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    reports = (
        policy.reports_received_by(request.user)
        .select_related("child", "to_unit", "reporter_authority")
        .order_by(pending_first, "-created_at", "-pk")
    )
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("sida"))
    _log_reports(policy.page_actor(request), page, target=INTAKE_TARGET, basis=policy.Basis.REPORT)
    return render(request, "sharing/report_intake.html", {"page": page})


@child_data
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """Show a received report to social services at the receiving unit, and record the feedback to the reporter."""
    # Only reports sent to the user's own social services units; any other is the same 404 as a missing one.
    report = get_object_or_404(policy.reports_received_by(request.user), pk=report_id)
    actor = policy.page_actor(request)
    access = policy.child_for_user(request.user, report.child_id, actor=actor, surface=SURFACE, target=DETAIL_TARGET)
    # Read through the policy as well: the report is shown only as a record the user's authority may see.
    rows = policy.records_for_user(access, ReportOfConcern.objects.filter(pk=report.pk))
    report = get_object_or_404(rows.select_related("to_unit", "reporter", "reporter_authority", "feedback_by"))
    form = FeedbackForm(request.POST if request.method == "POST" else None, initial={"feedback": report.feedback})
    if form.is_valid():
        try:
            services.report_feedback_give(
                report=report,
                user=request.user,
                feedback=form.cleaned_data["feedback"],
                actor=actor,
                surface=SURFACE,
                target=DETAIL_TARGET,
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        messages.success(request, _("Återkopplingen är sparad. Anmälaren ser den på sitt kvitto."))
        return redirect("sharing:report_detail", report_id=report.pk)
    context = {"report": report, "child": access.child, "access": access, "display": display_for(access), "form": form}
    return render(request, "sharing/report_detail.html", context, status=400 if form.errors else 200)

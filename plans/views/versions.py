"""Agreed versions of the plan, the readable difference between two of them, and the plan as a PDF."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit import log as audit
from core.access import child_data
from plans import pdf, selectors
from plans.models import PlanVersion
from plans.snapshot import diff, plan_snapshot
from plans.views.common import open_plan


@child_data
@require_safe
def versions(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """List the versions, agreed or sent to the guardians, with a form to compare two of them."""
    opened = open_plan(request, child_id, plan_id, "plans:versions")
    rows = list(opened.plan.versions.defer("snapshot").select_related("agreed_by").order_by("-number"))
    awaiting = selectors.awaiting_version(opened.plan, rows)
    context = {
        "child": opened.child,
        "display": opened.display,
        "plan": opened.plan,
        "rows": rows,
        "awaiting": awaiting,
    }
    return render(request, "plans/versions.html", context)


@child_data
@require_safe
def version(request: HttpRequest, child_id: UUID, plan_id: int, number: int) -> HttpResponse:
    """Show one agreed version as it was agreed, with who agreed."""
    opened = open_plan(request, child_id, plan_id, "plans:version")
    row = get_object_or_404(opened.plan.versions.select_related("agreed_by"), number=number)
    context = {
        "child": opened.child,
        "display": opened.display,
        "plan": opened.plan,
        "version": row,
        "snapshot": row.snapshot,
    }
    context["agreements"] = row.agreements.all()
    context["waiting"] = selectors.awaiting_version(opened.plan) == row
    return render(request, "plans/version.html", context)


def _number(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError as exc:
        raise Http404 from exc


@child_data
@require_safe
def compare(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Show field by field what changed between two agreed versions (or a version and the plan as it is now)."""
    opened = open_plan(request, child_id, plan_id, "plans:compare")
    before = get_object_or_404(PlanVersion, plan=opened.plan, number=_number(request.GET.get("fran")))
    until = request.GET.get("till", "nu")
    if until == "nu":
        after_snapshot, after_label = plan_snapshot(opened.plan), None
    else:
        after = get_object_or_404(PlanVersion, plan=opened.plan, number=_number(until))
        after_snapshot, after_label = after.snapshot, after.number
    context = {
        "child": opened.child,
        "display": opened.display,
        "plan": opened.plan,
        "before": before.number,
        "after": after_label,
        "diff": diff(before.snapshot, after_snapshot),
    }
    return render(request, "plans/compare.html", context)


@child_data
@require_safe
def plan_pdf(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Return the plan as an accessible (tagged, PDF/UA-1) PDF in Swedish; the print is logged."""
    opened = open_plan(request, child_id, plan_id, "plans:pdf")
    plan = selectors.plan_contents(opened.plan)
    audit.record(
        actor=opened.actor,
        action="print",
        surface="export",
        target="plans:pdf",
        basis=opened.access.basis,
        child_id=opened.child.pk,
        record_type="ChildPlan",
        record_id=str(plan.pk),
    )
    html = render_to_string(
        "plans/pdf.html", {"child": opened.child, "display": opened.display, "plan": plan, "printed": timezone.now()}
    )
    response = HttpResponse(pdf.render(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf")
    # The id, not the child's name, names the file: downloads folders and mail subjects keep file names.
    response["Content-Disposition"] = f'inline; filename="barnets-plan-{plan.pk}.pdf"'
    return response

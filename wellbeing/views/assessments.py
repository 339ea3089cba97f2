"""Wellbeing wheel, My World Triangle and resilience matrix pages for staff."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from core.access import child_data
from sharing import policy
from sharing.display import display_for
from wellbeing import chart, present, selectors, services
from wellbeing.forms import MatrixForm, TriangleForm, WheelForm
from wellbeing.labels import indicator_texts, wording_for
from wellbeing.models import Assessment
from wellbeing.triangle import ENVIRONMENT_AXIS, RESILIENCE_AXIS, SIDES, Side
from wellbeing.views.common import add_errors, log_rows, open_child

SAVED = _("Bedömningen är sparad.")
CHILD_SAVED = _("Tack! Dina svar är sparade.")
HISTORY = 20


@child_data
@require_safe
def wheel(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Show the wheel over time: the latest ratings as a chart, every wheel assessment as a table."""
    access, via = open_child(request, child_id, "wellbeing:wheel")
    wording = wording_for(access.child.municipality_id)
    texts = wording.texts
    rows = list(selectors.assessments_for(access, Assessment.Kind.WHEEL)[:HISTORY])
    log_rows(rows, access, via)
    latest = rows[0] if rows else None
    scores = present.scores(latest) if latest else {}
    context = {
        "child": access.child,
        "wording": wording,
        "texts": texts,
        "latest": latest,
        "latest_rows": present.rating_rows(texts, latest) if latest else [],
        "petals": chart.petals(texts, scores),
        "rings": chart.rings(),
        "history": present.history(texts, rows),
    }
    return render(request, "wellbeing/wheel.html", context)


def _wheel_form(request, access, via, *, for_child: bool) -> HttpResponse:
    texts = indicator_texts(access.child.municipality_id)
    data = request.POST if request.method == "POST" else None
    form = WheelForm(data, texts=texts, for_child=for_child, initial={"assessed_on": policy.today()})
    if form.is_valid():
        try:
            services.wheel_assessment_record(
                child=access.child,
                owner=services.author_for(request.user),
                rater_kind=Assessment.Rater.CHILD if for_child else Assessment.Rater.PRACTITIONER,
                rated_by=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(),
                note=form.cleaned_data["note"],
                via=via,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, CHILD_SAVED if for_child else SAVED)
            return redirect("wellbeing:wheel", child_id=access.child.pk)
    template = "wellbeing/wheel_child.html" if for_child else "wellbeing/wheel_form.html"
    context = {"child": access.child, "form": form, "back": "wellbeing:wheel"}
    return render(request, template, context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def wheel_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Rate the eight indicators as a practitioner."""
    access, via = open_child(request, child_id, "wellbeing:wheel_new")
    return _wheel_form(request, access, via, for_child=False)


@child_data
@require_http_methods(["GET", "POST"])
def wheel_child(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """The child's own page, used with a practitioner beside them; recorded as the child's view."""
    access, via = open_child(request, child_id, "wellbeing:wheel_child")
    return _wheel_form(request, access, via, for_child=True)


@child_data
@require_safe
def assessments(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """List the child's triangle and matrix assessments the user may see."""
    access, via = open_child(request, child_id, "wellbeing:assessments")
    rows = list(selectors.assessments_for(access).exclude(kind=Assessment.Kind.WHEEL)[:50])
    log_rows(rows, access, via)
    rows = [present.assessment_detail(row) for row in rows]
    context = {"child": access.child, "display": display_for(access), "rows": rows}
    return render(request, "wellbeing/assessments.html", context)


@child_data
@require_http_methods(["GET", "POST"])
def triangle_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Record strengths and concerns in the areas of My World Triangle that matter for this concern."""
    access, via = open_child(request, child_id, "wellbeing:triangle_new")
    form = TriangleForm(request.POST if request.method == "POST" else None, initial={"assessed_on": policy.today()})
    if form.is_valid():
        try:
            services.triangle_assessment_record(
                child=access.child,
                owner=services.author_for(request.user),
                rated_by=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                notes=form.notes(),
                note=form.cleaned_data["note"],
                via=via,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, SAVED)
            return redirect("wellbeing:assessments", child_id=access.child.pk)
    sides = [
        (Side(side).label, [(area, *form.area_fields(area.value)) for area in areas]) for side, areas in SIDES.items()
    ]
    context = {"child": access.child, "form": form, "sides": sides}
    return render(request, "wellbeing/triangle_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def matrix_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Place the child on the resilience matrix's two axes, with the evidence for each."""
    access, via = open_child(request, child_id, "wellbeing:matrix_new")
    form = MatrixForm(request.POST if request.method == "POST" else None, initial={"assessed_on": policy.today()})
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.matrix_assessment_record(
                child=access.child,
                owner=services.author_for(request.user),
                rated_by=request.user,
                via=via,
                **{key: data[key] for key in form.fields},
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, SAVED)
            return redirect("wellbeing:assessments", child_id=access.child.pk)
    context = {"child": access.child, "form": form, "axes": (RESILIENCE_AXIS, ENVIRONMENT_AXIS)}
    return render(request, "wellbeing/matrix_form.html", context, status=400 if form.errors else 200)

"""The plan itself: start, read, edit (refused and merged when someone saved first), agree, review, close, decline.

Agreeing happens here in one of two ways: staff record everyone's answers (`plan_agree`), or staff
send the plan to the guardians to answer themselves in the family view (`plan_send`).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import child_page
from core.access import child_data
from core.batch import Batch
from directory.widgets import use_picker
from people import summary
from plans import forms, merge, selectors, services
from plans.models import Status
from plans.views.common import SURFACE, Opened, apply_errors, open_child, open_plan, read_only
from sharing import duty_to_report, policy
from sharing.display import display_for
from wellbeing.labels import wording_for

CONFLICT = _(
    "Någon annan sparade planen medan du ändrade den. Ingenting av det du skrev har sparats ännu. Jämför nedan och "
    "välj för varje fält vilket värde som ska gälla, och spara sedan igen."
)
CHOOSE_ALL = _("Välj för varje fält som skiljer sig vilket värde som ska gälla.")


def _detail(opened):
    return redirect("plans:plan", child_id=opened.child.pk, plan_id=opened.plan.pk)


@child_data
@require_http_methods(["GET", "POST"])
def plan_start(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Start a child's plan (single- or multi-agency); the family's agreement comes when it is agreed."""
    _actor, access, via = open_child(request, child_id, "plans:start")
    if (refusal := duty_to_report.report_first(request, access)) is not None:
        return refusal  # a suspicion of harm is reported to social services before any plan
    units = services.user_units(request.user)
    named = services.current_named_person(access.child)
    # The lead may come from any authority the user could start the plan for, or the named person's;
    # the form then checks the choice against the unit actually chosen.
    authorities = {unit.authority_id for unit in units}
    if authorities and named is not None:
        authorities.add(named.unit.authority_id)
    leads = services.lead_candidates(authorities)
    form = forms.StartForm(request.POST if request.method == "POST" else None, units=units, leads=leads, named=named)
    use_picker(form, "lead_professional", user=request.user, authorities=authorities, display=display_for(access))
    authority = form.units[0].authority if len(form.units) == 1 else None
    current = selectors.plans_for(access).exclude(status__in=[Status.CLOSED, Status.DECLINED]).first()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_start(
                child=access.child,
                user=request.user,
                kind=data["kind"],
                reasons=data["reasons"],
                lead_professional=data["lead_professional"],
                unit=data["unit"],
                via=via,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Planen är startad som utkast. Lägg till deltagare, behov och åtgärder."))
            return redirect("plans:plan", child_id=access.child.pk, plan_id=plan.pk)
    context = {"child": access.child, "form": form, "current": current, "authority": authority}
    return render(request, "plans/start.html", context, status=400 if form.errors else 200)


@child_data
@require_safe
def plan_detail(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Show the whole plan in a fixed number of statements, however many participants, actions and versions.

    After the policy's check of the child, the plan the user may see and everything the page shows of it
    (`selectors.plan_reads`), with the child's municipality, the wellbeing wording and the menu's check,
    are read in one statement (`core.batch`).
    """
    actor, access, via = open_child(request, child_id, "plans:plan", related=(), openings=True)
    batch = Batch()
    page_read = child_page.page_reads(request, access, batch)
    plan_read = selectors.plan_reads(access, plan_id, batch, actor=actor, surface=SURFACE, target="plans:plan")
    batch.run()
    page_read()
    plan = plan_read()
    opened = Opened(actor=actor, access=access, plan=plan, via=via, may_edit=policy.may_edit_plan(access, plan))
    versions = list(plan.versions.all())
    shown = opened.display
    named = plan.named_person.person if plan.named_person_id else None
    context = {
        "child": opened.child,
        "display": shown,
        # The header: the plan's own state, its named person (as when the plan started) masked by the display.
        "summary": summary.summary_for(
            opened.access,
            shown,
            plan=plan,
            named_person=(named is not None, shown.staff(named.pk, named.get_full_name()) if named else None),
        ),
        "plan": plan,
        "may_edit": opened.may_edit,
        "participants": plan.participants.all(),
        "needs": plan.needs.all(),
        "actions": plan.actions.all(),
        "links": plan.links.all(),
        "versions": versions,
        "agreed_versions": [row for row in versions if row.agreed_at is not None],
        "awaiting": selectors.awaiting_version(plan, versions),
        "renew_at_majority": selectors.needs_renewal_at_majority(plan, versions, child=opened.child, on=policy.today()),
        "reviews": plan.reviews.all(),
        "open_review": next((row for row in plan.reviews.all() if row.completed_at is None), None),
    }
    return render(request, "plans/plan.html", context)


def _plan_initial(plan) -> dict:
    initial = {name: getattr(plan, name) for name in forms.PLAN_FIELDS if name != "lead_professional"}
    return {**initial, "lead_professional": plan.lead_professional_id, "version": plan.version}


@child_data
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Change the plan's own fields; if someone saved first, refuse, show both versions and let the user merge."""
    opened = open_plan(request, child_id, plan_id, "plans:edit")
    if not opened.may_edit:
        return read_only(request, opened)
    plan = opened.plan
    taking_part = services.taking_part(plan)
    leads = services.lead_candidates(taking_part)
    spec = merge.plan_spec(leads)
    data = request.POST if request.method == "POST" else None
    if data is not None and "merge" in data:
        data, unresolved = merge.resolve(data, spec)
        if unresolved:
            return _merge_page(request, opened, merge.Conflict.from_post(request.POST, spec), CHOOSE_ALL)
    form = forms.PlanForm(data, initial=_plan_initial(plan), leads=leads)
    use_picker(form, "lead_professional", user=request.user, authorities=taking_part, display=opened.display)
    if data is not None and form.is_valid():
        values = {name: form.cleaned_data[name] for name in forms.PLAN_FIELDS}
        try:
            services.plan_update(
                plan=plan, version=form.cleaned_data["version"], values=values, user=request.user, via=opened.via
            )
        except services.PlanConflict as conflict:
            return _merge_page(request, opened, merge.Conflict.build(form, conflict.current, spec), CONFLICT)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna i planen är sparade."))
            return redirect("plans:plan", child_id=opened.child.pk, plan_id=plan.pk)
    context = {"child": opened.child, "display": opened.display, "plan": plan, "form": form}
    return render(request, "plans/edit.html", context, status=400 if form.errors else 200)


def _merge_page(request, opened, conflict, message) -> HttpResponse:
    context = {
        "child": opened.child,
        "display": opened.display,
        "plan": opened.plan,
        "conflict": conflict,
        "message": message,
        "heading": _("Planen har ändrats av någon annan"),
        "action_url": reverse("plans:edit", kwargs={"child_id": opened.child.pk, "plan_id": opened.plan.pk}),
    }
    return render(request, "plans/merge.html", context, status=409)


@child_data
@require_http_methods(["GET", "POST"])
def plan_agree(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Record each participant's and guardian's agreement and keep the plan as agreed in a new version."""
    opened = open_plan(request, child_id, plan_id, "plans:agree")
    if not opened.may_edit:
        return read_only(request, opened)
    participants = opened.plan.participants.all()
    form = forms.AgreementForm(
        request.POST if request.method == "POST" else None, participants=participants, display=opened.display
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_agree(plan=opened.plan, user=request.user, answers=form.answers(), via=opened.via)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Planen är godkänd och sparad som version %(n)d.") % {"n": version.number})
            return _detail(opened)
    awaiting = selectors.awaiting_version(opened.plan)
    context = {
        "child": opened.child,
        "display": opened.display,
        "plan": opened.plan,
        "form": form,
        "awaiting": awaiting,
        "answers": awaiting.agreements.all() if awaiting else [],
    }
    return render(request, "plans/agree.html", context, status=400 if form.errors else 200)


@child_data
@require_POST
def plan_send(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Send the plan as it is now to the guardians, each to answer for themselves in the family view."""
    opened = open_plan(request, child_id, plan_id, "plans:send")
    if not opened.may_edit:
        return read_only(request, opened)
    try:
        version = services.plan_send_to_family(plan=opened.plan, user=request.user, via=opened.via)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:agree", child_id=opened.child.pk, plan_id=opened.plan.pk)
    messages.success(
        request,
        _(
            "Planen är skickad till vårdnadshavarna som version %(n)d. Var och en svarar själv i Samplan; när alla "
            "har instämt är planen godkänd."
        )
        % {"n": version.number},
    )
    return _detail(opened)


@child_data
@require_POST
def plan_activate(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Start carrying out an agreed plan."""
    opened = open_plan(request, child_id, plan_id, "plans:activate")
    if not opened.may_edit:
        return read_only(request, opened)
    try:
        services.plan_activate(plan=opened.plan, via=opened.via)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Planen pågår nu."))
    return _detail(opened)


@child_data
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Start a review, then answer the five evaluation questions and re-rate the wellbeing wheel."""
    opened = open_plan(request, child_id, plan_id, "plans:review")
    if not opened.may_edit:
        return read_only(request, opened)
    plan = opened.plan
    review = plan.reviews.filter(completed_at__isnull=True).first()
    if request.method == "POST" and review is None:
        try:
            services.plan_review_start(plan=plan, user=request.user, via=opened.via)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _detail(opened)
        return redirect("plans:review", child_id=opened.child.pk, plan_id=plan.pk)
    indicators = wording_for(opened.child.municipality_id).choices
    form = forms.ReviewForm(request.POST if request.method == "POST" else None, indicators=indicators)
    if review is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_review_complete(
                review=review,
                user=request.user,
                held_on=data["held_on"],
                answers=data,
                ratings=form.ratings(),
                via=opened.via,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Uppföljningen är sparad."))
            return _detail(opened)
    context = {"child": opened.child, "display": opened.display, "plan": plan, "review": review, "form": form}
    return render(request, "plans/review.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def plan_close(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Close the plan with a reason; the named person is in charge again."""
    opened = open_plan(request, child_id, plan_id, "plans:close")
    if not opened.may_edit:
        return read_only(request, opened)
    form = forms.CloseForm(request.POST if request.method == "POST" else None)
    named = services.current_named_person(opened.child)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_close(plan=opened.plan, user=request.user, reason=form.cleaned_data["reason"], via=opened.via)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Planen är avslutad. Barnets namngivna person har åter ansvaret."))
            return _detail(opened)
    context = {"child": opened.child, "display": opened.display, "plan": opened.plan, "form": form, "named": named}
    return render(request, "plans/close.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def plan_decline(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Record that the family said no to the plan, without penalty."""
    opened = open_plan(request, child_id, plan_id, "plans:decline")
    if not opened.may_edit:
        return read_only(request, opened)
    form = forms.DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_decline(plan=opened.plan, user=request.user, note=form.cleaned_data["note"], via=opened.via)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Det är registrerat att familjen har tackat nej till planen."))
            return _detail(opened)
    context = {"child": opened.child, "display": opened.display, "plan": opened.plan, "form": form}
    return render(request, "plans/decline.html", context, status=400 if form.errors else 200)

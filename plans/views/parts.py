"""The plan's parts: participants (with their views), needs per indicator, actions and statutory plan links."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.access import child_data
from directory.selectors import allowed_staff
from directory.widgets import use_picker
from organisations.models import Authority
from plans import forms, merge, services
from plans.models import Action, NeedSummary, Participant, StatutoryPlanLink
from plans.views.common import apply_errors, open_plan, read_only
from wellbeing.labels import wording_for

SAVED = _("Sparat.")
ACTION_CONFLICT = _(
    "Någon annan sparade åtgärden medan du ändrade den. Ingenting av det du skrev har sparats ännu. Jämför nedan "
    "och välj för varje fält vilket värde som ska gälla, och spara sedan igen."
)
CHOOSE_ALL = _("Välj för varje fält som skiljer sig vilket värde som ska gälla.")
REMOVED = _("Borttaget. Godkända versioner av planen visar det fortfarande.")


def _staff():
    """Return the staff who may be named in a plan: a current membership in a role that works with children."""
    return allowed_staff()


def _page(request, opened, template: str, form, **extra) -> HttpResponse:
    context = {
        "child": opened.child,
        "display": opened.display,
        "plan": opened.plan,
        "form": form,
        "may_edit": opened.may_edit,
        **extra,
    }
    return render(request, template, context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """List the participants with their views, and add one."""
    opened = open_plan(request, child_id, plan_id, "plans:participants")
    form = forms.ParticipantForm(request.POST if request.method == "POST" else None, people=_staff())
    use_picker(form, "user", user=request.user, display=opened.display)
    if request.method == "POST":
        if not opened.may_edit:
            return read_only(request, opened)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.participant_add(
                    plan=opened.plan,
                    role=data["role"],
                    name=data["name"],
                    user=data["user"],
                    authority=data["authority"],
                    title=data["title"],
                    view=data["view"],
                    via=opened.via,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("plans:participants", child_id=opened.child.pk, plan_id=opened.plan.pk)
    rows = opened.plan.participants.select_related("authority")
    return _page(request, opened, "plans/participants.html", form, rows=rows)


@child_data
@require_http_methods(["GET", "POST"])
def participant_view(request: HttpRequest, child_id: UUID, plan_id: int, participant_id: int) -> HttpResponse:
    """Record a participant's view (the child's, a guardian's, a practitioner's) in their own words."""
    opened = open_plan(request, child_id, plan_id, "plans:participant_view")
    if not opened.may_edit:
        return read_only(request, opened)
    participant = get_object_or_404(Participant, plan=opened.plan, pk=participant_id)
    form = forms.ViewForm(request.POST or None, initial={"view": participant.view})
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_view_record(participant=participant, view=form.cleaned_data["view"], via=opened.via)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, SAVED)
            return redirect("plans:participants", child_id=opened.child.pk, plan_id=opened.plan.pk)
    return _page(request, opened, "plans/participant_view.html", form, participant=participant)


@child_data
@require_http_methods(["GET", "POST"])
def needs(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Summarise the child's needs against the wellbeing indicators."""
    opened = open_plan(request, child_id, plan_id, "plans:needs")
    indicators = wording_for(opened.child.municipality_id).choices
    form = forms.NeedForm(request.POST if request.method == "POST" else None, indicators=indicators)
    if request.method == "POST":
        if not opened.may_edit:
            return read_only(request, opened)
        if form.is_valid():
            try:
                services.need_set(plan=opened.plan, via=opened.via, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("plans:needs", child_id=opened.child.pk, plan_id=opened.plan.pk)
    return _page(request, opened, "plans/needs.html", form, rows=opened.plan.needs.all())


@child_data
@require_http_methods(["GET", "POST"])
def actions(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """List the actions and add one: owner, resources, timetable, expected outcome and indicators."""
    opened = open_plan(request, child_id, plan_id, "plans:actions")
    indicators = wording_for(opened.child.municipality_id).choices
    form = forms.ActionForm(request.POST if request.method == "POST" else None, people=_staff(), indicators=indicators)
    use_picker(form, "owner_person", user=request.user, display=opened.display)
    if request.method == "POST":
        if not opened.may_edit:
            return read_only(request, opened)
        if form.is_valid():
            try:
                services.action_add(plan=opened.plan, via=opened.via, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("plans:actions", child_id=opened.child.pk, plan_id=opened.plan.pk)
    rows = opened.plan.actions.select_related("owner_authority", "owner_person")
    editable = opened.may_edit and opened.plan.status in services.ACTIONS_EDITABLE_IN
    return _page(
        request, opened, "plans/actions.html", form, rows=rows, states=Action.State.choices, may_edit_actions=editable
    )


@child_data
@require_http_methods(["POST"])
def action_status(request: HttpRequest, child_id: UUID, plan_id: int, action_id: int) -> HttpResponse:
    """Change an action's state (planned, ongoing, done, cancelled)."""
    opened = open_plan(request, child_id, plan_id, "plans:action_status")
    if not opened.may_edit:
        return read_only(request, opened)
    action = get_object_or_404(Action, plan=opened.plan, pk=action_id)
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_set_status(action=action, status=form.cleaned_data["status"], via=opened.via)
        messages.success(request, SAVED)
    else:
        messages.error(request, _("Välj ett läge för åtgärden."))
    return redirect("plans:actions", child_id=opened.child.pk, plan_id=opened.plan.pk)


def _action_initial(action: Action) -> dict:
    initial = {name: getattr(action, name) for name in forms.ACTION_FIELDS}
    owners = {"owner_authority": action.owner_authority_id, "owner_person": action.owner_person_id}
    return {**initial, **owners, "version": action.version}


@child_data
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, child_id: UUID, plan_id: int, action_id: int) -> HttpResponse:
    """Change an action; if someone saved it first, refuse, show both versions and let the user merge."""
    opened = open_plan(request, child_id, plan_id, "plans:action_edit")
    if not opened.may_edit:
        return read_only(request, opened)
    action = get_object_or_404(Action, plan=opened.plan, pk=action_id)
    if opened.plan.status not in services.ACTIONS_EDITABLE_IN:
        return read_only(request, opened, message=services.ACTION_LOCKED, status=409)
    people = _staff()
    indicators = wording_for(opened.child.municipality_id).choices
    spec = merge.action_spec(Authority.objects.order_by("name"), people, dict(indicators))
    data = request.POST if request.method == "POST" else None
    if data is not None and "merge" in data:
        data, unresolved = merge.resolve(data, spec)
        if unresolved:
            return _action_merge(request, opened, action, merge.Conflict.from_post(request.POST, spec), CHOOSE_ALL)
    form = forms.ActionEditForm(data, initial=_action_initial(action), people=people, indicators=indicators)
    use_picker(form, "owner_person", user=request.user, display=opened.display)
    if data is not None and form.is_valid():
        values = {name: form.cleaned_data[name] for name in forms.ACTION_FIELDS}
        try:
            services.action_update(action=action, version=form.cleaned_data["version"], values=values, via=opened.via)
        except services.ActionConflict as conflict:
            current = merge.Conflict.build(form, conflict.current, spec)
            return _action_merge(request, opened, action, current, ACTION_CONFLICT)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna i åtgärden är sparade."))
            return redirect("plans:actions", child_id=opened.child.pk, plan_id=opened.plan.pk)
    return _page(request, opened, "plans/action_edit.html", form, action=action)


def _action_merge(request, opened, action: Action, conflict, message) -> HttpResponse:
    kwargs = {"child_id": opened.child.pk, "plan_id": opened.plan.pk, "action_id": action.pk}
    context = {
        "child": opened.child,
        "display": opened.display,
        "plan": opened.plan,
        "conflict": conflict,
        "message": message,
        "heading": _("Åtgärden har ändrats av någon annan"),
        "action_url": reverse("plans:action_edit", kwargs=kwargs),
        "back_url": reverse("plans:actions", kwargs={"child_id": opened.child.pk, "plan_id": opened.plan.pk}),
    }
    return render(request, "plans/merge.html", context, status=409)


@child_data
@require_http_methods(["GET", "POST"])
def links(request: HttpRequest, child_id: UUID, plan_id: int) -> HttpResponse:
    """Refer to statutory plans the child has elsewhere (SIP, åtgärdsprogram, vårdplan, genomförandeplan)."""
    opened = open_plan(request, child_id, plan_id, "plans:links")
    form = forms.LinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not opened.may_edit:
            return read_only(request, opened)
        if form.is_valid():
            try:
                services.link_add(plan=opened.plan, via=opened.via, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("plans:links", child_id=opened.child.pk, plan_id=opened.plan.pk)
    return _page(request, opened, "plans/links.html", form, rows=opened.plan.links.all())


# What can be removed from a plan, the service that removes it, the page to return to, and how it is named.
REMOVABLE = {
    "participant": (Participant, services.participant_remove, "plans:participants", "participant", "name"),
    "need": (NeedSummary, services.need_remove, "plans:needs", "need", "get_indicator_display"),
    "action": (Action, services.action_remove, "plans:actions", "action", "description"),
    "link": (StatutoryPlanLink, services.link_remove, "plans:links", "link", "reference"),
}


@child_data
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, child_id: UUID, plan_id: int, part: str, part_id: int) -> HttpResponse:
    """Ask before removing a participant, need, action or link; remove it on confirmation."""
    opened = open_plan(request, child_id, plan_id, "plans:remove")
    if part not in REMOVABLE:
        return render(
            request,
            "plans/read_only.html",
            {"child": opened.child, "display": opened.display, "plan": opened.plan},
            status=404,
        )
    if not opened.may_edit:
        return read_only(request, opened)
    model, service, back, keyword, naming = REMOVABLE[part]
    row = get_object_or_404(model, plan=opened.plan, pk=part_id)
    if request.method == "POST":
        try:
            service(**{keyword: row, "via": opened.via})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, REMOVED)
        return redirect(back, child_id=opened.child.pk, plan_id=opened.plan.pk)
    name = getattr(row, naming)
    context = {
        "child": opened.child,
        "display": opened.display,
        "plan": opened.plan,
        "name": name() if callable(name) else name,
        "back": back,
    }
    return render(request, "plans/remove.html", context)

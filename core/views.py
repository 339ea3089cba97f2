"""The start page (my work today) and the lists of tasks that have no page of their own elsewhere."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from audit import log as audit
from core import workspace
from core.access import authenticated, child_data
from core.navigation import ACCOUNT, items_for_request
from plans.models import Action, ChildPlan, PlanVersion
from sharing import display, policy

PER_PAGE = 25
TASKS_TARGET = "core:tasks"


@authenticated
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show what waits for the user today, oldest first, then the pages the user's roles give work on.

    Guardians and children (who have no staff roles) land on the family view instead, which lists what
    waits for their answer.
    """
    mine = policy.request_memberships(request)  # loaded once for the page, the menu and the counts
    if not mine.rows and policy.is_family_user(request.user):
        return redirect("family:home")
    items = [item for item in items_for_request(request) if item != ACCOUNT]
    tasks = workspace.tasks_for(request.user, mine=mine) if items else []
    return render(request, "core/home.html", {"items": items, "account": ACCOUNT, "tasks": tasks})


def _row(record) -> tuple[object, str]:
    """The child id of a task row and the page where it is worked on."""
    if isinstance(record, ChildPlan):
        return record.child_id, reverse("plans:plan", args=[record.child_id, record.pk])
    if isinstance(record, (Action, PlanVersion)):
        plan = record.plan
        return plan.child_id, reverse("plans:plan", args=[plan.child_id, plan.pk])
    return record.child_id, reverse("sharing:consents", args=[record.child_id])


@child_data
@require_safe
def tasks(request: HttpRequest, kind: str) -> HttpResponse:
    """List one kind of the user's tasks (the rows the start page counted), oldest first; each child is logged."""
    found = workspace.BY_KEY.get(kind)
    today = workspace.today_for(request.user, mine=policy.request_memberships(request))
    if found is None or found.url_name or found not in workspace.kinds_for(today):
        raise Http404
    rows = found.rows(today)
    if isinstance(rows.model(), (Action, PlanVersion)):
        rows = rows.select_related("plan")
    page = Paginator(rows.order_by(found.date_field, "pk"), PER_PAGE).get_page(request.GET.get("sida"))
    located = [(record, *_row(record)) for record in page]
    ids = {child_id for _, child_id, _ in located}
    children = {
        child.pk: child
        for child in policy.with_access(
            policy.visible_children(request.user, on=today.on, among=ids), request.user, on=today.on
        )
    }
    actor = policy.page_actor(request)
    for child in children.values():
        audit.record(
            actor=actor,
            action="read",
            surface="page",
            target=TASKS_TARGET,
            basis=child.basis,
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
        )
    shown = [
        # A protected child is named only to those with an explicit need, as in every list.
        {
            "when": workspace.as_date(getattr(record, found.date_field)),
            "name": display.listed_name(child, shown=child.identity_shown),
            "url": url,
        }
        for record, child_id, url in located
        if (child := children.get(child_id)) is not None
    ]
    context = {"kind": found, "page": page, "rows": shown}
    return render(request, "core/tasks.html", context)

"""My reminders: due reviews and overdue actions of the plans the user leads, started or owns actions in.

Next to them, the user's overdue actions from team meetings (`meetings.selectors.overdue_actions`): they
name no child, so they are listed as they are, with a link to the meeting.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audit import log as audit
from core.access import child_data
from meetings import selectors as meeting_selectors
from plans import selectors
from sharing import display, policy

PER_PAGE = 25
TARGET = "plans:reminders"


@child_data
@require_safe
def reminders(request: HttpRequest) -> HttpResponse:
    """List the user's reminders for children the user may still see; each child shown is logged."""
    page = Paginator(selectors.reminders_for(request.user), PER_PAGE).get_page(request.GET.get("sida"))
    actor = policy.page_actor(request)
    on = policy.today()
    ids = {row.plan.child_id for row in page}
    children = {
        child.pk: child
        for child in policy.with_access(policy.visible_children(request.user, on=on, among=ids), request.user, on=on)
    }
    for child in children.values():
        audit.record(
            actor=actor,
            action="read",
            surface="page",
            target=TARGET,
            basis=child.basis,
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
        )
    rows = [
        # A protected child is named only to those with an explicit need, as in every list.
        (row, display.listed_name(child, shown=child.identity_shown))
        for row in page
        if (child := children.get(row.plan.child_id)) is not None
    ]
    team_actions = meeting_selectors.overdue_actions(request.user)
    return render(request, "plans/reminders.html", {"page": page, "rows": rows, "team_actions": team_actions})

"""What every plan page does first: load the child and the plan through the policy, and decide who may change it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from plans import selectors, services
from plans.models import ChildPlan
from sharing import policy
from sharing.display import Display, display_for

SURFACE = "page"
READ_ONLY = _(
    "Planen ägs av %(authority)s. Du kan läsa den, men bara den myndighetens personal ändrar den. Be den "
    "ansvariga samordnaren föra in dina synpunkter."
)

CLOSED = _("Planen är avslutad och kan inte ändras. Starta en ny plan om barnet behöver stöd igen.")


@dataclass(frozen=True)
class Opened:
    actor: audit.Actor
    access: policy.ChildAccess
    plan: ChildPlan
    via: services.Via
    may_edit: bool

    @property
    def child(self):
        return self.access.child

    @property
    def display(self) -> Display:
        """What of a protected child's location the user may be shown (names of staff and units)."""
        return display_for(self.access)


def open_child(
    request: HttpRequest,
    child_id: UUID,
    target: str,
    *,
    action: str = "read",
    related: tuple[str, ...] | None = None,
    openings: bool = False,
):
    """Load the child through the policy (`related`: its foreign keys to load with it, the municipality by default;
    `openings`: what opens other authorities' records, loaded with it)."""
    mine = policy.request_memberships(request)  # one query for the audit actor, the policy, the menu and the banner
    actor = policy.page_actor(request, mine=mine)
    extra = {"related": related, "openings": openings} if related is not None else {"openings": openings}
    access = policy.child_for_user(
        request.user, child_id, actor=actor, surface=SURFACE, target=target, action=action, mine=mine, **extra
    )
    via = services.Via(actor=actor, surface=SURFACE, target=target, basis=access.basis)
    return actor, access, via


def open_plan(request: HttpRequest, child_id: UUID, plan_id: int, target: str, *, contents: bool = False) -> Opened:
    """Load a plan the user may see, or raise Http404 (the same for a missing plan and one not shared).

    `contents` loads the whole plan as the plan page shows it (`selectors.with_contents`) in the same read.
    """
    actor, access, via = open_child(request, child_id, target)
    plan = selectors.plan_for(access, plan_id, actor=actor, surface=SURFACE, target=target, contents=contents)
    return Opened(actor=actor, access=access, plan=plan, via=via, may_edit=policy.may_edit_plan(access, plan))


def read_only(request: HttpRequest, opened: Opened, *, message: str | None = None, status: int = 403) -> HttpResponse:
    """Answer a change by someone who may only read the plan (another authority, or a closed plan).

    A `message` and `status` of their own explain a change the plan's state does not allow (409).
    """
    if message is None:
        message = READ_ONLY % {"authority": opened.plan.owner_authority.name} if opened.plan.is_open else CLOSED
    context = {"child": opened.child, "display": opened.display, "plan": opened.plan, "message": message}
    return render(request, "plans/read_only.html", context, status=status)


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's messages on the form's fields (or on the form when no field matches)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)

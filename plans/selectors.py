"""Reads of the child's plan, always through the access policy, with their joins applied once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from audit import log as audit
from plans.models import ENDED, Action, ChildPlan, Participant, PlanVersion, Reminder, Review
from sharing import policy


def plans_for(access: policy.ChildAccess) -> QuerySet[ChildPlan]:
    """Return the child's plans the user may see (the policy's SQL filter), newest first."""
    rows = ChildPlan.objects.select_related("owner_authority", "lead_professional")
    return policy.records_for_user(access, rows).order_by("-created_at", "-pk")


def plan_for(
    access: policy.ChildAccess, plan_id: int, *, actor: audit.Actor, surface: str, target: str, action: str = "read"
) -> ChildPlan:
    """Load one plan of the child the user may see and log a read through a consent, or raise Http404."""
    plan = plans_for(access).filter(pk=plan_id).first()
    if plan is None:
        raise Http404  # the same answer for another child's plan, an unknown id and a plan not shared
    policy.log_shared_reads([plan], actor=actor, surface=surface, target=target, access=access, action=action)
    return plan


def may_edit(access: policy.ChildAccess, plan: ChildPlan) -> bool:
    """Return whether the user may change the plan: staff of the authority that owns and leads it.

    Other participating authorities read the plan through the family's consent; reading is what
    the consent opens, so they ask the lead to record their views and changes.
    """
    return plan.owner_authority_id in access.authority_ids and plan.is_open


def plan_contents(plan: ChildPlan) -> ChildPlan:
    """Load everything the plan page shows, in a fixed number of queries however long the plan is."""
    return (
        ChildPlan.objects.select_related(
            "owner_authority", "lead_professional", "named_person__person", "returned_to", "updated_by", "child"
        )
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("authority", "user")),
            "needs",
            Prefetch("actions", queryset=Action.objects.select_related("owner_authority", "owner_person")),
            "links",
            Prefetch(
                "versions",
                queryset=PlanVersion.objects.defer("snapshot").select_related("agreed_by").order_by("-number"),
            ),
            Prefetch("reviews", queryset=Review.objects.select_related("assessment").order_by("-started_at")),
        )
        .get(pk=plan.pk)
    )


@dataclass(frozen=True)
class Panel:
    """The plan panel on the child's overview: the open plan, if the user may see one, and the count of earlier ones."""

    current: ChildPlan | None
    earlier: int
    may_start: bool


def child_panel(access: policy.ChildAccess, *, actor: audit.Actor) -> Panel:
    """Return the overview panel in one query, whatever the number of plans."""
    rows = list(plans_for(access)[:20])
    policy.log_shared_reads(rows, actor=actor, surface="page", target="people:child", access=access)
    current = next((row for row in rows if row.status not in ENDED), None)
    earlier = sum(1 for row in rows if row.status in ENDED)
    return Panel(current=current, earlier=earlier, may_start=current is None)


def reminders_for(user, *, on=None) -> QuerySet[Reminder]:
    """Return the user's still-relevant reminders: plans they lead or started, actions they own; visible children only.

    A review reminder lapses when the review date moves or the plan ends; an action reminder when
    the action is done or cancelled or its end date moves.
    """
    visible = policy.visible_children(user, on=on)
    still_due = Q(kind=Reminder.Kind.REVIEW_DUE, plan__next_review_on=F("due_on")) | Q(
        kind=Reminder.Kind.ACTION_OVERDUE,
        action__end=F("due_on"),
        action__status__in=[Action.State.PLANNED, Action.State.ONGOING],
    )
    mine = Q(plan__lead_professional=user) | Q(plan__created_by=user) | Q(action__owner_person=user)
    return (
        Reminder.objects.filter(still_due, mine, plan__child__in=visible)
        .exclude(plan__status__in=ENDED)
        .select_related("plan__child", "action")
        .order_by("due_on", "pk")
    )

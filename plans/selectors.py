"""Reads of the child's plan, always through the access policy, with their joins applied once."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from audit import log as audit
from core.batch import Batch, at_once
from people.models import Child, Guardian
from plans.models import (
    ENDED,
    Action,
    ChildPlan,
    Participant,
    PlanAgreement,
    PlanVersion,
    Reminder,
    Review,
    Status,
)
from plans.snapshot import plan_snapshot
from sharing import policy

# The states in which a plan may be put to agreement (again): a draft, or an agreed plan that has changed.
AGREEABLE = (Status.DRAFT, Status.AGREED, Status.ACTIVE)


def plans_for(access: policy.ChildAccess) -> QuerySet[ChildPlan]:
    """Return the child's plans the user may see (the policy's SQL filter), newest first."""
    rows = ChildPlan.objects.select_related("owner_authority", "lead_professional")
    return policy.records_for_user(access, rows).order_by("-created_at", "-pk")


def plan_for(
    access: policy.ChildAccess,
    plan_id: int,
    *,
    actor: audit.Actor,
    surface: str,
    target: str,
    action: str = "read",
    contents: bool = False,
) -> ChildPlan:
    """Load one plan of the child the user may see and log a read through a consent, or raise Http404.

    `contents` loads everything the plan page shows with it (`with_contents`), in the same statement
    as the policy's check and the prefetches that follow it.
    """
    rows = plans_for(access)
    plan = (with_contents(rows) if contents else rows).filter(pk=plan_id).first()
    if plan is None:
        raise Http404  # the same answer for another child's plan, an unknown id and a plan not shared
    policy.log_shared_reads([plan], actor=actor, surface=surface, target=target, access=access, action=action)
    return plan


def awaiting_version(plan: ChildPlan, versions: list[PlanVersion] | None = None) -> PlanVersion | None:
    """Return the version sent to the guardians that still waits for their answers, or None.

    Only the newest version can wait: a later one (sent again, or agreed by staff) replaces it, and
    a plan that is under review, closed or declined waits for no answer. Pass the plan's versions
    when they are loaded already, to spare a query.
    """
    if plan.status not in AGREEABLE:
        return None
    if versions is None:
        latest = plan.versions.order_by("-number").first()
    else:
        latest = max(versions, key=lambda row: row.number, default=None)
    if latest is None or latest.sent_at is None or latest.agreed_at is not None:
        return None
    return latest


def as_stored(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Return a snapshot as the database gives it back (lazy labels and numbers through JSON)."""
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def unchanged_since(plan: ChildPlan, version: PlanVersion) -> bool:
    """Return whether the plan still reads as the version did: what the guardians answer is what applies."""
    return as_stored(plan_snapshot(plan)) == version.snapshot


def plan_contents(plan: ChildPlan) -> ChildPlan:
    """Load everything the plan page shows, in a fixed number of queries however long the plan is."""
    return with_contents(ChildPlan.objects.all()).get(pk=plan.pk)


# What the plan page shows with the plan: its joins, and its rows of each kind with their own joins and order.
CONTENT_JOINS = ("owner_authority", "lead_professional", "named_person__person", "returned_to", "updated_by", "child")


def _contents() -> dict[str, QuerySet | None]:
    return {
        "participants": Participant.objects.select_related("authority", "user"),
        "needs": None,  # the default manager and ordering
        "actions": Action.objects.select_related("owner_authority", "owner_person"),
        "links": None,
        "versions": PlanVersion.objects.defer("snapshot").select_related("agreed_by").order_by("-number"),
        "reviews": Review.objects.select_related("assessment").order_by("-started_at"),
    }


def with_contents(plans: QuerySet[ChildPlan]) -> QuerySet[ChildPlan]:
    """Join and prefetch what the plan page shows: a fixed number of queries however long the plan is."""
    prefetches = [name if rows is None else Prefetch(name, queryset=rows) for name, rows in _contents().items()]
    return plans.select_related(*CONTENT_JOINS).prefetch_related(*prefetches, "versions__agreements")


def plan_reads(
    access: policy.ChildAccess, plan_id: int, batch: Batch, *, actor: audit.Actor, surface: str, target: str
) -> Callable[[], ChildPlan]:
    """Add one plan of the child and everything the plan page shows of it to a batch (`with_contents`, in one read).

    Every part reads through the policy's filter: the plan's rows are those of the plan the user may see
    (`plans_for`), as a sub-query. Return what gives the plan once the batch has run, logging a read
    through a consent, or raises Http404 (the same for another child's plan, an unknown id and a plan not
    shared).
    """
    rows = plans_for(access).filter(pk=plan_id)
    plan = batch.first(rows.select_related(*CONTENT_JOINS))
    contents = [batch.related(rows, name, queryset) for name, queryset in _contents().items()]
    agreements = batch.related(PlanVersion.objects.filter(plan__in=rows.order_by().values("pk")), "agreements")

    def finish() -> ChildPlan:
        found = plan.value
        if found is None:
            raise Http404
        for related in contents:
            related.attach([found])
        agreements.attach(found.versions.all())
        policy.log_shared_reads([found], actor=actor, surface=surface, target=target, access=access)
        return found

    return finish


@dataclass(frozen=True)
class Panel:
    """The plan panel on the child's overview: the open plan, if the user may see one, and the count of earlier ones."""

    current: ChildPlan | None
    earlier: int
    may_start: bool


def child_panel(access: policy.ChildAccess, *, actor: audit.Actor) -> Panel:
    """Return the overview panel in one query, whatever the number of plans."""
    return at_once(lambda batch: panel_reads(access, batch, actor=actor))


def panel_reads(access: policy.ChildAccess, batch: Batch, *, actor: audit.Actor) -> Callable[[], Panel]:
    """Add the panel's one read to a batch; return what builds the panel (and logs the plans read) once it has run."""
    plans = batch.add(plans_for(access)[:20])

    def finish() -> Panel:
        return _panel(access, plans.value, actor=actor)

    return finish


def _panel(access: policy.ChildAccess, rows: list[ChildPlan], *, actor: audit.Actor) -> Panel:
    policy.log_shared_reads(rows, actor=actor, surface="page", target="people:child", access=access)
    current = next((row for row in rows if row.status not in ENDED), None)
    earlier = sum(1 for row in rows if row.status in ENDED)
    return Panel(current=current, earlier=earlier, may_start=current is None)


# How long a request the intake routed to a plan stays among its lead's reminders.
ROUTED_REQUEST_DAYS = 30


def reminders_for(user, *, on=None) -> QuerySet[Reminder]:
    """Return the user's still-relevant reminders: plans they lead or started, actions they own; plans they may read.

    A review reminder lapses when the review date moves or the plan ends; an action reminder when
    the action is done or cancelled or its end date moves; a request the intake routed to the plan after
    `ROUTED_REQUEST_DAYS`.
    """
    # A reminder is about its plan: listed only while the user may read the plan (a consent may have ended).
    plans = ChildPlan.objects.filter(child__deceased_on__isnull=True).exclude(status__in=ENDED)
    readable = policy.readable_records(user, plans, on=on)
    still_due = (
        Q(kind=Reminder.Kind.REVIEW_DUE, plan__next_review_on=F("due_on"))
        | Q(
            kind=Reminder.Kind.ACTION_OVERDUE,
            action__end=F("due_on"),
            action__status__in=[Action.State.PLANNED, Action.State.ONGOING],
        )
        | Q(
            kind=Reminder.Kind.REQUEST_ROUTED,
            due_on__gt=(on or policy.today()) - timedelta(days=ROUTED_REQUEST_DAYS),
        )
    )
    mine = Q(plan__lead_professional=user) | Q(plan__created_by=user) | Q(action__owner_person=user)
    return (
        Reminder.objects.filter(still_due, mine, plan__in=readable)
        .select_related("plan__child", "action")
        .order_by("due_on", "pk")
    )


# --- The family view ---


# The states of a plan in force: agreed, under way or being followed up.
IN_FORCE = (Status.AGREED, Status.ACTIVE, Status.REVIEW)


def needs_renewal_at_majority(plan: ChildPlan, versions: list[PlanVersion], *, child: Child, on) -> bool:
    """Return whether the plan in force was last agreed before the child turned 18, and the child is 18 on the day.

    Before 18 the guardians' agreement made the plan; from the 18th birthday only the young
    person's does, so the plan is to be agreed again with them. Judged at each read.
    """
    if plan.status not in IN_FORCE or child.birth_date > policy.majority_cutoff(on):
        return False
    agreed = [row.agreed_at for row in versions if row.agreed_at is not None]
    birthday = policy.majority_day(child.birth_date)
    return bool(agreed) and timezone.localdate(max(agreed)) < birthday


def family_plan(child: Child) -> ChildPlan | None:
    """Return the child's open plan with everything the family page shows, or None when it has none.

    The family is the data subject and sees its own child's plan whichever authority owns it; the
    child was loaded through `policy.family_child_for_user` before this runs.
    """
    plan = ChildPlan.objects.filter(child=child).exclude(status__in=ENDED).order_by("-created_at", "-pk").first()
    return plan_contents(plan) if plan is not None else None


@dataclass(frozen=True)
class FamilyAnswer:
    """Where a version sent to the family stands, as one family user sees it."""

    version: PlanVersion | None  # the version waiting for the family's answers, if any
    changed: bool  # the plan has changed since it was sent: no answer is taken until it is sent again
    party: Participant | None  # the user's own participant whose answer counts (a guardian, or the child), if any
    mine: PlanAgreement | None  # the user's own answer to the waiting version
    others_answered: int  # the other guardians whose answer counts, and have answered
    others_waiting: int

    @property
    def may_answer(self) -> bool:
        return self.version is not None and not self.changed and self.party is not None and self.mine is None


def family_answer(
    plan: ChildPlan, guardian: Guardian | None, *, guardians_count: bool = True, child_counts: bool = False
) -> FamilyAnswer:
    """Return where the plan waits for the family, for a guardian or (with `guardian` None) the child itself.

    `guardians_count` and `child_counts` say whose answer agrees the plan at the child's age
    (`plans.services.family_say`); `plan` comes from plan_contents.
    """
    rows = plan.participants.all()
    guardians = [row for row in rows if row.role == Participant.Role.GUARDIAN] if guardians_count else []
    if guardian is None:
        party = next((row for row in rows if row.role == Participant.Role.CHILD), None) if child_counts else None
    else:
        party = next((row for row in guardians if row.guardian_id == guardian.pk), None)
    version = awaiting_version(plan, list(plan.versions.all()))
    if version is None:
        return FamilyAnswer(None, False, party, None, 0, 0)
    agreements = version.agreements.all()
    given = {row.guardian_id: row for row in agreements if row.guardian_id is not None}
    child_answer = next((row for row in agreements if row.role == Participant.Role.CHILD), None)
    others = [row for row in guardians if row is not party]
    answered = sum(1 for row in others if row.guardian_id in given)
    return FamilyAnswer(
        version=version,
        changed=not unchanged_since(plan, version),
        party=party,
        mine=given.get(guardian.pk) if guardian is not None else child_answer if party is not None else None,
        others_answered=answered,
        others_waiting=len(others) - answered,
    )

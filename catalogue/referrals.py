"""Referrals of a child to an intervention: made, read and moved on under the access policy.

The referring side reads the child's referrals through `policy.records_for_user` (a referral is the
referring authority's record, category plan); the provider's staff reach theirs only through
`policy.referrals_for_provider`. Every write is audit-logged with the child. A referral made from the
child's open plan is also an action of the plan, added in the same transaction under the plan's own
rules (`policy.may_edit_plan`, `plans.services.action_add`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from catalogue import intake
from catalogue.models import Intervention, Referral
from plans import services as plan_services
from plans.models import ChildPlan
from sharing import policy
from wellbeing.services import Via

Status = Referral.Status

# What the provider's staff may move a referral on to, from each open status.
PROVIDER_MOVES: dict[str, tuple[str, ...]] = {
    Status.REQUESTED: (Status.ACCEPTED, Status.WAITING, Status.STARTED, Status.DECLINED_BY_PROVIDER),
    Status.ACCEPTED: (Status.WAITING, Status.STARTED, Status.DECLINED_BY_PROVIDER),
    Status.WAITING: (Status.STARTED, Status.DECLINED_BY_PROVIDER),
    Status.STARTED: (Status.COMPLETED,),
}
# What the referring authority may record on an open referral: the family said no, or it is withdrawn.
REFERRER_MOVES = (Status.DECLINED_BY_FAMILY, Status.WITHDRAWN)
# A decline or a withdrawal says why.
NEEDS_NOTE = (Status.DECLINED_BY_FAMILY, Status.DECLINED_BY_PROVIDER, Status.WITHDRAWN)
# How long the plan action made with a referral runs when the waiting time is unknown: a quarter.
ACTION_DAYS = 90

NOT_ALLOWED = _("Remissen kan inte ändras så från sin nuvarande status.")
NOTE_NEEDED = _("Skriv varför remissen avböjs eller återkallas.")
OTHER_MUNICIPALITY = _("Insatsen finns inte i barnets kommun.")
PLAN_LOCKED = _("Du kan inte lägga till åtgärder i den här planen.")


def referrals_for(access: policy.ChildAccess) -> QuerySet[Referral]:
    """Return the child's referrals the user may read (the policy's SQL filter), newest first."""
    rows = Referral.objects.select_related("intervention", "intervention__provider", "owner_authority", "referred_by")
    return policy.records_for_user(access, rows).order_by("-requested_on", "-pk")


def may_change(access: policy.ChildAccess, referral: Referral) -> bool:
    """Return whether the user records for the referring side: staff of the authority that owns the referral."""
    return referral.owner_authority_id in access.authority_ids and referral.is_open


def _log(via: Via, referral: Referral, action: str) -> None:
    audit.record(
        actor=via.actor,
        action=action,
        surface=via.surface,
        target=via.target,
        basis=via.basis,
        child_id=referral.child_id,
        record_type="Referral",
        record_id=str(referral.pk),
    )


def _plan_action(*, plan: ChildPlan, intervention: Intervention, reason: str, user, on: date, via: Via):
    weeks = intervention.waiting_weeks
    days = max(ACTION_DAYS, (weeks or 0) * 7 + ACTION_DAYS)
    return plan_services.action_add(
        plan=plan,
        owner_authority=plan.owner_authority,
        owner_person=user,
        description=_("Remiss till %(intervention)s (%(provider)s)")
        % {"intervention": intervention.name, "provider": intervention.provider.name},
        start=on,
        end=on + timedelta(days=days),
        expected_outcome=reason,
        indicators=[need.indicator for need in intervention.needs.all()],
        via=via,
    )


@transaction.atomic
def referral_make(
    *,
    access: policy.ChildAccess,
    user,
    intervention: Intervention,
    reason: str,
    via: Via,
    plan: ChildPlan | None = None,
) -> Referral:
    """Refer the child the user may see; with a plan, also as an action of it under the plan's rules."""
    reason = reason.strip()
    if intervention.provider.municipality_id != access.child.municipality_id:
        raise ValidationError({"intervention": [OTHER_MUNICIPALITY]})
    if plan is not None and not (policy.may_edit_plan(access, plan) and plan.child_id == access.child.pk):
        raise PermissionDenied(PLAN_LOCKED)
    owner = plan.owner_authority if plan is not None else plan_services.user_authority(user)
    referral = Referral(
        child=access.child,
        intervention=intervention,
        owner_authority=owner,
        referred_by=user,
        reason=reason,
        requested_on=access.on,
    )
    referral.full_clean(exclude=["plan_action"])
    if plan is not None:
        referral.plan_action = _plan_action(
            plan=plan, intervention=intervention, reason=reason, user=user, on=access.on, via=via
        )
    referral.save()
    _log(via, referral, "create")
    return referral


def _move(referral: Referral, status: str, note: str, on: date) -> Referral:
    note = note.strip()
    if status in NEEDS_NOTE and not note:
        raise ValidationError({"status_note": [NOTE_NEEDED]})
    referral.status = status
    referral.status_note = note
    if status in (Status.ACCEPTED, Status.WAITING, Status.STARTED) and referral.accepted_on is None:
        referral.accepted_on = on
    if status == Status.STARTED:
        referral.started_on = on
    if status in Referral.CLOSED:
        referral.closed_on = on
    referral.save()
    return referral


@transaction.atomic
def referral_record_for_child(
    *, access: policy.ChildAccess, referral: Referral, status: str, note: str, via: Via
) -> Referral:
    """Record, for the referring authority, that the family declined or that the referral is withdrawn."""
    if not may_change(access, referral) or status not in REFERRER_MOVES:
        raise ValidationError({"status": [NOT_ALLOWED]})
    _move(referral, status, note, access.on)
    _log(via, referral, "update")
    return referral


@transaction.atomic
def referral_move_by_provider(
    *, referral: Referral, status: str, note: str, actor: audit.Actor, target: str, surface: str = "page"
):
    """Move a referral of the provider's queue on (accepted, waiting, started, completed or declined)."""
    if status not in PROVIDER_MOVES.get(referral.status, ()):
        raise ValidationError({"status": [NOT_ALLOWED]})
    _move(referral, status, note, policy.today())
    if status == Status.STARTED:
        intake.support_started(referral)
    policy.log_provider_reads([referral], actor=actor, surface=surface, target=target, action="update")
    return referral


def open_plan_to_edit(access: policy.ChildAccess, plans: QuerySet[ChildPlan]) -> ChildPlan | None:
    """Return the child's newest open plan the user may add actions to, if any."""
    for plan in plans:
        if plan.is_open and policy.may_edit_plan(access, plan):
            return plan
    return None

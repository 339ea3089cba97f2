"""Records reached by their own id (a plan, a consent …): the child is checked first, then the record.

A route keyed by a record's id must not learn, or let its caller learn, which child the record
belongs to before the policy has said the user may see that child: these loaders do both steps and
answer Http404 alike for a missing record, a hidden child and a record the user may not read.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Model, QuerySet
from django.http import Http404

from audit import log as audit
from plans.models import ChildPlan
from sharing.models import Consent
from sharing.policy.family import FamilyAccess, family_child_for_user
from sharing.policy.records import log_shared_reads, records_for_user
from sharing.policy.relations import ChildAccess, child_for_user
from sharing.policy.statutory import consents_for, consents_managed_by


def _child_of(model: type[Model], pk: int) -> object | None:
    return model.objects.filter(pk=pk).values_list("child_id", flat=True).first()


def plan_for_user(
    user, plan_id: int, *, actor: audit.Actor, surface: str, target: str, action: str = "read", on: date | None = None
) -> tuple[ChildAccess, ChildPlan]:
    """Load a plan by its id with the access to its child, logging both reads, or raise Http404."""
    child_id = _child_of(ChildPlan, plan_id)
    if child_id is None:
        raise Http404
    access = child_for_user(user, child_id, actor=actor, surface=surface, target=target, action=action, on=on)
    rows = ChildPlan.objects.select_related("owner_authority", "lead_professional")
    plan = records_for_user(access, rows).filter(pk=plan_id).first()
    if plan is None:
        raise Http404  # a plan of another authority that no consent or decision opens
    log_shared_reads([plan], actor=actor, surface=surface, target=target, access=access, action=action)
    return access, plan


def consent_for_user(
    user,
    consent_id: int,
    *,
    actor: audit.Actor,
    surface: str,
    target: str,
    manage: bool = False,
    action: str = "read",
    on: date | None = None,
) -> tuple[ChildAccess, Consent]:
    """Load a consent by its id with the access to its child, or raise Http404 (`manage`: only the asking authority)."""
    child_id = _child_of(Consent, consent_id)
    if child_id is None:
        raise Http404
    access = child_for_user(user, child_id, actor=actor, surface=surface, target=target, action=action, on=on)
    scope: QuerySet[Consent] = consents_managed_by(access) if manage else consents_for(access)
    consent = scope.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    return access, consent


def family_consent_for_user(
    user, consent_id: int, *, actor: audit.Actor, surface: str, target: str, action: str = "read"
) -> tuple[FamilyAccess, Consent]:
    """Load a consent of a child the family user may see, by the consent's id, or raise Http404."""
    child_id = _child_of(Consent, consent_id)
    if child_id is None:
        raise Http404
    access = family_child_for_user(user, child_id, actor=actor, surface=surface, target=target, action=action)
    return access, Consent.objects.get(pk=consent_id)

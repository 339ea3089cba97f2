"""Blocks (spärr): an owning authority closes a category of its information to everyone outside it.

The policy (`records_for_user`) lets no consent, disclosure decision or emergency access open a
blocked category. Placing one is a manager's decision with a recorded ground and reason (a reason
for not sharing); lifting needs a fresh re-authentication and is logged.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.reauth import REAUTH_MAX_AGE_SECONDS
from audit import log as audit
from organisations.models import Authority
from sharing import policy
from sharing.models import Block
from sharing.services.disclosures import DECIDABLE_CATEGORIES, NOT_A_DECIDER

NEEDS_CATEGORY = _("Välj vilken kategori av uppgifter som ska spärras.")
NEEDS_GROUND = _("Välj grunden för spärren.")
NEEDS_REASON = _("Skriv varför uppgifterna ska spärras.")
ALREADY_BLOCKED = _("Kategorin är redan spärrad för barnet. Häv den gamla spärren först om den ska ändras.")
NEEDS_REAUTH = _("Bekräfta med ditt lösenord och en ny engångskod innan du häver spärren.")
NEEDS_LIFT_REASON = _("Skriv varför spärren hävs.")
ALREADY_LIFTED = _("Spärren är redan hävd.")


def _record(block: Block, *, access, actor, action: str, surface: str, target: str, reason: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        surface=surface,
        target=target,
        basis=access.basis,
        child_id=block.child_id,
        record_type="Block",
        record_id=str(block.pk),
        reason=reason,
    )


@transaction.atomic
def block_place(
    *,
    access: policy.ChildAccess,
    user,
    owner_authority: Authority,
    category: str,
    ground: str,
    reason: str,
    actor: audit.Actor,
    surface: str,
    target: str,
) -> Block:
    """Close a category of the owning authority's information about a child to every other authority."""
    if not policy.deciding_authorities(user).filter(pk=owner_authority.pk).exists():
        raise PermissionDenied(NOT_A_DECIDER)
    errors: dict[str, list] = {}
    if category not in {value for value, _label in DECIDABLE_CATEGORIES}:
        errors["category"] = [NEEDS_CATEGORY]
    if ground not in Block.Ground.values:
        errors["ground"] = [NEEDS_GROUND]
    if not reason.strip():
        errors["reason"] = [NEEDS_REASON]
    active = Block.objects.filter(
        child=access.child, owner_authority=owner_authority, category=category, lifted_at__isnull=True
    )
    if "category" not in errors and active.exists():
        errors["category"] = [ALREADY_BLOCKED]
    if errors:
        raise ValidationError(errors)
    block = Block(
        child=access.child,
        owner_authority=owner_authority,
        category=category,
        ground=ground,
        reason=reason.strip(),
        created_by=user,
    )
    block.full_clean()
    block.save()
    _record(block, access=access, actor=actor, action="create", surface=surface, target=target)
    return block


@transaction.atomic
def block_lift(
    *,
    access: policy.ChildAccess,
    block: Block,
    user,
    lift_reason: str,
    reauthenticated_at: datetime | None,
    actor: audit.Actor,
    surface: str,
    target: str,
) -> Block:
    """Lift a block after a fresh re-authentication; the category opens again where a ground exists."""
    if not policy.deciding_authorities(user).filter(pk=block.owner_authority_id).exists():
        raise PermissionDenied(NOT_A_DECIDER)
    now = timezone.now()
    errors: dict[str, list] = {}
    if reauthenticated_at is None or not (
        timedelta(0) <= now - reauthenticated_at <= timedelta(seconds=REAUTH_MAX_AGE_SECONDS)
    ):
        errors["__all__"] = [NEEDS_REAUTH]
    if not lift_reason.strip():
        errors["lift_reason"] = [NEEDS_LIFT_REASON]
    if errors:
        raise ValidationError(errors)
    block = Block.objects.select_for_update().get(pk=block.pk)
    if block.lifted_at is not None:
        raise ValidationError(ALREADY_LIFTED)
    block.lifted_at = now
    block.lifted_by = user
    block.lift_reason = lift_reason.strip()
    block.full_clean()
    block.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    _record(
        block, access=access, actor=actor, action="update", surface=surface, target=target, reason=block.lift_reason
    )
    return block

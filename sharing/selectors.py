"""Reads for consent and lawful sharing, each limited in SQL to what the asking user may see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import BooleanField, Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from organisations.models import Authority, Membership
from people.models import Child
from sharing import policy
from sharing.models import EmergencyAccess

# --- Blocks (spärrar) ---

# Blocks in force first, then the most recently lifted; explicit about NULLs, which SQLite sorts first and
# PostgreSQL last.
BLOCK_ORDER = (F("lifted_at").desc(nulls_first=True), "-created_at", "-pk")

# --- Emergency access (nödåtkomst) ---


def active_emergency_accesses(user, *, at: datetime | None = None) -> QuerySet[EmergencyAccess]:
    """Return the user's own emergency accesses running now, soonest ending first (one query, for the banner)."""
    at = at or timezone.now()
    return (
        # Only an access that opens anything: a row for someone outside health care never shows as running.
        EmergencyAccess.objects.filter(
            policy.emergency_active(at), policy.emergency.in_force(timezone.localdate(at)), user=user
        )
        .select_related("child", "owner_authority")
        .order_by("ends_at", "pk")
    )


def emergency_authority_choices(user) -> QuerySet[Authority]:
    """Return the authorities whose records the user could open in an emergency: other health-care authorities."""
    sectors = policy.emergency.emergency_rules().sectors  # sammanhållen journalföring is between health-care providers
    return (
        Authority.objects.filter(sector__in=sectors)
        .exclude(pk__in=policy.user_authorities(user).values("pk"))
        .order_by("name")
    )


def own_emergency_accesses(user) -> QuerySet[EmergencyAccess]:
    """Return all of the user's own emergency accesses, running ones first, then the rest newest first.

    Each row carries `running` (in force now). Only the holder's own rows: nobody learns of another's.
    """
    running = Case(
        When(policy.emergency_active(timezone.now()), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        policy.own_emergency_rows(user)
        .annotate(running=running)
        .select_related("child", "owner_authority")
        .order_by("-running", "-started_at", "-pk")
    )


def own_emergency_access(user, pk: int) -> EmergencyAccess:
    """Return one of the user's own emergency accesses, or raise Http404 (someone else's looks missing)."""
    emergency = policy.own_emergency_rows(user).select_related("child", "owner_authority").filter(pk=pk).first()
    if emergency is None:
        raise Http404
    return emergency


def emergency_review_queue(user) -> QuerySet[EmergencyAccess]:
    """Return the emergency accesses to the user's managed authorities, those awaiting review first."""
    pending_first = Case(When(review=EmergencyAccess.Review.PENDING, then=Value(0)), default=Value(1))
    return (
        policy.reviewable_emergency_rows(user)
        .annotate(pending_order=pending_first, started_on=TruncDate("started_at"))
        .annotate(holder_unit=_holder_unit())
        .select_related("child", "user", "owner_authority", "reviewed_by")
        .order_by("pending_order", "-started_at", "-pk")
    )


def emergency_for_reviewer(user, pk: int) -> EmergencyAccess:
    """Return an emergency access the user may review, or raise Http404 (another authority's looks missing)."""
    emergency = emergency_review_queue(user).filter(pk=pk).first()
    if emergency is None:
        raise Http404
    return emergency


def _holder_unit(field: str = "unit__name") -> Subquery:
    """Return the holder's unit (or its authority) on the day the access started, from the memberships."""
    started_on = OuterRef("started_on")  # annotated by the caller: TruncDate cannot wrap an OuterRef
    current = Membership.objects.filter(user=OuterRef("user"), valid_from__lte=started_on).exclude(
        valid_to__lt=started_on
    )
    return Subquery(current.order_by("-valid_from", "pk").values(field)[:1])


def emergency_accesses_for_family(child: Child) -> QuerySet[EmergencyAccess]:
    """Return the child's emergency accesses that have started (running or over), newest first, for the family.

    Each row carries who (`user` with its name, `holder_unit`, `holder_authority`: where they worked
    when it started), whose information was opened (`owner_authority`), when (`started_at`, and
    `closed_at`: when it ended or will end), `reason`, and the review outcome (`review`,
    `get_review_display()`, `reviewed_at`). The reviewer's note is internal and not meant for the family.
    """
    return (
        EmergencyAccess.objects.filter(child=child, started_at__lte=timezone.now())
        .annotate(started_on=TruncDate("started_at"))
        .annotate(
            holder_unit=_holder_unit(),
            holder_authority=_holder_unit("unit__authority__name"),
            closed_at=Coalesce("ended_at", "ends_at"),
        )
        .select_related("user", "owner_authority")
        .order_by("-started_at", "-pk")
    )

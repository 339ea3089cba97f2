"""What a provider's staff see of the referrals to their interventions, and an intake unit of the requests to it.

A referral is the referring authority's record of the child and is read by that authority, the named
person and the plan's participants through `records_for_user`. The provider's staff have a basis of
their own (`Basis.REFERRAL`): they see what the referral itself carries (intervention, status, dates,
reason, the child's name, masked for a protected child) for the referrals to their own unit's
interventions, and nothing more of the child. This is one function beside the relations, not a row
of `RELATIONS`: a referral does not make the child visible anywhere else.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from audit import log as audit
from catalogue.models import Referral, SupportRequest
from sharing.policy.rules import INTAKE_ROLES, UNIT_ACCESS_ROLES, Basis, consults, today
from sharing.policy.staff import current_memberships

__all__ = [
    "intake_unit_ids",
    "log_intake_reads",
    "log_provider_reads",
    "referral_for_provider",
    "referrals_for_provider",
    "request_for_intake",
    "requests_by_family_user",
    "requests_for_intake",
]


@consults
def referrals_for_provider(user, *, on: date | None = None) -> QuerySet[Referral]:
    """Return the referrals to interventions of the units where the user works with children, newest first.

    Only staff whose role works with children at the unit (not analysts or administrators) handle
    the queue; anonymous, disabled and former staff get none.
    """
    if not (user.is_authenticated and user.is_active):
        return Referral.objects.none()  # deny by default
    units = current_memberships(user, on=on or today()).units(UNIT_ACCESS_ROLES)
    return (
        Referral.objects.filter(intervention__provider__unit__in=units)
        .select_related("child", "intervention", "intervention__provider")
        .order_by("-requested_on", "-pk")
    )


def log_provider_reads(rows, *, actor: audit.Actor, surface: str, target: str, action: str = "read") -> None:
    """Write one audit row per referral a provider's staff read or changed, with the basis `referral_to_provider`."""
    for row in rows:
        audit.record(
            actor=actor,
            action=action,
            surface=surface,
            target=target,
            basis=Basis.REFERRAL,
            child_id=row.child_id,
            record_type="Referral",
            record_id=str(row.pk),
        )


@consults
def referral_for_provider(
    user, referral_id: int, *, actor: audit.Actor, surface: str, target: str, action: str = "read"
) -> Referral:
    """Load one referral of the user's queue and log it, or raise Http404 (missing or another unit's alike)."""
    referral = referrals_for_provider(user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    log_provider_reads([referral], actor=actor, surface=surface, target=target, action=action)
    return referral


# --- The one way in: requests for support to an intake unit ---


def intake_unit_ids(user, *, on: date | None = None) -> list[int]:
    """Return the units where the user holds the intake role today."""
    if not (user.is_authenticated and user.is_active):
        return []
    return current_memberships(user, on=on or today()).units(INTAKE_ROLES)


@consults
def requests_for_intake(user, *, on: date | None = None) -> QuerySet[SupportRequest]:
    """Return the requests for support made to the units where the user holds the intake role, newest first.

    The intake's staff see what the request carries (the concern, who asked, the child's name, masked
    for a protected child); it gives them no wider view of the child.
    """
    return (
        SupportRequest.objects.filter(intake_unit__in=intake_unit_ids(user, on=on))
        .select_related("child", "intake_unit", "referral", "referral__intervention", "team")
        .order_by("-received_at", "-pk")
    )


def log_intake_reads(rows, *, actor: audit.Actor, surface: str, target: str, action: str = "read") -> None:
    """Write one audit row per request the intake's staff read or changed, with the basis `request_to_intake`."""
    for row in rows:
        audit.record(
            actor=actor,
            action=action,
            surface=surface,
            target=target,
            basis=Basis.INTAKE,
            child_id=row.child_id,
            record_type="SupportRequest",
            record_id=str(row.pk),
        )


@consults
def request_for_intake(
    user, request_id: int, *, actor: audit.Actor, surface: str, target: str, action: str = "read"
) -> SupportRequest:
    """Load one request of the user's intake and log it, or raise Http404 (missing or another unit's alike)."""
    found = requests_for_intake(user).filter(pk=request_id).first()
    if found is None:
        raise Http404
    log_intake_reads([found], actor=actor, surface=surface, target=target, action=action)
    return found


@consults
def requests_by_family_user(access) -> QuerySet[SupportRequest]:
    """Return the requests the family user (a `FamilyAccess`) made about the child, newest first.

    What a family asks for is theirs: each guardian or young person sees their own requests and how far
    they have come, not another guardian's (who may not wish to be known to have asked).
    """
    return (
        SupportRequest.objects.filter(child=access.child, requested_by_id=access.user_id)
        .select_related("intake_unit")
        .order_by("-received_at", "-pk")
    )

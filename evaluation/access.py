"""Who may follow up outcomes, and for which municipalities and units: aggregates only, never a child."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from organisations.models import Municipality, Unit
from sharing import policy


def municipalities_for(user, *, mine: policy.CurrentMemberships | None = None) -> QuerySet[Municipality]:
    """The municipalities whose figures the user may see: those of the authorities where they are manager or analyst.

    `mine` is the user's memberships when already loaded for the request (`policy.request_memberships`).
    """
    mine = mine if mine is not None else policy.current_memberships(user)
    roles = policy.ACTIONS[policy.Action.FOLLOW_UP_OUTCOMES]
    authority_ids = {row.authority for row in mine.rows if row.role in roles}  # only the follow-up roles count
    return Municipality.objects.filter(authorities__in=authority_ids).distinct()


def municipality_for(user, municipality_id: int, *, mine: policy.CurrentMemberships | None = None) -> Municipality:
    """Load a municipality the user may follow up; any other is the same 404 as a missing one."""
    municipality = municipalities_for(user, mine=mine).filter(pk=municipality_id).first()
    if municipality is None:
        raise Http404
    return municipality


def unit_for(user, unit_id: int, *, mine: policy.CurrentMemberships | None = None) -> Unit:
    """Load a unit of a municipality the user may follow up; any other is the same 404 as a missing one."""
    unit = (
        Unit.objects.select_related("authority").filter(
            pk=unit_id, authority__municipality__in=municipalities_for(user, mine=mine)
        )
    ).first()
    if unit is None:
        raise Http404
    return unit

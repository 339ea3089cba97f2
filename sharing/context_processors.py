"""Template context for sharing: the emergency-access banner shown on every page while an access runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from core.access import is_verified
from sharing import policy, selectors


@dataclass(frozen=True)
class BannerRow:
    pk: int
    child_id: UUID
    child_name: str  # empty unless the page itself is about this child and already shows its name
    authority: str
    ends_at: datetime


def emergency_banner(request):
    """Expose the user's running emergency accesses: one query on the indexed user column, none before 2FA.

    An access opens, and so runs, only while its holder may start one (`policy.emergency.in_force`): a
    user whose memberships, already loaded for the request, give no such role has none running, and
    no query is made. A family user never holds an emergency access (starting one needs a staff relation).
    """
    user = getattr(request, "user", None)
    if user is None or not is_verified(user):
        return {}
    mine = policy.request_memberships(request)
    if not policy.emergency.may_start(user, on=mine.on, mine=mine):
        return {"emergency_banner": []}
    match = getattr(request, "resolver_match", None)
    page_child = str((match.kwargs if match else {}).get("child_id", ""))
    rows = [
        BannerRow(
            pk=emergency.pk,
            child_id=emergency.child_id,
            # The name only where the page is about this child: that page has already loaded and logged it.
            child_name=str(emergency.child) if str(emergency.child_id) == page_child else "",
            authority=emergency.owner_authority.name,
            ends_at=emergency.ends_at,
        )
        for emergency in selectors.active_emergency_accesses(user)
    ]
    return {"emergency_banner": rows}

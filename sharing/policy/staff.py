"""The user's side of every rule: current memberships, authorities, roles, and the actor audit rows name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db.models import QuerySet

from audit import log as audit
from organisations.models import Authority, Membership
from sharing.policy.rules import ACTIONS, Action, actions_for_roles, consults, current, today


def memberships(user, *, on: date | None = None) -> QuerySet[Membership]:
    """Return the user's memberships current on a day."""
    on = on or today()
    return Membership.objects.filter(current(on), user=user, user__is_active=True)


def user_authorities(user, *, on: date | None = None) -> QuerySet[Authority]:
    """Return the authorities the user currently works for."""
    return Authority.objects.filter(units__memberships__in=memberships(user, on=on)).distinct()


def administered_authorities(user, *, on: date | None = None) -> QuerySet[Authority]:
    """Return the authorities the user administers today: those where they hold a role of the ADMINISTER action.

    An administrator starts the imports of their own authority only (an SS12000 sync of its school system);
    an administrator of another authority, or anyone without the role, administers none.
    """
    administering = memberships(user, on=on).filter(role__in=ACTIONS[Action.ADMINISTER])
    return Authority.objects.filter(units__memberships__in=administering).distinct()


@consults
def has_role(user, roles: frozenset[str], *, on: date | None = None, mine: CurrentMemberships | None = None) -> bool:
    """Return whether the user holds one of the roles on the day (from `mine`, when loaded for that day)."""
    if mine is not None and mine.on == (on or today()):
        return bool(mine.roles & roles)
    return memberships(user, on=on).filter(role__in=roles).exists()


class MembershipRow(NamedTuple):
    """One current membership: where and as what the user works, and the names audit rows use."""

    unit: int
    role: str
    authority: int
    unit_name: str
    authority_name: str
    unit_type: str
    sector: str  # the authority's sector


@dataclass(frozen=True)
class CurrentMemberships:
    """The user's memberships current on a day, loaded once: (unit, role, authority) and the names audit rows use.

    The relation rules then compare with these few units instead of repeating the membership
    sub-query in each rule, and the questions about the user's roles (`roles`, the menu's actions,
    `emergency.may_start`, the report-receiving units) are answered from the same rows; they are exactly
    those `memberships(user, on=on)` returns, by id.
    """

    on: date
    rows: tuple[MembershipRow, ...]

    def units(self, roles: frozenset[str]) -> list[int]:
        return sorted({unit for unit, role, *_ in self.rows if role in roles})

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.rows)

    def unit_roles(self) -> list[tuple[int, str]]:
        return sorted({(unit, role) for unit, role, *_ in self.rows})

    @property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(unit for unit, *_ in self.rows)

    @property
    def authority_ids(self) -> frozenset[int]:
        return frozenset(authority for _, _, authority, *_ in self.rows)


_MEMBERSHIP_COLUMNS = (
    "unit_id",
    "role",
    "unit__authority_id",
    "unit__name",
    "unit__authority__name",
    "unit__unit_type",
    "unit__authority__sector",
)


def current_memberships(user, *, on: date | None = None) -> CurrentMemberships:
    """Load the user's current memberships in one query."""
    on = on or today()
    if not (user.is_authenticated and user.is_active):
        return CurrentMemberships(on, ())  # `memberships` finds none for them either
    rows = memberships(user, on=on).order_by("pk").values_list(*_MEMBERSHIP_COLUMNS)
    return CurrentMemberships(on, tuple(MembershipRow(*row) for row in rows))


_REQUEST_ATTRIBUTE = "_samplan_memberships"


def request_memberships(request) -> CurrentMemberships:
    """Return the signed-in user's memberships today, loaded once per request and shared by everything that asks.

    The page's policy checks, its audit actor, the menu and the emergency banner all read these rows,
    so a page loads them in one query. A request that changes the user's own memberships and then
    reads them again passes `current_memberships` fresh; the next request loads them anew anyway.
    """
    on = today()
    cached = getattr(request, _REQUEST_ATTRIBUTE, None)
    if cached is None or cached.on != on:
        cached = current_memberships(request.user, on=on)
        setattr(request, _REQUEST_ATTRIBUTE, cached)
    return cached


@consults
def may(user, action: str, *, on: date | None = None) -> bool:
    """Return whether the user's current roles give the action (fail closed: an unknown action raises)."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    return has_role(user, ACTIONS[action], on=on)


def allowed_actions(user, *, on: date | None = None, mine: CurrentMemberships | None = None) -> frozenset[str]:
    """Return every action the user's current roles give, from one query (none when `mine` is loaded for the day)."""
    if mine is not None and mine.on == (on or today()):
        return actions_for_roles(mine.roles)
    return actions_for_roles(memberships(user, on=on).values_list("role", flat=True))


def page_actor(request, *, mine: CurrentMemberships | None = None) -> audit.Actor:
    """Describe the signed-in user of a page request for audit rows (session-bound, like every page read)."""
    mine = mine if mine is not None else request_memberships(request)
    return actor_for(request.user, session_key=request.session.session_key, mine=mine)


def actor_for(
    user, *, session_key: str | None, on: date | None = None, mine: CurrentMemberships | None = None
) -> audit.Actor:
    """Describe the acting user for audit rows (from `mine`, the user's memberships, when already loaded)."""
    current = mine if mine is not None and mine.on == (on or today()) else current_memberships(user, on=on)
    first = current.rows[0] if current.rows else None  # the earliest membership names the authority
    return audit.Actor(
        user_id=user.pk,
        username=user.get_username(),
        unit_name=", ".join(sorted({row.unit_name for row in current.rows})),
        authority_id=first.authority if first else None,
        authority_name=first.authority_name if first else "",
        session_hash=hashlib.sha256(session_key.encode()).hexdigest() if session_key else "",
    )

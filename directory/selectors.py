"""Who may be picked for a child's plan or a team, and the typeahead search within them: staff only, never child data.

`allowed_staff` is the one rule the pickers' drop-downs, their form validation and the typeahead share:
an active user with a current membership in a role the purpose allows, in the given authorities.

- A plan (`PLAN`): a role that works with children, in the authorities taking part in the plan (the
  lead professional) or in any authority (participants, action owners).
- A team (`TEAM`): a role that may take part in teams (`policy.Action.TAKE_PART_IN_TEAMS`), at an
  authority of the team's municipality (`team_staff`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from organisations.models import Authority, Membership
from sharing import policy

MIN_CHARS = 2
MAX_RESULTS = 20
_SALT = "directory.people-picker"

PLAN = "plan"
TEAM = "team"
# The roles whose current membership makes a user pickable, per purpose.
PURPOSE_ROLES = {
    PLAN: policy.UNIT_ACCESS_ROLES,
    TEAM: policy.ACTIONS[policy.Action.TAKE_PART_IN_TEAMS],
}


def _memberships(authorities: Iterable[int] | None, purpose: str = PLAN) -> QuerySet[Membership]:
    rows = Membership.objects.filter(policy.current(policy.today()), role__in=PURPOSE_ROLES[purpose])
    return rows if authorities is None else rows.filter(unit__authority__in=sorted(set(authorities)))


def allowed_staff(authorities: Iterable[int] | None = None, *, purpose: str = PLAN) -> QuerySet[User]:
    """Return the staff who may be picked: a current membership in a role of the purpose (in the authorities given)."""
    members = _memberships(authorities, purpose)
    return (
        User.objects.filter(is_active=True, memberships__in=members)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def team_authorities(team) -> list[int]:
    """Return the authorities whose staff may join the team: those of the team's municipality."""
    return list(Authority.objects.filter(municipality=team.municipality_id).order_by("pk").values_list("pk", flat=True))


def team_staff(team) -> QuerySet[User]:
    """Return the staff who may be added to the team: the one rule of the team's member picker and its validation."""
    return allowed_staff(team_authorities(team), purpose=TEAM)


@dataclass(frozen=True)
class Scope:
    purpose: str
    authorities: list[int] | None


def scope_sign(authorities: Iterable[int] | None, *, purpose: str = PLAN) -> str:
    """Return the allowed set as a signed token the search accepts back (the form's view decided it)."""
    value = {"p": purpose, "a": None if authorities is None else sorted(set(authorities))}
    return signing.dumps(value, salt=_SALT, compress=True)


def scope_read(token: str) -> Scope:
    """Return the purpose and authorities of a signed scope; raise signing.BadSignature for a forged or broken one."""
    value = signing.loads(token, salt=_SALT)
    if not isinstance(value, dict) or value.get("p") not in PURPOSE_ROLES:
        raise signing.BadSignature("not a scope")
    authorities = value.get("a")
    if authorities is not None and not (
        isinstance(authorities, list) and all(isinstance(pk, int) for pk in authorities)
    ):
        raise signing.BadSignature("not a scope")
    return Scope(value["p"], authorities)


@dataclass(frozen=True)
class Hit:
    pk: int
    name: str
    title: str
    places: str  # unit (authority), for each allowed current membership


def staff_search(query: str, authorities: list[int] | None, *, purpose: str = PLAN) -> list[Hit]:
    """Return at most MAX_RESULTS allowed staff whose names (or title) match every word of the query."""
    words = query.split()
    if len(query.strip()) < MIN_CHARS:
        return []
    rows = allowed_staff(authorities, purpose=purpose)
    for word in words[:5]:
        rows = rows.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(title__icontains=word))
    members = _memberships(authorities, purpose).select_related("unit__authority").order_by("unit__name")
    rows = rows.prefetch_related(Prefetch("memberships", queryset=members, to_attr="allowed_memberships"))
    hits = []
    for user in rows[:MAX_RESULTS]:
        places = sorted({f"{row.unit.name} ({row.unit.authority.name})" for row in user.allowed_memberships})
        hits.append(Hit(user.pk, user.get_full_name() or user.get_username(), user.title, ", ".join(places)))
    return hits

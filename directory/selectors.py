"""Who may be picked for a child's plan, and the typeahead search within them: staff only, never child data.

`allowed_staff` is the one rule the plan's drop-downs, their form validation and the typeahead share:
an active user with a current membership in a role that works with children, in the given
authorities (the plan's lead professional) or in any authority (participants, action owners).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from organisations.models import Membership
from sharing import policy

MIN_CHARS = 2
MAX_RESULTS = 20
_SALT = "directory.people-picker"


def _memberships(authorities: Iterable[int] | None) -> QuerySet[Membership]:
    rows = Membership.objects.filter(policy.current(policy.today()), role__in=policy.UNIT_ACCESS_ROLES)
    return rows if authorities is None else rows.filter(unit__authority__in=sorted(set(authorities)))


def allowed_staff(authorities: Iterable[int] | None = None) -> QuerySet[User]:
    """Return the staff who may be picked: a current child-work membership (in the authorities, when given)."""
    members = _memberships(authorities)
    return (
        User.objects.filter(is_active=True, memberships__in=members)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def scope_sign(authorities: Iterable[int] | None) -> str:
    """Return the allowed set as a signed token the search accepts back (the form's view decided it)."""
    return signing.dumps(None if authorities is None else sorted(set(authorities)), salt=_SALT, compress=True)


def scope_read(token: str) -> list[int] | None:
    """Return the authorities of a signed scope; raise signing.BadSignature for a forged or broken one."""
    value = signing.loads(token, salt=_SALT)
    if value is not None and not (isinstance(value, list) and all(isinstance(pk, int) for pk in value)):
        raise signing.BadSignature("not a scope")
    return value


@dataclass(frozen=True)
class Hit:
    pk: int
    name: str
    title: str
    places: str  # unit (authority), for each allowed current membership


def staff_search(query: str, authorities: list[int] | None) -> list[Hit]:
    """Return at most MAX_RESULTS allowed staff whose names (or title) match every word of the query."""
    words = query.split()
    if len(query.strip()) < MIN_CHARS:
        return []
    rows = allowed_staff(authorities)
    for word in words[:5]:
        rows = rows.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(title__icontains=word))
    members = _memberships(authorities).select_related("unit__authority").order_by("unit__name")
    rows = rows.prefetch_related(Prefetch("memberships", queryset=members, to_attr="allowed_memberships"))
    hits = []
    for user in rows[:MAX_RESULTS]:
        places = sorted({f"{row.unit.name} ({row.unit.authority.name})" for row in user.allowed_memberships})
        hits.append(Hit(user.pk, user.get_full_name() or user.get_username(), user.title, ", ".join(places)))
    return hits

"""The one access policy: who may see which child, and which of its records, on what basis.

Every read of child data goes through this module. Each rule sits on its own line with the
reason beside it. Lists filter in SQL; a child the user may not see is indistinguishable from
a child that does not exist (Http404). Every successful read is written to the audit log in
the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from audit import log as audit
from namedperson.models import Assignment
from organisations.models import Authority, Membership, Role
from people.models import Child, Enrolment
from sharing.categories import OPEN_TO_ANY_RELATION, Category
from sharing.models import AccessAssignment


class Basis:
    NAMED_PERSON = "named_person"
    ENROLMENT = "enrolment"
    ASSIGNMENT = "assignment"
    LOOKUP = "identity_lookup"
    OWN_RECORD = "own_authority"


# Roles that see children enrolled at their own unit. Analysts and administrators work with
# aggregates and configuration, never with individual children.
UNIT_ACCESS_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.MIDWIFE,
        Role.CHILD_HEALTH_NURSE,
        Role.HEAD_TEACHER,
        Role.SOCIAL_WORKER,
        Role.MANAGER,
    }
)
# Roles whose work requires finding a child by personal number (new enrolments, reports, referrals).
LOOKUP_ROLES = frozenset({Role.MIDWIFE, Role.CHILD_HEALTH_NURSE, Role.HEAD_TEACHER, Role.SOCIAL_WORKER})
# Roles that oversee named-person coverage for their authority.
OVERSIGHT_ROLES = frozenset({Role.MANAGER, Role.HEAD_TEACHER})


def today() -> date:
    return timezone.localdate()


def _current(on: date, start: str = "valid_from", end: str = "valid_to", *, end_exclusive: bool = False) -> Q:
    ends = Q(**{f"{end}__gt" if end_exclusive else f"{end}__gte": on})
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | ends)


def memberships(user, *, on: date | None = None) -> QuerySet[Membership]:
    """Return the user's memberships current on a day."""
    on = on or today()
    return Membership.objects.filter(_current(on), user=user, user__is_active=True)


def user_authorities(user, *, on: date | None = None) -> QuerySet[Authority]:
    """Return the authorities the user currently works for."""
    return Authority.objects.filter(units__memberships__in=memberships(user, on=on)).distinct()


def has_role(user, roles: frozenset[str], *, on: date | None = None) -> bool:
    return memberships(user, on=on).filter(role__in=roles).exists()


def _named_person_rows(user, on: date) -> QuerySet[Assignment]:
    return Assignment.objects.filter(_current(on, "start", "end", end_exclusive=True), person=user)


def _enrolment_rows(user, on: date) -> QuerySet[Enrolment]:
    units = memberships(user, on=on).filter(role__in=UNIT_ACCESS_ROLES).values("unit")
    return Enrolment.objects.filter(_current(on, "start", "end"), unit__in=units)


def _assignment_rows(user, on: date) -> QuerySet[AccessAssignment]:
    return AccessAssignment.objects.filter(_current(on), user=user)


def visible_children(user, *, on: date | None = None) -> QuerySet[Child]:
    """Return, as one SQL query, every child the user has an active relation to."""
    if not (user.is_authenticated and user.is_active):
        return Child.objects.none()  # deny by default: anonymous and disabled users see no child
    on = on or today()
    return Child.objects.filter(
        Q(pk__in=_named_person_rows(user, on).values("child"))  # the child's named person
        | Q(pk__in=_enrolment_rows(user, on).values("child"))  # enrolled at the user's unit, role with access
        | Q(pk__in=_assignment_rows(user, on).values("child"))  # explicitly assigned, time-limited
    )


@dataclass(frozen=True)
class ChildAccess:
    """A child the user may see, how, and what the user may see of protected details."""

    child: Child
    basis: str
    sees_protected_details: bool
    authority_ids: frozenset[int]
    on: date

    def may_see_record(self, owner_authority_id: int, category: str) -> bool:
        """Return whether a single record of this child is visible (for records already loaded)."""
        return _record_visible(self.authority_ids, owner_authority_id, category)


def _record_visible(authority_ids: frozenset[int], owner_authority_id: int, category: str) -> bool:
    if category not in Category.values:
        raise ValueError(f"Unknown information category {category!r}.")  # fail closed
    if category in OPEN_TO_ANY_RELATION:
        return True  # identity and named person are shared with every relation
    return owner_authority_id in authority_ids  # otherwise only the owning authority's own records


def actor_for(user, *, session_key: str | None, on: date | None = None) -> audit.Actor:
    """Describe the acting user for audit rows."""
    current = list(memberships(user, on=on).select_related("unit__authority").order_by("pk"))
    first = current[0].unit.authority if current else None
    return audit.Actor(
        user_id=user.pk,
        username=user.get_username(),
        unit_name=", ".join(sorted({m.unit.name for m in current})),
        authority_id=first.pk if first else None,
        authority_name=first.name if first else "",
        session_hash=hashlib.sha256(session_key.encode()).hexdigest() if session_key else "",
    )


def child_for_user(
    user,
    child_id: UUID | str,
    *,
    actor: audit.Actor,
    surface: str,
    target: str,
    action: str = "read",
    on: date | None = None,
) -> ChildAccess:
    """Load a child the user may see and log the access, or raise Http404 (missing or forbidden alike)."""
    if not (user.is_authenticated and user.is_active):
        raise Http404
    on = on or today()
    try:
        child_id = UUID(str(child_id))
    except ValueError as exc:
        raise Http404 from exc
    child = (
        Child.objects.filter(pk=child_id)
        .annotate(
            via_named_person=Exists(_named_person_rows(user, on).filter(child=OuterRef("pk"))),
            via_enrolment=Exists(_enrolment_rows(user, on).filter(child=OuterRef("pk"))),
            via_assignment=Exists(_assignment_rows(user, on).filter(child=OuterRef("pk"))),
            protected_need=Exists(_assignment_rows(user, on).filter(child=OuterRef("pk"), sees_protected_details=True)),
        )
        .select_related("municipality")
        .first()
    )
    if child is None:
        raise Http404
    if child.via_named_person:
        basis = Basis.NAMED_PERSON
    elif child.via_enrolment:
        basis = Basis.ENROLMENT
    elif child.via_assignment:
        basis = Basis.ASSIGNMENT
    else:
        raise Http404  # no active relation: same answer as a child that does not exist
    # Protected identity: only the named person and a documented secrecy assessment see where the child is.
    sees_protected = (not child.is_protected) or child.via_named_person or child.protected_need
    audit.record(
        actor=actor,
        action=action,
        surface=surface,
        target=target,
        basis=basis,
        child_id=child.pk,
        record_type="Child",
        record_id=str(child.pk),
    )
    return ChildAccess(
        child=child,
        basis=basis,
        sees_protected_details=sees_protected,
        authority_ids=_authority_ids(user, on),
        on=on,
    )


def _authority_ids(user, on: date) -> frozenset[int]:
    return frozenset(user_authorities(user, on=on).values_list("pk", flat=True))


def records_for_user(access: ChildAccess, queryset: QuerySet) -> QuerySet:
    """Filter a queryset of the child's records to those the user may see, in SQL."""
    model = queryset.model
    field_names = {f.name for f in model._meta.get_fields()}
    if not {"owner_authority", "category", "child"} <= field_names:
        raise TypeError(f"{model.__name__} does not carry owner_authority, category and child.")  # fail closed
    return queryset.filter(child=access.child).filter(
        Q(category__in=OPEN_TO_ANY_RELATION)  # identity and named person: any relation
        | Q(owner_authority__in=access.authority_ids)  # the user's own authority's records
    )


def lookup_child_by_number(
    user, number: str, *, reason: str, actor: audit.Actor, surface: str, target: str
) -> Child | None:
    """Find a visible child by identity number for a role that needs it; the lookup is always logged."""
    from core import personnummer

    if not has_role(user, LOOKUP_ROLES):
        raise PermissionError("role may not look children up by personal number")
    if not reason.strip():
        raise ValueError("a reason is required")
    normalised = personnummer.normalise(number)
    child = visible_children(user).filter(identity_number=normalised).first()
    audit.record(
        actor=actor,
        action="lookup",
        surface=surface,
        target=target,
        basis=Basis.LOOKUP,
        child_id=child.pk if child else None,
        record_type="Child" if child else "",
        record_id=str(child.pk) if child else "",
        reason=reason.strip(),
    )
    return child

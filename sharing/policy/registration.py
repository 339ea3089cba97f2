"""Registration by hand: in which municipality a registrar registers, and the children and units open to them there.

A registrar works for one of the municipality's own committees and registers the children of that
municipality: identity, guardians and custody, enrolments and placements at any unit in it (the
municipality's own and the independent ones it pays). A registrar sees no records beyond these
registration facts; the casework stays behind the relation rules. Everything here is read-only;
`registration.services` writes, each write audited. A registrar's decision about one child is a
`RegistrationAccess`; `registration.selectors` loads the child's guardians and enrolments from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from audit import log as audit
from organisations.models import Authority, Municipality, Unit
from people.models import Child, Protection
from registration.models import ChildMerge
from sharing.policy.relations import checked_children
from sharing.policy.rules import REGISTRATION_ROLES, Basis, consults, today
from sharing.policy.staff import CurrentMemberships, current_memberships, memberships

__all__ = [
    "RegistrationAccess",
    "may_register",
    "registrable_children",
    "registration_access",
    "registration_child",
    "registration_duplicates",
    "registration_municipalities",
    "registration_units",
]

# Units a child is enrolled at or placed with; a social-services team or the police is not a placement.
ENROLMENT_UNIT_TYPES = frozenset(
    {
        Unit.Type.MATERNITY_CLINIC,
        Unit.Type.CHILD_HEALTH_CENTRE,
        Unit.Type.PRESCHOOL,
        Unit.Type.SCHOOL,
        Unit.Type.UPPER_SECONDARY,
    }
)


def registration_municipalities(user, *, on: date | None = None) -> QuerySet[Municipality]:
    """Return the municipalities the user registers children in today (none for everyone else)."""
    if not (user.is_authenticated and user.is_active):
        return Municipality.objects.none()  # deny by default
    registrar = memberships(user, on=on).filter(
        role__in=REGISTRATION_ROLES,  # only registrars register
        unit__authority__kind=Authority.Kind.MUNICIPAL_COMMITTEE,  # for the municipality's own committee, not a region
    )
    return Municipality.objects.filter(pk__in=registrar.values("unit__authority__municipality"))


@consults
def may_register(user, municipality_id: int | None = None, *, on: date | None = None) -> bool:
    """Return whether the user registers in the municipality (in any municipality when none is named)."""
    municipalities = registration_municipalities(user, on=on)
    if municipality_id is not None:
        municipalities = municipalities.filter(pk=municipality_id)  # a registrar of another municipality may not
    return municipalities.exists()


@consults
def registrable_children(user, *, on: date | None = None) -> QuerySet[Child]:
    """Return the children of the municipalities the user registers in, as one queryset."""
    return Child.objects.filter(municipality__in=registration_municipalities(user, on=on))


@consults
def registration_child(
    user,
    child_id: UUID | str,
    *,
    actor: audit.Actor,
    surface: str,
    target: str,
    action: str = "read",
    on: date | None = None,
) -> Child:
    """Load a child the registrar may register for and log it, or raise Http404 (missing or forbidden alike)."""
    try:
        child_id = UUID(str(child_id))
    except ValueError as exc:
        raise Http404 from exc
    child = registrable_children(user, on=on).filter(pk=child_id).select_related("municipality").first()
    if child is None:
        raise Http404
    audit.record(
        actor=actor,
        action=action,
        surface=surface,
        target=target,
        basis=Basis.REGISTRATION,
        child_id=child.pk,
        record_type="Child",
        record_id=str(child.pk),
    )
    return child


@dataclass(frozen=True)
class RegistrationAccess:
    """A child the registrar may register for, as the policy decided it (the access was logged)."""

    child: Child
    on: date
    user_id: int | None = None
    # Protected identity: whether the registrar has a recorded secrecy assessment for the child (always true
    # for an unprotected one), and the memberships whose units the registrar already knows (`display_for`).
    sees_protected_details: bool = False
    memberships: CurrentMemberships | None = None


def _sees_protected_details(user, child: Child, *, on: date, mine: CurrentMemberships) -> bool:
    """Return whether the registrar may see what locates the child: unprotected, or assessed for it."""
    if child.protection == Protection.NONE:
        return True
    # Only an assignment with a recorded secrecy assessment shows where a protected child is (DOMAIN.md B5).
    return any(row.protected_need for row in checked_children(user, [child.pk], on=on, mine=mine))


def _known_memberships(mine: CurrentMemberships) -> CurrentMemberships:
    """Return the memberships whose units the registrar knows children at: all but the registrar role's own."""
    return CurrentMemberships(mine.on, tuple(row for row in mine.rows if row.role not in REGISTRATION_ROLES))


@consults
def registration_access(
    user,
    child_id: UUID | str,
    *,
    actor: audit.Actor,
    surface: str,
    target: str,
    action: str = "read",
    on: date | None = None,
) -> RegistrationAccess:
    """Decide and log the registrar's access to a child, or raise Http404 (missing or forbidden alike)."""
    on = on or today()
    child = registration_child(user, child_id, actor=actor, surface=surface, target=target, action=action, on=on)
    if child.protection == Protection.NONE:
        return RegistrationAccess(child=child, on=on, user_id=user.pk, sees_protected_details=True)  # nothing masked
    mine = current_memberships(user, on=on)
    return RegistrationAccess(
        child=child,
        on=on,
        user_id=user.pk,
        sees_protected_details=_sees_protected_details(user, child, on=on, mine=mine),
        memberships=_known_memberships(mine),
    )


def registration_units(user, *, on: date | None = None) -> QuerySet[Unit]:
    """Return the units of the registrar's municipalities a child can be enrolled at or placed with."""
    return (
        Unit.objects.filter(
            authority__municipality__in=registration_municipalities(user, on=on),  # in the registrar's municipality
            unit_type__in=ENROLMENT_UNIT_TYPES,  # only units children are enrolled at or listed with
        )
        .select_related("authority")
        .order_by("name", "pk")
    )


@consults
def registration_duplicates(
    user,
    *,
    number: str,
    given_name: str,
    family_name: str,
    birth_date: date | None,
    actor: audit.Actor,
    surface: str,
    target: str,
    exclude: UUID | None = None,
) -> tuple[list[Child], bool]:
    """Return the possible duplicates of a child being registered, and whether the number is taken elsewhere.

    Duplicates are the children of the registrar's municipalities with the same number, or with the
    same name and birth date. A child with the same number in another municipality is not shown (it
    is not the registrar's), only that the number is taken. The search is a look-up by personal
    number, so it is logged like one (without the number).
    """
    on = today()
    same_person = Q(identity_number=number)
    if birth_date is not None:
        same_person |= Q(
            given_name__iexact=given_name.strip(), family_name__iexact=family_name.strip(), birth_date=birth_date
        )
    found = registrable_children(user, on=on).filter(same_person)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    duplicates = list(found.order_by("family_name", "given_name", "pk")[:20])
    elsewhere = (
        Child.objects.filter(identity_number=number)
        .exclude(municipality__in=registration_municipalities(user, on=on))
        .exists()
    )
    audit.record(
        actor=actor,
        action="lookup",
        surface=surface,
        target=target,
        basis=Basis.REGISTRATION,
        record_type="Child",
        reason="Dubblettkontroll vid registrering",
    )
    for child in duplicates:  # each possible duplicate shown is a read of that child
        audit.record(
            actor=actor,
            action="read",
            surface=surface,
            target=target,
            basis=Basis.REGISTRATION,
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
        )
    return duplicates, elsewhere


def merged_history(child_id: UUID) -> Q:
    """Return the condition for a child's audit rows and those of the duplicates merged into it: its log extract."""
    duplicates = ChildMerge.objects.filter(kept_child_id=child_id).values("duplicate_child_id")
    return Q(child_id=child_id) | Q(child_id__in=duplicates)  # one statement: the merge record is a sub-query

"""The one display decision for protected identity: how a child is named, and what may locate it.

The access policy (`sharing.policy`) decides *whether* a user sees a child; this module decides
*how much* of a child with skyddade personuppgifter (DOMAIN.md B5) the user is shown. Two separate
questions:

1. The name. A protected child is named in lists, queues and counts only to its named person (who
   knows the child) and to a user assigned with a recorded secrecy assessment. Everyone else sees
   the one marker, "Skyddade personuppgifter", and a link to the child's page; a search by name
   never finds it. A page opened by the child's id still names it: the user reached it by a
   deliberate, logged act through a relation the policy checked.
2. What locates the child: the address and contact details, the names of the units it goes or went
   to (school, preschool, BVC, …) and their area, and the names of the staff who work there (a
   named person, plan participant, lead professional, chronology author or consent requester names
   the school). These are shown only with a recorded secrecy assessment: an `AccessAssignment` with
   `sees_protected_details=True`. The named person without one knows the child and its school, but
   not its address. Without a need a user still sees what they already know: their own units and
   the colleagues who work there. Every other unit and staff name is masked, failing closed, since
   no list of unit types can tell which names point at where a child lives (a social services team
   or a clinic is often named after its area).

Sekretessmarkering is treated exactly like skyddad folkbokföring: both require a careful secrecy
assessment before anything is disclosed (Skatteverket; DOMAIN.md B5), so both mask the same way.
Fingerade personuppgifter look like ordinary data and are not marked.

Templates never decide this: views pass a `Display` (or values it produced) and templates print the
result, using the one marker component `components/protected_marker.html` for whatever is masked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from organisations.models import Membership
from people.models import Child, Protection

# Roles in a plan that only staff hold (the child, guardians and others are named as written).
STAFF_ROLES = frozenset({"named_person", "lead_professional", "practitioner"})

# The one wording for anything masked because of protected identity, on pages, in exports and in the API.
MASKED = _("Skyddade personuppgifter")


def is_protected(child: Child) -> bool:
    """Return whether the child has skyddade personuppgifter of a kind Samplan masks (both kinds, see above)."""
    return child.protection != Protection.NONE


@dataclass
class Display:
    """What one user may be shown of one child: its name, and what locates it."""

    protected: bool
    name_shown: bool
    location_shown: bool
    own_unit_ids: frozenset[int]
    viewer_id: int | None
    on: date
    _known_staff: frozenset[int] | None = field(default=None, repr=False)

    @property
    def masks(self) -> bool:
        """Return whether anything that locates the child is masked for this user."""
        return not self.location_shown

    def unit(self, unit_id: int | None, name: str) -> str | None:
        """Return a unit's name, or None when it may locate the child and the user does not work there."""
        if self.location_shown or unit_id in self.own_unit_ids:
            return name
        return None

    def hides_unit(self, unit_id: int | None) -> bool:
        """Return whether a unit must not be named to this user (see `unit`)."""
        return self.unit(unit_id, "") is None

    def staff(self, user_id: int | None, name: str) -> str | None:
        """Return a staff member's name, or None when it may locate the child and is not the user's colleague."""
        if self.location_shown or (user_id is not None and user_id in self.known_staff()):
            return name
        return None

    def source_note(self, note: str) -> str | None:
        """Return who recorded a fact (a registrar and their authority, an import run), or None when it may locate.

        The note is free text naming a person and an authority, with no user to compare with the user's
        colleagues, so without a recorded secrecy assessment it is masked whenever anything is (failing closed).
        """
        return note if self.location_shown or not note else None

    def participant(self, participant) -> str | None:
        """Return a plan participant's name: staff as `staff` decides, the family and others as written."""
        if participant.user_id is None:
            return participant.name
        return self.staff(participant.user_id, participant.name)

    def recorded(self, row) -> str | None:
        """Return a name recorded in a plan version (a snapshot participant or an agreement): staff masked as above.

        A snapshot row names its staff user (`user_id`) from when it was taken; an older row without one is a
        staff member when it took part for an authority. An agreement names the participant's role.
        """
        if isinstance(row, dict):
            if row.get("user_id") is not None:
                return self.staff(row["user_id"], row["name"])
            return None if self.masks and row.get("authority") else row["name"]
        return None if self.masks and row.role in STAFF_ROLES else row.name

    def known_staff(self) -> frozenset[int]:
        """Return the user and the colleagues at the user's own units, loaded once (only when something is masked)."""
        if self._known_staff is None:
            from sharing.policy.rules import current  # the policy imports the apps whose pages use this module

            colleagues = Membership.objects.filter(current(self.on), unit__in=sorted(self.own_unit_ids)).values_list(
                "user_id", flat=True
            )
            self._known_staff = frozenset(colleagues) | {self.viewer_id}
        return self._known_staff


def display_for(access) -> Display:
    """Return the display decision for a child loaded by `policy.child_for_user` (a `ChildAccess`).

    A registrar's `policy.RegistrationAccess` carries the same decision (`sees_protected_details`, the
    memberships whose units the user knows), so the registration pages are masked by the same rule.
    """
    child = access.child
    protected = is_protected(child)
    own = access.memberships.unit_ids if access.memberships is not None else frozenset()
    return Display(
        protected=protected,
        name_shown=not protected or bool(getattr(child, "identity_shown", False)),
        location_shown=not protected or bool(access.sees_protected_details),
        own_unit_ids=frozenset(own),
        viewer_id=access.user_id,
        on=access.on,
    )


def listed_name(child: Child, *, shown: bool = False) -> str | None:
    """Return a child's name for a list row, or None (the marker) when the viewer may not see it.

    `shown` is the policy's `identity_shown` for the viewer; without it (a list not annotated by the
    policy, such as a queue of reports or emergency accesses) a protected child is never named.
    """
    if not is_protected(child) or shown:
        return f"{child.given_name} {child.family_name}"
    return None


def listed_given_name(child: Child, *, shown: bool = False) -> str | None:
    """Return the child's given name where `listed_name` names the child, or None: the same decision."""
    return child.given_name if listed_name(child, shown=shown) else None


def list_label(child: Child, *, shown: bool = True) -> str | None:
    """Return a child's name as lists sort it ("Family, Given"), or None (the marker) when masked.

    `shown` is the policy's `identity_shown` for the viewer (it is true for an unprotected child).
    """
    return f"{child.family_name}, {child.given_name}" if shown or not is_protected(child) else None


@dataclass(frozen=True)
class Listed:
    """How one child appears in a list to one user: its name (None: the marker) and whether what locates it shows."""

    name: str | None
    location_shown: bool


def listed_among(user, children: Iterable[Child], *, on: date) -> dict:
    """Return, for the children of a list, how each appears to the user (one query for the protected ones).

    A child the policy no longer lets the user see (or a protected one without a need) is never named.
    """
    from sharing import policy  # the policy imports the apps whose pages use this module

    children = list(children)
    ids = [child.pk for child in children if is_protected(child)]
    checked = {row.pk: row for row in policy.checked_children(user, ids, on=on)} if ids else {}
    listed = {}
    for child in children:
        if not is_protected(child):
            listed[child.pk] = Listed(list_label(child), True)
            continue
        row = checked.get(child.pk)
        named = row is not None and bool(row.identity_shown)
        located = row is not None and bool(row.protected_need)
        listed[child.pk] = Listed(list_label(child) if named else None, located)
    return listed


def page_name(child: Child) -> str:
    """Return the child's name for the head of its own page (opened by id, through a relation the policy checked).

    As the module says: a page opened by the child's id still names it; the protected marker is shown beside
    the name, and everything that locates the child is masked as `Display` decides.
    """
    return f"{child.given_name} {child.family_name}"

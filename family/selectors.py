"""Reads for the family view: the child's named person and the child's log extract, as a family sees them.

Children are loaded only through sharing.policy (family_children / family_child_for_user) before
anything here runs. The family's log extract differs from staff's in three ways, each for a reason:

- It holds the accesses of every authority: the family is the data subject, and each authority's
  part is the family's own information (PDL 8 kap. 5 §, applied to all Samplan data).
- Reads by family users are shown as "a guardian" or "the child", never by name: a guardian with
  protected identity must not be named to the other guardian.
- The free-text reason staff give is left out: it is written for colleagues and may name others.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.present import EventRow, Person, event_row, people
from namedperson.selectors import current_assignment
from people.models import Child
from sharing.policy import Basis

FAMILY_BASES = frozenset({Basis.GUARDIAN, Basis.CHILD_SELF})
EMERGENCY_PREFIX = f"{Basis.EMERGENCY}:"


@dataclass(frozen=True)
class Contact:
    """How a family reaches the child's named person."""

    name: str
    title: str
    unit: str
    phone: str
    email: str


def named_person(child: Child, *, on) -> Contact | None:
    """Return the child's current named person and how to reach them, or None when there is none."""
    assignment = current_assignment(child, on=on)
    if assignment is None:
        return None
    person = assignment.person
    return Contact(
        name=person.get_full_name() or person.get_username(),
        title=person.title or str(assignment.get_role_display()),
        unit=assignment.unit.name,
        phone=person.phone,
        email=person.email,
    )


def family_row(event: AuditEvent, known: dict[int, Person] | None = None) -> EventRow:
    """Return one log row as a family sees it: family users unnamed, staff reasons left out."""
    row = event_row(event, known)
    if event.basis in FAMILY_BASES:
        who = _("Barnet självt") if event.basis == Basis.CHILD_SELF else _("En vårdnadshavare")
        return replace(row, who=who, title="", unit="", authority="", reason="")
    return replace(row, reason="")


def family_rows(events) -> list[EventRow]:
    events = list(events)
    known = people(events)
    return [family_row(event, known) for event in events]

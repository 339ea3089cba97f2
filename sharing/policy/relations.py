"""Which children a staff user may see at all, and on what basis: the table of relations.

A relation is one row of `RELATIONS`: a flag, the basis it gives, and the rows (with a `child`
column) that hold it for a user on a day. Lists filter in SQL with one EXISTS per row; a single
child is checked with the same rows, so lists and single children never disagree. A child the
user may not see is indistinguishable from a child that does not exist (Http404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from audit import log as audit
from namedperson.models import Assignment, HandoverProposal
from people.models import Child, Enrolment, Protection
from sharing.models import AccessAssignment, ReportOfConcern
from sharing.policy.rules import REPORT_RECEIVING_ROLES, UNIT_ACCESS_ROLES, Basis, any_of, consults, current, today
from sharing.policy.staff import CurrentMemberships, current_memberships, memberships

if TYPE_CHECKING:
    from sharing.policy.records import Openings


def _named_person_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[Assignment]:
    return Assignment.objects.filter(current(on, "start", "end", end_exclusive=True), person=user)


def _enrolment_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[Enrolment]:
    if mine is None:
        units = memberships(user, on=on).filter(role__in=UNIT_ACCESS_ROLES).values("unit")
    else:
        units = mine.units(UNIT_ACCESS_ROLES)
    return Enrolment.objects.filter(current(on, "start", "end"), unit__in=units)


def _assignment_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[AccessAssignment]:
    return AccessAssignment.objects.filter(current(on), user=user)


def _handover_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[HandoverProposal]:
    if mine is None:
        receiving = Exists(memberships(user, on=on).filter(unit=OuterRef("to_unit"), role=OuterRef("to_role")))
    else:
        receiving = any_of(Q(to_unit=unit, to_role=role) for unit, role in mine.unit_roles())
        if receiving is None:
            return HandoverProposal.objects.none()  # no current membership: no handover waits for the user
    return HandoverProposal.objects.filter(receiving, status=HandoverProposal.Status.OPEN)


def _report_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[ReportOfConcern]:
    if mine is None:
        units = memberships(user, on=on).filter(role__in=REPORT_RECEIVING_ROLES).values("unit")
    else:
        units = mine.units(REPORT_RECEIVING_ROLES)
    return ReportOfConcern.objects.filter(to_unit__in=units)


@dataclass(frozen=True)
class Relation:
    """One way a staff user relates to a child: the flag lists carry, the basis it gives, the rows that hold it."""

    flag: str
    basis: str
    rows: Callable[..., QuerySet]  # (user, on, mine) -> rows with a `child` column


# The relations, strongest basis first; a new relation is one row. `mine` (the user's memberships
# on the day, already loaded) lets the unit-based rules compare with those units instead of a sub-query.
RELATIONS: tuple[Relation, ...] = (
    Relation("via_named_person", Basis.NAMED_PERSON, _named_person_rows),  # the child's named person
    Relation("via_enrolment", Basis.ENROLMENT, _enrolment_rows),  # enrolled at the user's unit, role with access
    Relation("via_assignment", Basis.ASSIGNMENT, _assignment_rows),  # explicitly assigned, time-limited
    Relation("via_handover", Basis.HANDOVER, _handover_rows),  # an open handover waits for the user's role and unit
    Relation("via_report", Basis.REPORT, _report_rows),  # a report of concern received at the user's unit
)


def _relation_flags(user, on: date, mine: CurrentMemberships | None = None) -> dict[str, Exists]:
    """Return the relations as one EXISTS per row about the outer child."""
    return {relation.flag: Exists(relation.rows(user, on, mine).filter(child=OuterRef("pk"))) for relation in RELATIONS}


def _among(user, among, *, on: date, mine: CurrentMemberships | None, select: bool) -> QuerySet[Child]:
    """Return the given children with at least one active relation, checking each child on its own.

    The relation flags are attached to the query once (as `alias`, or selected with `select`) and the
    filter refers to them, so each EXISTS is built once even when it is also selected.
    """
    flags = _relation_flags(user, on, mine)
    children = Child.objects.annotate(**flags) if select else Child.objects.alias(**flags)
    return children.filter(any_of(Q(**{flag: True}) for flag in flags), pk__in=among)


@consults
def visible_children(
    user, *, on: date | None = None, among=None, mine: CurrentMemberships | None = None
) -> QuerySet[Child]:
    """Return, as one SQL query, every child the user has an active relation to.

    `among` (child ids) asks about a few known children only, such as one page's child or its
    siblings: each is then checked on its own, so the cost follows those few children and not the
    size of the user's caseload. The rules are the same either way. `mine`, the user's memberships
    on `on` if already loaded, spares the rules their membership sub-queries.
    """
    if not (user.is_authenticated and user.is_active):
        return Child.objects.none()  # deny by default: anonymous and disabled users see no child
    on = on or today()
    if among is not None:
        return _among(user, among, on=on, mine=mine, select=False)
    related = Q()
    for relation in RELATIONS:
        related |= Q(pk__in=relation.rows(user, on, mine).values("child"))
    return Child.objects.filter(related)


# A child seen through none of the stronger relations is seen through the last one; lists need not
# compute its EXISTS again to name the basis.
_STRONGER, _LAST = RELATIONS[:-1], RELATIONS[-1]


def _protected_need(user, on: date, mine: CurrentMemberships | None = None) -> Exists:
    """Return whether the user is assigned to the outer child with a secrecy assessment."""
    return Exists(_assignment_rows(user, on, mine).filter(child=OuterRef("pk"), sees_protected_details=True))


def with_access(children: QuerySet[Child], user, *, on: date) -> QuerySet[Child]:
    """Annotate children (already limited to visible ones) with the basis of access and protected-identity need.

    Adds `basis` (a Basis value) and `identity_shown`: false for a protected child the user has no
    explicit need to recognise (neither its named person nor assigned with a secrecy assessment).
    Lists and the API use it in SQL (to search and sort by it); `child_for_user` and the sibling
    check derive the same two values from the same flags (`checked_children`).
    """
    flags = _relation_flags(user, on)
    children = children.annotate(
        **{relation.flag: flags[relation.flag] for relation in _STRONGER}, protected_need=_protected_need(user, on)
    )
    return children.annotate(
        identity_shown=ExpressionWrapper(
            Q(protection=Protection.NONE) | Q(via_named_person=True) | Q(protected_need=True),
            output_field=BooleanField(),
        ),
        basis=Case(
            *(When(**{relation.flag: True}, then=Value(relation.basis)) for relation in _STRONGER),
            default=Value(_LAST.basis),
            output_field=CharField(),
        ),
    )


def _derive_access(child: Child) -> Child:
    """Set `basis` and `identity_shown` on a child loaded with the flags, as `with_access` computes them in SQL."""
    child.identity_shown = child.protection == Protection.NONE or child.via_named_person or child.protected_need
    child.basis = next((relation.basis for relation in _STRONGER if getattr(child, relation.flag)), _LAST.basis)
    return child


@consults
def checked_children(
    user, ids, *, on: date, mine: CurrentMemberships | None = None, related: tuple[str, ...] = ()
) -> list[Child]:
    """Return the few given children the user may see, each with `basis` and `identity_shown`.

    The same rules as `visible_children(among=ids)` filter in SQL; each relation's EXISTS is selected
    once, and the basis and the protected-identity need are derived from those flags in Python
    rather than by repeating the sub-queries in SQL expressions.
    """
    if not (user.is_authenticated and user.is_active):
        return []  # deny by default, as `visible_children`
    children = _among(user, ids, on=on, mine=mine, select=True)
    children = children.annotate(protected_need=_protected_need(user, on, mine))
    if related:
        children = children.select_related(*related)
    return [_derive_access(child) for child in children]


@dataclass(frozen=True)
class ChildAccess:
    """A child the user may see, how, and what the user may see of protected details."""

    child: Child
    basis: str
    sees_protected_details: bool
    authority_ids: frozenset[int]
    on: date
    user_id: int | None = None
    at: datetime | None = None
    openings: Openings | None = None  # set by `with_openings`; otherwise `records_for_user` loads them itself
    memberships: CurrentMemberships | None = None  # the user's memberships on `on`, as `child_for_user` read them


@consults
def child_for_user(
    user,
    child_id: UUID | str,
    *,
    actor: audit.Actor,
    surface: str,
    target: str,
    action: str = "read",
    on: date | None = None,
    mine: CurrentMemberships | None = None,
) -> ChildAccess:
    """Load a child the user may see and log the access, or raise Http404 (missing or forbidden alike).

    `mine`, the user's memberships already loaded for the same day (`current_memberships`), spares a query.
    """
    if not (user.is_authenticated and user.is_active):
        raise Http404
    on = on or today()
    try:
        child_id = UUID(str(child_id))
    except ValueError as exc:
        raise Http404 from exc
    # No active relation: the same answer as a child that does not exist.
    if mine is None or mine.on != on:
        mine = current_memberships(user, on=on)  # one query: the relation rules and the user's authorities read it
    found = checked_children(user, [child_id], on=on, mine=mine, related=("municipality",))
    if not found:
        raise Http404
    child = found[0]
    basis = child.basis
    # Protected identity: only a documented secrecy assessment shows where the child is; the named person
    # knows the child (`identity_shown`) but not its address (DOMAIN.md B5; sharing.display).
    sees_protected = child.protection == Protection.NONE or child.protected_need
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
        authority_ids=mine.authority_ids,
        on=on,
        user_id=user.pk,
        at=timezone.now(),
        memberships=mine,
    )

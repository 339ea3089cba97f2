"""Which children a staff user may see at all, and on what basis: the table of relations.

A relation is one row of `RELATIONS`: a flag, the basis it gives, the rows (with a `child` column)
that hold it for a user on a day, and how those rows derive the precomputed access relation
(`sharing.AccessRelation`, maintained by `sharing.access_relation`). Reads go through the precomputed
relation, one indexed look-up; the rules evaluated on their source rows (`visible_children_by_rules`,
`with_access_by_rules`) are the reference it is checked against. Lists and single children read the
same rows, so they never disagree. A child the user may not see is indistinguishable from a child
that does not exist (Http404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.http import Http404
from django.utils import timezone

from audit import log as audit
from core.prepared import Prepared
from namedperson.models import Assignment, HandoverProposal
from people.models import Child, Enrolment, Protection
from sharing.models import AccessAssignment, AccessRelation, ReportOfConcern
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


# --- How each relation's rows are derived for the precomputed access relation (`sharing.access_relation`).
# `derive` returns one queryset of `.values()` with the columns `DERIVED`: user, child, first day, last day
# or None, shows identity, source row, membership or None, valid on exactly the days the rule above holds.
# `sharing.access_relation` compiles it to SQL and wraps it in INSERT … SELECT, so the whole relation or
# a write's slice of it is derived in the database in one statement per relation. `users` and `sources`
# narrow the derivation to the slice a write changed; None means all. Only active users get rows, as
# `memberships` and the deny-by-default of `visible_children` require.

DERIVED = (
    "derived_user",
    "derived_child",
    "derived_from",
    "derived_to",
    "derived_shows_identity",
    "derived_source",
    "derived_membership",
)
_NO_MEMBERSHIP = Cast(Value(None), BigIntegerField())  # typed: PostgreSQL reads a bare NULL as text


def _narrowed(rows: QuerySet, sources) -> QuerySet:
    return (rows if sources is None else rows.filter(pk__in=sources)).order_by()


def _with_staff(rows: QuerySet, unit: str, users, *, roles=None, role=None) -> QuerySet:
    """Join source rows with the active staff's memberships of the unit in `unit` (one join, one filter).

    The conditions on the membership go in one `filter()` so they apply to the same joined row, and
    the annotations of the derivations (`_staff_days`) reuse that join.
    """
    staff = f"{unit}__memberships"
    conditions = {f"{staff}__user__is_active": True}
    if roles is not None:
        conditions[f"{staff}__role__in"] = roles
    if role is not None:
        conditions[f"{staff}__role"] = role
    if users is not None:
        conditions[f"{staff}__user__in"] = users
    return rows.filter(**conditions)


def _staff_values(rows: QuerySet, unit: str, first, last) -> QuerySet:
    """Return the derived columns of source rows joined with memberships (`_with_staff`), valid first..last."""
    staff = f"{unit}__memberships"
    return rows.values(
        derived_user=F(f"{staff}__user"),
        derived_child=F("child"),
        derived_from=first,
        derived_to=last,
        derived_shows_identity=Value(False),
        derived_source=F("pk"),
        derived_membership=F(f"{staff}__pk"),
    )


def _derive_named_person(users=None, sources=None) -> QuerySet:
    rows = Assignment.objects.filter(Q(end__isnull=True) | Q(end__gt=F("start")), person__is_active=True)
    rows = _narrowed(rows if users is None else rows.filter(person__in=users), sources)
    return rows.values(
        derived_user=F("person"),
        derived_child=F("child"),
        derived_from=F("start"),
        derived_to=Cast(F("end") - timedelta(days=1), DateField()),  # the named person's end is exclusive
        derived_shows_identity=Value(True),
        derived_source=F("pk"),
        derived_membership=_NO_MEMBERSHIP,
    )


def _derive_enrolment(users=None, sources=None) -> QuerySet:
    rows = _with_staff(_narrowed(Enrolment.objects.all(), sources), "unit", users, roles=UNIT_ACCESS_ROLES)
    # The days both the enrolment and the membership hold (inclusive ends; None is open).
    first = Greatest(F("start"), F("unit__memberships__valid_from"))
    last = Least(Coalesce("end", "unit__memberships__valid_to"), Coalesce("unit__memberships__valid_to", "end"))
    rows = rows.alias(first=first, last=last).filter(Q(last__isnull=True) | Q(last__gte=F("first")))
    return _staff_values(rows, "unit", F("first"), F("last"))


def _derive_assignment(users=None, sources=None) -> QuerySet:
    rows = AccessAssignment.objects.filter(user__is_active=True, valid_to__gte=F("valid_from"))
    rows = _narrowed(rows if users is None else rows.filter(user__in=users), sources)
    return rows.values(
        derived_user=F("user"),
        derived_child=F("child"),
        derived_from=F("valid_from"),
        derived_to=F("valid_to"),
        derived_shows_identity=F("sees_protected_details"),
        derived_source=F("pk"),
        derived_membership=_NO_MEMBERSHIP,
    )


def _derive_handover(users=None, sources=None) -> QuerySet:
    rows = _narrowed(HandoverProposal.objects.filter(status=HandoverProposal.Status.OPEN), sources)
    rows = _with_staff(rows, "to_unit", users, role=F("to_role"))
    # open: valid while the receiving membership is
    return _staff_values(rows, "to_unit", F("to_unit__memberships__valid_from"), F("to_unit__memberships__valid_to"))


def _derive_report(users=None, sources=None) -> QuerySet:
    rows = _with_staff(
        _narrowed(ReportOfConcern.objects.all(), sources), "to_unit", users, roles=REPORT_RECEIVING_ROLES
    )
    # received: valid while the receiving membership is
    return _staff_values(rows, "to_unit", F("to_unit__memberships__valid_from"), F("to_unit__memberships__valid_to"))


@dataclass(frozen=True)
class Relation:
    """One way a staff user relates to a child: the flag lists carry, the basis it gives, the rows that hold it.

    `source` is the model whose rows hold the relation and `derive` selects the precomputed rows from
    them (joined with the user's memberships for the unit-based relations) as one queryset of `DERIVED`
    columns, which `sharing.access_relation` inserts with INSERT … SELECT.
    """

    flag: str
    basis: str
    rows: Callable[..., QuerySet]  # (user, on, mine) -> rows with a `child` column
    source: type[Model]
    derive: Callable[..., QuerySet]  # (users=None, sources=None) -> `.values()` of the DERIVED columns


# The relations, strongest basis first; a new relation is one row. `mine` (the user's memberships
# on the day, already loaded) lets the unit-based rules compare with those units instead of a sub-query.
RELATIONS: tuple[Relation, ...] = (
    # the child's named person
    Relation("via_named_person", Basis.NAMED_PERSON, _named_person_rows, Assignment, _derive_named_person),
    # enrolled at the user's unit, role with access
    Relation("via_enrolment", Basis.ENROLMENT, _enrolment_rows, Enrolment, _derive_enrolment),
    # explicitly assigned, time-limited
    Relation("via_assignment", Basis.ASSIGNMENT, _assignment_rows, AccessAssignment, _derive_assignment),
    # an open handover waits for the user's role and unit
    Relation("via_handover", Basis.HANDOVER, _handover_rows, HandoverProposal, _derive_handover),
    # a report of concern received at the user's unit
    Relation("via_report", Basis.REPORT, _report_rows, ReportOfConcern, _derive_report),
)
RANKS = {relation.basis: rank for rank, relation in enumerate(RELATIONS)}


def _relation_flags(user, on: date, mine: CurrentMemberships | None = None) -> dict[str, Exists]:
    """Return the relations as one EXISTS per row about the outer child (the rules, evaluated from their sources)."""
    return {relation.flag: Exists(relation.rows(user, on, mine).filter(child=OuterRef("pk"))) for relation in RELATIONS}


# A child seen through none of the stronger relations is seen through the last one.
_STRONGER, _LAST = RELATIONS[:-1], RELATIONS[-1]


def _protected_need(user, on: date, mine: CurrentMemberships | None = None) -> Exists:
    """Return whether the user is assigned to the outer child with a secrecy assessment."""
    return Exists(_assignment_rows(user, on, mine).filter(child=OuterRef("pk"), sees_protected_details=True))


def visible_children_by_rules(user, *, on: date) -> QuerySet[Child]:
    """Return every child the user has an active relation to, evaluating the rules on their source rows.

    The reference the precomputed relation is checked against (`check_access_relation` and the
    consistency tests): the same answers as `visible_children`, one EXISTS per relation.
    """
    if not (user.is_authenticated and user.is_active):
        return Child.objects.none()
    related = Q()
    for relation in RELATIONS:
        related |= Q(pk__in=relation.rows(user, on).values("child"))
    return Child.objects.filter(related)


def with_access_by_rules(children: QuerySet[Child], user, *, on: date) -> QuerySet[Child]:
    """Annotate children with `basis` and `identity_shown` from the rules' sources: the reference for `with_access`."""
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


# --- Reads: through the precomputed relation (`sharing.access_relation`), one indexed look-up each ---


def relation_rows(user, on: date) -> QuerySet[AccessRelation]:
    """Return the user's rows of the precomputed relation valid on a day."""
    return _relation_rows(user.pk, on)


def _relation_rows(user_id: int, on: date) -> QuerySet[AccessRelation]:
    return AccessRelation.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), user=user_id, valid_from__lte=on
    )


@consults
def visible_children(
    user, *, on: date | None = None, among=None, mine: CurrentMemberships | None = None
) -> QuerySet[Child]:
    """Return, as one SQL query, every child the user has an active relation to.

    The relation is read from its precomputed rows (an index on user and child), so the cost of
    checking a child does not grow with the user's caseload. `among` (child ids) asks about a few
    known children only, such as one page's child or its siblings. `mine` is accepted for callers
    that have the user's memberships loaded; the precomputed rows already joined them.
    """
    if not (user.is_authenticated and user.is_active):
        return Child.objects.none()  # deny by default: anonymous and disabled users see no child
    on = on or today()
    if among is not None:
        related = Exists(relation_rows(user, on).filter(child=OuterRef("pk")))
        return Child.objects.filter(related, pk__in=among)
    return Child.objects.filter(pk__in=relation_rows(user, on).values("child"))


def with_access(children: QuerySet[Child], user, *, on: date) -> QuerySet[Child]:
    """Annotate children (already limited to visible ones) with the basis of access and protected-identity need.

    Adds `basis` (a Basis value, the strongest relation valid on the day), `protected_need` (assigned
    with a secrecy assessment) and `identity_shown`: false for a protected child the user has no
    explicit need to recognise (neither its named person nor assigned with a secrecy assessment).
    A child without a valid row gets `access_rank` None.
    """
    return _with_access(children, user.pk, on)


def _with_access(children: QuerySet[Child], user_id: int, on: date) -> QuerySet[Child]:
    rows = _relation_rows(user_id, on).filter(child=OuterRef("pk"))
    children = children.annotate(
        access_rank=Subquery(rows.order_by("rank").values("rank")[:1]),
        protected_need=Exists(rows.filter(basis=Basis.ASSIGNMENT, shows_identity=True)),
    )
    return children.annotate(
        identity_shown=ExpressionWrapper(
            Q(protection=Protection.NONE) | Q(access_rank=RANKS[Basis.NAMED_PERSON]) | Q(protected_need=True),
            output_field=BooleanField(),
        ),
        basis=Case(
            *(When(access_rank=rank, then=Value(relation.basis)) for rank, relation in enumerate(_STRONGER)),
            default=Value(_LAST.basis),
            output_field=CharField(),
        ),
    )


@consults
def _checked_query(*, user, on, ids) -> QuerySet[Child]:
    return _with_access(Child.objects.filter(pk__in=ids), user, on).filter(access_rank__isnull=False)


# Compiled once per number of children asked about.
_CHECKED_SQL = Prepared(_checked_query)


def checked_children(
    user, ids, *, on: date, mine: CurrentMemberships | None = None, related: tuple[str, ...] = ()
) -> list[Child]:
    """Return the few given children the user may see, each with `basis`, `identity_shown` and `protected_need`.

    One query: each child is looked up in the precomputed relation on its own (index on user and child).
    `related` (foreign keys of the child) are loaded with one more query.
    """
    if not (user.is_authenticated and user.is_active) or not ids:
        return []  # deny by default, as `visible_children`
    ids = tuple(sorted({UUID(str(pk)) for pk in ids}))
    sql, params = _CHECKED_SQL.sql(user=user.pk, on=on, ids=ids)
    if sql is None:
        return []
    # The SQL is Django's own compilation of `_checked_query`, every value bound as a parameter.
    children = list(Child.objects.raw(sql, params))
    for child in children:  # SQLite returns the annotated flags as 0 and 1
        child.protected_need, child.identity_shown = bool(child.protected_need), bool(child.identity_shown)
    if related:
        prefetch_related_objects(children, *related)
    return children


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
    related: tuple[str, ...] = ("municipality",),
    openings: bool = False,
) -> ChildAccess:
    """Load a child the user may see and log the access, or raise Http404 (missing or forbidden alike).

    `mine`, the user's memberships already loaded for the same day (`current_memberships`), spares a query.
    `related`, the child's foreign keys loaded with it (one more query); a page that reads them with its
    other reads passes none. `openings` loads what opens other authorities' records with the child (as
    `with_openings`), for a page that reads several kinds of them: on PostgreSQL in the same statement.
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
    at = timezone.now()
    opening_rows = None
    if openings and connection.vendor == "postgresql":
        found, opening_rows = _checked_with_openings(user, child_id, on=on, at=at, mine=mine, related=related)
    else:
        found = checked_children(user, [child_id], on=on, mine=mine, related=related)
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
    access = ChildAccess(
        child=child,
        basis=basis,
        sees_protected_details=sees_protected,
        authority_ids=mine.authority_ids,
        on=on,
        user_id=user.pk,
        at=at,
        memberships=mine,
    )
    if not openings:
        return access
    from sharing.policy.records import openings_for, openings_from  # records builds on this module

    return replace(access, openings=openings_from(opening_rows) if opening_rows is not None else openings_for(access))


def _checked_with_openings(user, child_id: UUID, *, on: date, at: datetime, mine: CurrentMemberships, related):
    """Check one child (`checked_children`) and read its openings (`openings_query_for`) in one statement.

    Return the children found (none or one) and the openings' rows, read only if the child was found: the
    openings are a sub-query of the checked child's row, so a child the user may not see opens nothing.
    """
    from sharing.policy.records import openings_query_for  # records builds on this module

    checked_sql, checked_params = _CHECKED_SQL.sql(user=user.pk, on=on, ids=(child_id,))
    if checked_sql is None:
        return [], []
    open_sql, open_params = openings_query_for(child_id, user.pk, at, mine.authority_ids)
    rows = "NULL::json"
    if open_sql is not None:
        row = "json_build_array(o.open_kind, o.open_id, o.open_owner, o.open_category)"
        rows = f"(SELECT json_agg({row}) FROM ({open_sql}) o)"  # noqa: S608
    # Both parts are Django's own compilations of the policy's querysets, every value bound as a parameter.
    sql = f"SELECT c.*, {rows} AS samplan_openings FROM ({checked_sql}) c"  # noqa: S608
    children = list(Child.objects.raw(sql, [*(open_params if open_sql else []), *checked_params]))
    for child in children:
        child.protected_need, child.identity_shown = bool(child.protected_need), bool(child.identity_shown)
    if related:
        prefetch_related_objects(children, *related)
    return children, (children[0].samplan_openings or []) if children else []

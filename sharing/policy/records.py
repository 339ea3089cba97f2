"""Which of a visible child's records the user may read: the table of openings.

Identity and named person open to any relation; the user's own authority's records are the user's
own; another authority's records open only through a row of `OPENINGS` in force (a consent reaching
the user's authority, a decision to disclose naming it, the user's own emergency access) and never
under a block. Every time is checked here, at the moment of reading, so expiry and withdrawal take
effect at once whether or not the scheduled tasks have run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db import connection
from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from audit import log as audit
from core.prepared import Prepared
from organisations.models import Authority, Membership
from people.models import Child
from plans.models import ENDED, ChildPlan, Participant
from sharing.categories import OPEN_TO_ANY_RELATION
from sharing.models import Block, Consent, ConsentParty, DisclosureDecision, EmergencyAccess
from sharing.policy import emergency
from sharing.policy.relations import ChildAccess, visible_children
from sharing.policy.rules import Basis, any_of, consults, current, majority_cutoff, today
from sharing.policy.staff import CurrentMemberships, user_authorities
from teams.models import Team, TeamMember


def consent_active(at: datetime, prefix: str = "", *, majority_before: date | None = None) -> Q:
    """Return the condition for a consent in force at a moment (given, started, not yet ended).

    A consent the guardians gave lapses on the child's 18th birthday: they waived secrecy for a
    minor (OSL 12 kap. 3 §), and from that day only the young person can. `majority_before` is
    `majority_cutoff` of the moment's day, for a caller that already has it (a prepared query).
    """
    cutoff = majority_before or majority_cutoff(timezone.localdate(at))
    by_guardians = ConsentParty.objects.filter(consent=OuterRef(f"{prefix}pk"), guardian__isnull=False)
    return Q(
        **{
            f"{prefix}status": Consent.Status.GIVEN,
            f"{prefix}valid_from__lte": at,
            f"{prefix}valid_until__gt": at,
        }
    ) & (
        Q(**{f"{prefix}child__birth_date__gt": cutoff})  # the child is still a minor
        | ~Exists(by_guardians)  # or the consent is the young person's own
    )


def _open_plans() -> QuerySet[ChildPlan]:
    # A closed or declined plan is history: nobody takes part in it any longer.
    return ChildPlan.objects.exclude(status__in=ENDED)


def consent_reaches(authority_ids: Iterable[int], *, on: date | None = None) -> Q:
    """Return the condition for a consent whose recipients include one of the authorities, judged now.

    Evaluated at every read, so an authority stops being a recipient the moment the plan closes or
    its last participant leaves the plan, and the day its last member leaves a team the consent names
    (or the team is made inactive).
    """
    on = on or today()
    named = Consent.recipients.through.objects.filter(consent=OuterRef("pk"), authority__in=authority_ids)
    in_plan = _open_plans().filter(
        Q(owner_authority__in=authority_ids)  # the authority that owns (leads) the child's open plan
        | Q(participants__authority__in=authority_ids),  # an authority a participant takes part for
        child=OuterRef("child"),
    )
    teams_taking_part = current_team_members(on=on).filter(authority__in=authority_ids).values("team")
    in_team = Consent.recipient_teams.through.objects.filter(consent=OuterRef("pk"), team__in=teams_taking_part)
    return (
        Q(Exists(named))  # named in the consent
        | (Q(to_plan_participants=True) & Q(Exists(in_plan)))  # "the plan's participants", while it takes part
        | Q(Exists(in_team))  # a team the consent names, while a current member takes part for the authority
    )


def consent_lapsed_at_majority(consent: Consent, on: date) -> bool:
    """Return whether `consent_active` lets a loaded consent lapse on a day: guardians gave it and the child is 18."""
    by_guardians = any(party.guardian_id is not None for party in consent.parties.all())
    return by_guardians and consent.child.birth_date <= majority_cutoff(on)


def plan_authorities(child: Child) -> QuerySet[Authority]:
    """Return the authorities taking part in the child's open plan now: whom "the plan's participants" means today."""
    plans = _open_plans().filter(child=child)
    taking_part = Participant.objects.filter(plan__in=plans, authority__isnull=False)
    return Authority.objects.filter(
        Q(pk__in=plans.values("owner_authority")) | Q(pk__in=taking_part.values("authority"))
    )


def current_team_members(*, on: date | None = None) -> QuerySet[TeamMember]:
    """Return the team memberships that count on a day: an active team, joined, not yet left, still employed there.

    A member takes part for an authority only while they still work for it: when their employment
    there ends, their team membership no longer reaches it, even before anyone ends it.
    """
    on = on or today()
    still_employed = Membership.objects.filter(
        current(on), user=OuterRef("user"), user__is_active=True, unit__authority=OuterRef("authority")
    )
    return TeamMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=on),  # not yet left (left_on is the first day away)
        Exists(still_employed),  # still working for the authority they take part for
        team__active=True,  # an inactive team has stopped: it reaches nobody
        joined_on__lte=on,  # joined by now
    )


def team_authorities(team: Team, *, on: date | None = None) -> QuerySet[Authority]:
    """Return the authorities the team's current members take part for: whom "the team" means today."""
    return Authority.objects.filter(pk__in=current_team_members(on=on).filter(team=team).values("authority"))


def disclosure_active(at: datetime) -> Q:
    """Return the condition for a decision to disclose that is in force at a moment."""
    return Q(
        outcome=DisclosureDecision.Outcome.DISCLOSE, valid_from__lte=at, valid_until__gt=at, revoked_at__isnull=True
    )


def emergency_active(at: datetime) -> Q:
    """Return the condition for an emergency access in force at a moment."""
    return Q(started_at__lte=at, ends_at__gt=at, ended_at__isnull=True)


# --- The table of openings ---

_NO_OWNER = Value(None, output_field=IntegerField())
_NO_CATEGORY = Value(None, output_field=CharField())


# Each row function takes the values of one read (the child, the user, the moment, its day, the majority
# cut-off of that day, the user's authorities) and returns the rows annotated open_id, open_owner, open_category.


def _consent_rows(*, child, user, at, on, majority, own) -> QuerySet:
    # named in the consent, in the child's open plan or in a named team, now
    in_force = consent_active(at, majority_before=majority)
    rows = Consent.objects.filter(in_force, consent_reaches(own, on=on), child=child)
    return rows.annotate(open_id=F("pk"), open_owner=_NO_OWNER, open_category=F("categories__category"))


def _disclosure_rows(*, child, user, at, on, majority, own) -> QuerySet:
    rows = DisclosureDecision.objects.filter(disclosure_active(at), child=child, recipients__in=own)
    return rows.annotate(open_id=F("pk"), open_owner=F("owner_authority"), open_category=F("categories__category"))


def _emergency_rows(*, child, user, at, on, majority, own) -> QuerySet:
    rows = EmergencyAccess.objects.filter(
        emergency_active(at),
        emergency.in_force(on),  # a health-care holder and owner, or it opens nothing
        child=child,
        user_id=user,
    )
    return rows.annotate(open_id=F("pk"), open_owner=F("owner_authority"), open_category=_NO_CATEGORY)


def _block_rows(*, child, user, at, on, majority, own) -> QuerySet:
    rows = Block.objects.filter(lifted_at__isnull=True, child=child)
    return rows.annotate(open_id=F("pk"), open_owner=F("owner_authority"), open_category=F("category"))


@dataclass(frozen=True)
class Opening:
    """One way another authority's records open (or, for a block, close): which rows, matched on which fields."""

    kind: str
    basis: str | None  # the basis records opened this way carry; None for a block, which closes
    key: tuple[str, ...]  # the record fields a row matches: ("category",), ("owner_authority", "category") …
    rows: Callable[..., QuerySet]  # the values of one read → rows annotated open_id, open_owner, open_category
    categories: Callable[[], frozenset[str]] | None = None  # the only categories it can open, if it is limited


def _condition(opening: Opening, key: tuple) -> Q:
    """Return the condition on a record for one opening row's key (and the opening's category limit)."""
    condition = Q(**dict(zip(opening.key, key, strict=True)))
    if opening.categories is not None:
        condition &= Q(category__in=sorted(opening.categories()))
    return condition


# In order of precedence: a record opened two ways names the first as its basis. A new opening is one row.
OPENINGS: tuple[Opening, ...] = (
    Opening("consent", Basis.CONSENT, ("category",), _consent_rows),  # the family waived secrecy (OSL 12:2)
    Opening("disclosure", Basis.DISCLOSURE, ("owner_authority", "category"), _disclosure_rows),  # a recorded decision
    # The user's own emergency access: a health-care rule (PDL 6 kap.), opening patient records only.
    Opening("emergency", Basis.EMERGENCY, ("owner_authority",), _emergency_rows, emergency.opened_categories),
    Opening("block", None, ("owner_authority", "category"), _block_rows),  # a block closes whatever else opens
)
_OPENING_KINDS = {opening.kind: opening for opening in OPENINGS}


@dataclass(frozen=True)
class Openings:
    """What opens (or closes) another authority's records of one child to the user at one moment, from one query.

    `opened[kind]` maps a key (the record's values of that opening's `key` fields) to the lowest id of
    a row in force; `blocked` holds the (owner authority, category) pairs under a block not lifted.
    A record's basis depends only on its owner authority and category, so these few rows decide
    every record of the child.
    """

    opened: dict[str, dict[tuple, int]]
    blocked: frozenset[tuple]


def _openings_query(**values) -> QuerySet:
    """Every row of `OPENINGS` for one read's values, as (kind, id, owner, category), in one UNION."""
    columns = ("open_kind", "open_id", "open_owner", "open_category")
    parts = [
        opening.rows(**values).annotate(open_kind=Value(opening.kind, output_field=CharField())) for opening in OPENINGS
    ]
    first, *rest = (part.values_list(*columns).order_by() for part in parts)
    return first.union(*rest, all=True)


# Compiled once per shape (the number of the user's authorities, the emergency rules in the settings).
_OPENINGS_SQL = Prepared(_openings_query, depends_on=emergency.emergency_rules)


def openings_for(access: ChildAccess) -> Openings:
    """Load, in one query, every row of `OPENINGS` that applies to the child and the user now."""
    sql, params = openings_query(access)
    if sql is None:
        return openings_from([])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return openings_from(cursor.fetchall())


def openings_query(access: ChildAccess) -> tuple[str | None, list]:
    """Return the SQL and parameters of `openings_for`'s one query (None: nothing can open)."""
    return openings_query_for(access.child.pk, access.user_id, access.at or timezone.now(), access.authority_ids)


def openings_query_for(child_id, user_id: int | None, at: datetime, authority_ids) -> tuple[str | None, list]:
    """Return the SQL and parameters of the openings of a child for a user at a moment, to send with another read.

    Its rows are (open_kind, open_id, open_owner, open_category); `openings_from` reads them.
    """
    on = timezone.localdate(at)
    return _OPENINGS_SQL.sql(
        child=child_id, user=user_id, at=at, on=on, majority=majority_cutoff(on), own=tuple(sorted(authority_ids))
    )


def openings_from(rows) -> Openings:
    """Return the `Openings` of the rows (kind, id, owner, category) that `openings_query` reads."""
    opened: dict[str, dict[tuple, int]] = {opening.kind: {} for opening in OPENINGS if opening.basis}
    blocked = set()
    for kind, pk, owner, category in rows:
        values = {"owner_authority": owner, "category": category}
        key = tuple(values[field] for field in _OPENING_KINDS[kind].key)
        if None in key:
            continue  # a consent or decision without categories opens nothing
        if kind == "block":
            blocked.add(key)
            continue
        table = opened[kind]
        table[key] = min(pk, table.get(key, pk))  # the lowest id, as each record names one
    return Openings(opened, frozenset(blocked))


def with_openings(access: ChildAccess) -> ChildAccess:
    """Return the access carrying its `Openings`, for a page that reads several kinds of the child's records at once.

    Load it right before those reads and write nothing that could open or close records in between:
    `records_for_user` then filters with these rows instead of loading them again for each kind.
    """
    return replace(access, openings=openings_for(access))


def _matches(opening: Opening, keys: Iterable[tuple]) -> Q | None:
    return any_of(_condition(opening, key) for key in sorted(keys))


@consults
def records_for_user(access: ChildAccess, queryset: QuerySet) -> QuerySet:
    """Filter a queryset of the child's records to those the user may see, in SQL, each with its basis.

    Each row gets `shared_basis` (a Basis value) and `shared_basis_id` (the consent, decision or
    emergency access that opened it, if any); pass the rows to `log_shared_reads` once loaded.
    What opens other authorities' records (`Openings`) is loaded once per call, or taken from the
    access when the page loaded it with `with_openings`; the records' own query then compares
    owner authority and category with those few rows.
    """
    model = queryset.model
    field_names = {f.name for f in model._meta.get_fields()}
    if not {"owner_authority", "category", "child"} <= field_names:
        raise TypeError(f"{model.__name__} does not carry owner_authority, category and child.")  # fail closed
    own = frozenset(access.authority_ids)
    openings = access.openings if access.openings is not None else openings_for(access)
    # Each way another authority's record opens, as a condition on the record (None: nothing opens that way).
    opening_conditions = [
        (opening, _matches(opening, openings.opened[opening.kind])) for opening in OPENINGS if opening.basis
    ]
    blocked = _matches(_OPENING_KINDS["block"], openings.blocked)
    visible = (
        Q(category__in=OPEN_TO_ANY_RELATION)  # identity and named person: any relation
        | Q(owner_authority__in=own)  # the user's own authority's records
    )
    opened = any_of(condition for _, condition in opening_conditions if condition is not None)
    if opened is not None:
        # Another authority's: opened by a row of OPENINGS, never if blocked.
        visible |= opened & ~blocked if blocked is not None else opened
    bases = [
        When(category__in=OPEN_TO_ANY_RELATION, then=Value(Basis.OPEN_CATEGORY)),
        When(owner_authority__in=own, then=Value(Basis.OWN_RECORD)),
        *(When(condition, then=Value(opening.basis)) for opening, condition in opening_conditions if condition),
    ]
    # The row that opened the record, in the order of OPENINGS.
    opened_by = [
        When(_condition(opening, key), then=Value(pk))
        for opening in OPENINGS
        if opening.basis
        for key, pk in sorted(openings.opened[opening.kind].items())
    ]
    return (
        queryset.filter(child=access.child)
        .filter(visible)
        .annotate(
            shared_basis=Case(*bases, default=Value(None), output_field=CharField()),
            shared_basis_id=Case(*opened_by, default=None, output_field=IntegerField())
            if opened_by
            else Value(None, output_field=IntegerField()),
        )
    )


_OPEN_COLUMNS = {"owner_authority": "open_owner", "category": "open_category"}


def _opened_by_a_row(opening: Opening, values: dict) -> Q:
    """Return the condition on a record of any child: a row of the opening in force for that child matches it."""
    rows = opening.rows(**values).filter(**{_OPEN_COLUMNS[field]: OuterRef(field) for field in opening.key})
    condition = Q(Exists(rows))
    if opening.categories is not None:
        condition &= Q(category__in=sorted(opening.categories()))
    return condition


@consults
def readable_records(
    user,
    queryset: QuerySet,
    *,
    at: datetime | None = None,
    on: date | None = None,
    majority: date | None = None,
    mine: CurrentMemberships | None = None,
) -> QuerySet:
    """Filter records of many children at once to those `records_for_user` would show on each child's page.

    For counts and task lists across the user's caseload (the start page): the child must be visible,
    and the record open by the same `OPENINGS`, matched per child in SQL instead of loaded per child.
    The rows carry no basis: a page that shows a record's content reads it through `records_for_user`.
    `on` and `majority` (the moment's day and its `majority_cutoff`) are for a prepared query, which
    passes every value in; without `mine` the user's authorities are a sub-query.
    """
    if not {"owner_authority", "category", "child"} <= {f.name for f in queryset.model._meta.get_fields()}:
        raise TypeError(f"{queryset.model.__name__} does not carry owner_authority, category and child.")
    at = at or timezone.now()
    on = on or timezone.localdate(at)
    if mine is not None and mine.on == on:
        own = tuple(sorted(mine.authority_ids))
    else:
        own = user_authorities(user, on=on).values("pk")
    values = {"child": OuterRef("child"), "user": user.pk, "at": at, "on": on, "own": own}
    values["majority"] = majority or majority_cutoff(on)
    opened = any_of(_opened_by_a_row(opening, values) for opening in OPENINGS if opening.basis)
    blocked = _opened_by_a_row(_OPENING_KINDS["block"], values)
    visible = Q(category__in=OPEN_TO_ANY_RELATION) | Q(owner_authority__in=own) | (opened & ~blocked)
    return queryset.filter(visible, child__in=visible_children(user, on=on, mine=mine))


SHARED_BASES = frozenset(opening.basis for opening in OPENINGS if opening.basis)


def log_shared_reads(
    rows,
    *,
    actor: audit.Actor,
    surface: str,
    target: str,
    access: ChildAccess,
    action: str = "read",
    every_read: bool = False,
) -> None:
    """Write one audit row per record read (or exported) through a consent, disclosure decision or emergency access.

    `every_read` logs the own and open records too, for a record opened on purpose (a handover summary)
    whose every read deserves its own row beside the read of the child.
    """
    for row in rows:
        shared = row.shared_basis in SHARED_BASES
        if not (shared or every_read):
            continue  # own and open records are covered by the read of the child itself
        audit.record(
            actor=actor,
            action=action,
            surface=surface,
            target=target,
            basis=f"{row.shared_basis}:{row.shared_basis_id}" if shared else row.shared_basis,
            child_id=access.child.pk,
            record_type=type(row).__name__,
            record_id=str(row.pk),
        )


def authority_reach(
    child: Child, *, authority_id: int, owner_authority_id: int, category: str, at: datetime | None = None
) -> tuple[str, int | None] | None:
    """Return the basis (and opening id) on which staff of an authority would read a record of the child now, or None.

    The rules of `records_for_user` for a record not yet written, judged for an authority rather than a
    signed-in user, so a writer learns before saving whether the intended reader will be able to read
    it. Emergency access is one user's own and is left out. It opens nothing itself: the reader's
    every read still goes through `records_for_user`.
    """
    if category in OPEN_TO_ANY_RELATION:
        return Basis.OPEN_CATEGORY, None  # identity and named person: any relation
    if owner_authority_id == authority_id:
        return Basis.OWN_RECORD, None  # the reader's own authority's record
    at = at or timezone.now()
    reader = ChildAccess(
        child=child,
        basis="",
        sees_protected_details=False,
        authority_ids=frozenset({authority_id}),
        on=timezone.localdate(at),
        at=at,
    )
    openings = openings_for(reader)
    if (owner_authority_id, category) in openings.blocked:
        return None  # a block closes what a consent or decision would open
    for opening in OPENINGS:
        if opening.kind == "emergency" or opening.basis is None:
            continue  # one user's own emergency access says nothing about an authority
        record = {"owner_authority": owner_authority_id, "category": category}
        found = openings.opened[opening.kind].get(tuple(record[field] for field in opening.key))
        if found is not None:
            return opening.basis, found
    return None

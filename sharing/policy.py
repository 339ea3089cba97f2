"""The one access policy: who may see which child, and which of its records, on what basis.

Every read of child data goes through this module. Each rule sits on its own line with the
reason beside it. Lists filter in SQL; a child the user may not see is indistinguishable from
a child that does not exist (Http404). Every successful read is written to the audit log in
the same transaction.

Two questions, answered in order:
1. Relation: may the user see this child at all? (named person, enrolment at the user's unit,
   explicit assignment, a handover or a report of concern waiting at the user's unit.)
2. Records: which of the child's records? Identity and named person always; the user's own
   authority's records always; another authority's records only through an active consent (naming
   the user's authority, given to the participants of the child's plan while the authority takes
   part in its open plan, or given to a multi-agency team while one of its current members takes
   part for the authority), an active disclosure decision or the user's own emergency access, and
   never through a block.
Every time is checked here, at the moment of reading, so expiry and withdrawal take effect at
once whether or not the scheduled tasks have run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
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
from organisations.models import Authority, Membership, Role, Unit
from people.models import Child, Enrolment, Guardian, Guardianship, Protection
from plans.models import ENDED, ChildPlan, Participant
from sharing.categories import OPEN_TO_ANY_RELATION
from sharing.models import (
    AccessAssignment,
    Block,
    Consent,
    DisclosureDecision,
    EmergencyAccess,
    ReportOfConcern,
    SharingRules,
)
from teams.models import Team, TeamMember


class Basis:
    NAMED_PERSON = "named_person"
    ENROLMENT = "enrolment"
    ASSIGNMENT = "assignment"
    HANDOVER = "handover_proposal"
    REPORT = "report_of_concern"
    CONSENT = "consent"
    DISCLOSURE = "disclosure_decision"
    EMERGENCY = "emergency_access"
    EMERGENCY_REVIEW = "emergency_review"  # a manager of the owning authority reviewing an emergency access
    OPEN_CATEGORY = "open_category"
    LOOKUP = "identity_lookup"
    OWN_RECORD = "own_authority"
    RECEIPT = "reporter_receipt"
    GUARDIAN = "guardian"
    CHILD_SELF = "child_self"


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
# Roles at a social services unit that receive reports of concern.
REPORT_RECEIVING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER})
# Roles that decide on disclosure without consent, review emergency access and place or lift blocks.
DECIDING_ROLES = frozenset({Role.MANAGER})
# Roles that oversee named-person coverage for their authority.
OVERSIGHT_ROLES = frozenset({Role.MANAGER, Role.HEAD_TEACHER})


def today() -> date:
    return timezone.localdate()


def consent_active(at: datetime, prefix: str = "") -> Q:
    """Return the condition for a consent in force at a moment (given, started, not yet ended)."""
    return Q(
        **{
            f"{prefix}status": Consent.Status.GIVEN,
            f"{prefix}valid_from__lte": at,
            f"{prefix}valid_until__gt": at,
        }
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
        _current(on), user=OuterRef("user"), user__is_active=True, unit__authority=OuterRef("authority")
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


@dataclass(frozen=True)
class CurrentMemberships:
    """The user's memberships current on a day, loaded once: (unit, role, authority) and the names audit rows use.

    The relation rules then compare with these few units instead of repeating the membership
    sub-query in each rule; the rows are exactly those `memberships(user, on=on)` returns, by id.
    """

    on: date
    rows: tuple[tuple[int, str, int, str, str], ...]  # (unit, role, authority, unit name, authority name)

    def units(self, roles: frozenset[str]) -> list[int]:
        return sorted({unit for unit, role, *_ in self.rows if role in roles})

    def unit_roles(self) -> list[tuple[int, str]]:
        return sorted({(unit, role) for unit, role, *_ in self.rows})

    @property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(unit for unit, *_ in self.rows)

    @property
    def authority_ids(self) -> frozenset[int]:
        return frozenset(authority for _, _, authority, *_ in self.rows)


def current_memberships(user, *, on: date | None = None) -> CurrentMemberships:
    """Load the user's current memberships in one query."""
    on = on or today()
    rows = (
        memberships(user, on=on)
        .order_by("pk")
        .values_list("unit_id", "role", "unit__authority_id", "unit__name", "unit__authority__name")
    )
    return CurrentMemberships(on, tuple(rows))


def _named_person_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[Assignment]:
    return Assignment.objects.filter(_current(on, "start", "end", end_exclusive=True), person=user)


def _enrolment_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[Enrolment]:
    if mine is None:
        units = memberships(user, on=on).filter(role__in=UNIT_ACCESS_ROLES).values("unit")
    else:
        units = mine.units(UNIT_ACCESS_ROLES)
    return Enrolment.objects.filter(_current(on, "start", "end"), unit__in=units)


def _assignment_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[AccessAssignment]:
    return AccessAssignment.objects.filter(_current(on), user=user)


def _handover_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[HandoverProposal]:
    if mine is None:
        receiving = Exists(memberships(user, on=on).filter(unit=OuterRef("to_unit"), role=OuterRef("to_role")))
    else:
        receiving = _any(Q(to_unit=unit, to_role=role) for unit, role in mine.unit_roles())
        if receiving is None:
            return HandoverProposal.objects.none()  # no current membership: no handover waits for the user
    return HandoverProposal.objects.filter(receiving, status=HandoverProposal.Status.OPEN)


def _report_rows(user, on: date, mine: CurrentMemberships | None = None) -> QuerySet[ReportOfConcern]:
    if mine is None:
        units = memberships(user, on=on).filter(role__in=REPORT_RECEIVING_ROLES).values("unit")
    else:
        units = mine.units(REPORT_RECEIVING_ROLES)
    return ReportOfConcern.objects.filter(to_unit__in=units)


def _relation_rows(user, on: date, mine: CurrentMemberships | None = None) -> tuple[QuerySet, ...]:
    """Return the user's relations to children, one queryset (with a `child` column) per rule.

    With `mine` (the user's memberships on `on`, already loaded) the rules that go through the
    user's units compare with those units; without it they read the memberships in a sub-query.
    """
    return (
        _named_person_rows(user, on, mine),  # the child's named person
        _enrolment_rows(user, on, mine),  # enrolled at the user's unit, role with access
        _assignment_rows(user, on, mine),  # explicitly assigned, time-limited
        _handover_rows(user, on, mine),  # an open handover waits for the user's role and unit
        _report_rows(user, on, mine),  # a report of concern received at the user's unit
    )


def _any(conditions: Iterable[Q]) -> Q | None:
    """Return the conditions joined by OR, or None when there are none."""
    joined = None
    for condition in conditions:
        joined = condition if joined is None else joined | condition
    return joined


def _relation_flags(user, on: date, mine: CurrentMemberships | None = None) -> dict[str, Exists]:
    """Return the relation rules (`_relation_rows`) as one EXISTS per rule about the outer child."""
    named_person, enrolment, assignment, handover, report = _relation_rows(user, on, mine)
    return {
        "via_named_person": Exists(named_person.filter(child=OuterRef("pk"))),
        "via_enrolment": Exists(enrolment.filter(child=OuterRef("pk"))),
        "via_assignment": Exists(assignment.filter(child=OuterRef("pk"))),
        "via_handover": Exists(handover.filter(child=OuterRef("pk"))),
        "via_report": Exists(report.filter(child=OuterRef("pk"))),
    }


def _among(user, among, *, on: date, mine: CurrentMemberships | None, select: bool) -> QuerySet[Child]:
    """Return the given children with at least one active relation, checking each child on its own.

    The relation flags are attached to the query once (as `alias`, or selected with `select`) and the
    filter refers to them, so each EXISTS is built once even when it is also selected.
    """
    flags = _relation_flags(user, on, mine)
    children = Child.objects.annotate(**flags) if select else Child.objects.alias(**flags)
    return children.filter(_any(Q(**{flag: True}) for flag in flags), pk__in=among)


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
    for rows in _relation_rows(user, on, mine):
        related |= Q(pk__in=rows.values("child"))
    return Child.objects.filter(related)


# The relations that name the basis of access, strongest first; a child seen through none of them is
# seen through a report of concern received at the user's unit (the fifth relation). `with_access`
# (in SQL) and `checked_children` (in Python, from the same flags) both read this table, so lists
# and single children never disagree on the basis.
_BASIS_FLAGS = (
    ("via_named_person", Basis.NAMED_PERSON),
    ("via_enrolment", Basis.ENROLMENT),
    ("via_assignment", Basis.ASSIGNMENT),
    ("via_handover", Basis.HANDOVER),
)
_BASIS_DEFAULT = Basis.REPORT


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
        **{flag: flags[flag] for flag, _ in _BASIS_FLAGS}, protected_need=_protected_need(user, on)
    )
    return children.annotate(
        identity_shown=ExpressionWrapper(
            Q(protection=Protection.NONE) | Q(via_named_person=True) | Q(protected_need=True),
            output_field=BooleanField(),
        ),
        basis=Case(
            *(When(**{flag: True}, then=Value(basis)) for flag, basis in _BASIS_FLAGS),
            default=Value(_BASIS_DEFAULT),
            output_field=CharField(),
        ),
    )


def _derive_access(child: Child) -> Child:
    """Set `basis` and `identity_shown` on a child loaded with the flags, as `with_access` computes them in SQL."""
    child.identity_shown = child.protection == Protection.NONE or child.via_named_person or child.protected_need
    child.basis = next((basis for flag, basis in _BASIS_FLAGS if getattr(child, flag)), _BASIS_DEFAULT)
    return child


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


def page_actor(request, *, mine: CurrentMemberships | None = None) -> audit.Actor:
    """Describe the signed-in user of a page request for audit rows (session-bound, like every page read)."""
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
        unit_name=", ".join(sorted({unit_name for *_, unit_name, _ in current.rows})),
        authority_id=first[2] if first else None,
        authority_name=first[4] if first else "",
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


@dataclass(frozen=True)
class Openings:
    """What opens another authority's records of one child to the user at one moment, loaded in one query.

    `consents`: category -> the lowest id of a consent in force that reaches the user's authorities
    and covers the category; `disclosures`: (owner authority, category) -> the lowest id of a decision
    to disclose in force naming one of the user's authorities; `emergencies`: owner authority -> the
    lowest id of the user's own emergency access in force; `blocked`: the (owner authority, category)
    pairs under a block that has not been lifted. A record's basis depends only on its owner
    authority and category, so these few rows decide every record of the child.
    """

    consents: dict[str, int]
    disclosures: dict[tuple[int, str], int]
    emergencies: dict[int, int]
    blocked: frozenset[tuple[int, str]]


def openings_for(access: ChildAccess) -> Openings:
    """Load, in one query, the consents, disclosure decisions, emergency accesses and blocks that apply now."""
    at = access.at or timezone.now()
    own = frozenset(access.authority_ids)
    no_owner = Value(None, output_field=IntegerField())
    no_category = Value(None, output_field=CharField())

    def kind(name: str) -> Value:
        return Value(name, output_field=CharField())

    columns = ("open_kind", "open_id", "open_owner", "open_category")
    consents = Consent.objects.filter(
        consent_active(at),
        consent_reaches(own, on=timezone.localdate(at)),  # named, in the child's open plan or a named team, now
        child=access.child,
    ).annotate(open_kind=kind("consent"), open_id=F("pk"), open_owner=no_owner, open_category=F("categories__category"))
    disclosures = DisclosureDecision.objects.filter(
        disclosure_active(at),
        child=access.child,
        recipients__in=own,
    ).annotate(
        open_kind=kind("disclosure"),
        open_id=F("pk"),
        open_owner=F("owner_authority"),
        open_category=F("categories__category"),
    )
    emergencies = EmergencyAccess.objects.filter(
        emergency_active(at),
        child=access.child,
        user_id=access.user_id,
    ).annotate(open_kind=kind("emergency"), open_id=F("pk"), open_owner=F("owner_authority"), open_category=no_category)
    blocks = Block.objects.filter(lifted_at__isnull=True, child=access.child).annotate(
        open_kind=kind("block"), open_id=F("pk"), open_owner=F("owner_authority"), open_category=F("category")
    )
    rows = (
        consents.values_list(*columns)
        .order_by()
        .union(
            disclosures.values_list(*columns).order_by(),
            emergencies.values_list(*columns).order_by(),
            blocks.values_list(*columns).order_by(),
            all=True,
        )
    )
    found: dict[str, dict] = {"consent": {}, "disclosure": {}, "emergency": {}}
    blocked = set()
    for open_kind, pk, owner, category in rows:
        if open_kind == "block":
            blocked.add((owner, category))
            continue
        if category is None and open_kind != "emergency":
            continue  # a consent or decision without categories opens nothing
        key = {"consent": category, "disclosure": (owner, category), "emergency": owner}[open_kind]
        table = found[open_kind]
        table[key] = min(pk, table.get(key, pk))  # the lowest id, as each record names one
    return Openings(found["consent"], found["disclosure"], found["emergency"], frozenset(blocked))


def with_openings(access: ChildAccess) -> ChildAccess:
    """Return the access carrying its `Openings`, for a page that reads several kinds of the child's records at once.

    Load it right before those reads and write nothing that could open or close records in between:
    `records_for_user` then filters with these rows instead of loading them again for each kind.
    """
    return replace(access, openings=openings_for(access))


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
    by_consent = Q(category__in=sorted(openings.consents)) if openings.consents else None
    by_disclosure = _any(Q(owner_authority=o, category=c) for o, c in sorted(openings.disclosures))
    by_emergency = Q(owner_authority__in=sorted(openings.emergencies)) if openings.emergencies else None
    blocked = _any(Q(owner_authority=o, category=c) for o, c in sorted(openings.blocked))
    visible = (
        Q(category__in=OPEN_TO_ANY_RELATION)  # identity and named person: any relation
        | Q(owner_authority__in=own)  # the user's own authority's records
    )
    opened = _any(condition for condition in (by_consent, by_disclosure, by_emergency) if condition is not None)
    if opened is not None:
        # Another authority's: consent, disclosure or emergency, never if blocked.
        visible |= opened & ~blocked if blocked is not None else opened
    bases = [
        When(category__in=OPEN_TO_ANY_RELATION, then=Value(Basis.OPEN_CATEGORY)),
        When(owner_authority__in=own, then=Value(Basis.OWN_RECORD)),
        *([When(by_consent, then=Value(Basis.CONSENT))] if by_consent is not None else []),
        *([When(by_disclosure, then=Value(Basis.DISCLOSURE))] if by_disclosure is not None else []),
    ]
    # The record's opening: a consent first, then a disclosure decision, then an emergency access.
    opened_by = [
        *(When(category=category, then=Value(pk)) for category, pk in sorted(openings.consents.items())),
        *(
            When(owner_authority=owner, category=category, then=Value(pk))
            for (owner, category), pk in sorted(openings.disclosures.items())
        ),
        *(When(owner_authority=owner, then=Value(pk)) for owner, pk in sorted(openings.emergencies.items())),
    ]
    return (
        queryset.filter(child=access.child)
        .filter(visible)
        .annotate(
            shared_basis=Case(*bases, default=Value(Basis.EMERGENCY), output_field=CharField()),
            shared_basis_id=Case(*opened_by, default=None, output_field=IntegerField())
            if opened_by
            else Value(None, output_field=IntegerField()),
        )
    )


SHARED_BASES = frozenset({Basis.CONSENT, Basis.DISCLOSURE, Basis.EMERGENCY})


def log_shared_reads(
    rows, *, actor: audit.Actor, surface: str, target: str, access: ChildAccess, action: str = "read"
) -> None:
    """Write one audit row per record read (or exported) through a consent, disclosure decision or emergency access."""
    for row in rows:
        if row.shared_basis not in SHARED_BASES:
            continue  # own and open records are covered by the read of the child itself
        audit.record(
            actor=actor,
            action=action,
            surface=surface,
            target=target,
            basis=f"{row.shared_basis}:{row.shared_basis_id}",
            child_id=access.child.pk,
            record_type=type(row).__name__,
            record_id=str(row.pk),
        )


# --- Consents: which a staff user sees, and which they may act on. ---


def consents_for(access: ChildAccess) -> QuerySet[Consent]:
    """Return the child's consents the user may see: those of the user's authority, or reaching it as a recipient."""
    own = access.authority_ids
    return Consent.objects.filter(
        Q(owner_authority__in=own)  # the authority that asked keeps the consent and answers for it
        | consent_reaches(own),  # a recipient must know what it may read, and until when
        child=access.child,
    )


def consents_managed_by(access: ChildAccess) -> QuerySet[Consent]:
    """Return the child's consents the user may change: only the asking authority records answers and changes."""
    return Consent.objects.filter(child=access.child, owner_authority__in=access.authority_ids)


# --- Sharing without consent: reports of concern, disclosure decisions and blocks. ---


def deciding_authorities(user, *, on: date | None = None) -> QuerySet[Authority]:
    """Return the authorities on whose information the user may decide (disclosure, blocks)."""
    # Only a deciding role decides, and only for its own authority: each authority is its own secrecy domain.
    deciding = memberships(user, on=on).filter(role__in=DECIDING_ROLES)
    return Authority.objects.filter(units__memberships__in=deciding).distinct()


def report_receiving_units(user, *, on: date | None = None) -> QuerySet[Unit]:
    """Return the social services units at which the user receives reports of concern."""
    receiving = memberships(user, on=on).filter(role__in=REPORT_RECEIVING_ROLES)
    # A report goes to a social services unit; a manager of a school receives none.
    return Unit.objects.filter(
        memberships__in=receiving, unit_type=Unit.Type.SOCIAL_SERVICES_TEAM, authority__sector="social_services"
    ).distinct()


def reports_received_by(user, *, on: date | None = None) -> QuerySet[ReportOfConcern]:
    """Return the reports of concern sent to the user's social services units."""
    if not (user.is_authenticated and user.is_active):
        return ReportOfConcern.objects.none()  # deny by default
    return ReportOfConcern.objects.filter(to_unit__in=report_receiving_units(user, on=on))


def reports_filed_by(user) -> QuerySet[ReportOfConcern]:
    """Return the receipts of the reports of concern the user filed.

    The reporter keeps a receipt of what they wrote and the feedback the law gives reporters,
    and nothing else: the report is social services' record, so it never reaches the reporter
    through `records_for_user`, and this function opens no other record of social services.
    It needs no current relation: the reporter may have moved on and still be owed the feedback.
    """
    if not (user.is_authenticated and user.is_active):
        return ReportOfConcern.objects.none()  # deny by default
    return ReportOfConcern.objects.filter(reporter=user)


def own_authority_rows(access: ChildAccess, queryset: QuerySet) -> QuerySet:
    """Filter a child's disclosure decisions or blocks to those its owning authority (the user's own) made.

    That an authority decided to share, refused to share or blocked its information is that
    authority's own information: other authorities must not even learn that a block exists.
    """
    return queryset.filter(child=access.child, owner_authority__in=access.authority_ids)


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


# --- The family view: guardians with custody and, from the configured age, the child itself. ---

DEFAULT_CHILD_LOGIN_AGE = 13  # DOMAIN.md default when the municipality has no SharingRules row


def age_on(birth_date: date, on: date) -> int:
    """Return a person's age in whole years on a day."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def child_login_age(municipality_id: int) -> int:
    """Return the age from which a child of the municipality may use the family view."""
    rules = SharingRules.objects.filter(municipality_id=municipality_id).values_list("child_login_age", flat=True)
    return next(iter(rules), DEFAULT_CHILD_LOGIN_AGE)


def _custody_rows(user, on: date) -> QuerySet[Guardianship]:
    return Guardianship.objects.filter(
        _current(on), guardian__user=user, guardian__user__is_active=True, has_custody=True
    )


def _self_child_id(user, on: date) -> UUID | None:
    own = Child.objects.filter(user=user, is_expected=False).values("pk", "birth_date", "municipality_id").first()
    if own is None:
        return None
    if age_on(own["birth_date"], on) < child_login_age(own["municipality_id"]):
        return None  # younger than the municipality's login age: the guardians see the child, not the child itself
    return own["pk"]


def family_children(user, *, on: date | None = None) -> QuerySet[Child]:
    """Return the children a family user may see in the family view, as one queryset.

    Staff relations play no part here: a family login is matched only through custody or the
    child's own login, and staff pages never see family users (they have no memberships).
    """
    if not (user.is_authenticated and user.is_active):
        return Child.objects.none()  # deny by default
    on = on or today()
    self_id = _self_child_id(user, on)
    return Child.objects.filter(
        Q(pk__in=_custody_rows(user, on).values("child"))  # a guardian with current custody
        | Q(pk=self_id)  # the child itself, from the municipality's login age
    )


def is_family_user(user) -> bool:
    """Return whether the user signs in as a parent, guardian or child (whether or not any child is shown)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return Guardian.objects.filter(user=user).exists() or Child.objects.filter(user=user).exists()


def family_basis(child: Child, user) -> str:
    """Return the basis on which a family user (already matched by family_children) sees the child."""
    # The child's own login reads as itself; every other family user here holds custody.
    return Basis.CHILD_SELF if child.user_id == user.pk else Basis.GUARDIAN


@dataclass(frozen=True)
class FamilyAccess:
    """A child a family user may see, and on what basis (Basis.GUARDIAN or Basis.CHILD_SELF)."""

    child: Child
    basis: str
    on: date
    user_id: int


def family_child_for_user(
    user,
    child_id: UUID | str,
    *,
    actor: audit.Actor,
    surface: str,
    target: str,
    action: str = "read",
    on: date | None = None,
) -> FamilyAccess:
    """Load a child the family user may see and log the access, or raise Http404 (missing or forbidden alike)."""
    on = on or today()
    try:
        child_id = UUID(str(child_id))
    except ValueError as exc:
        raise Http404 from exc
    child = family_children(user, on=on).filter(pk=child_id).select_related("municipality").first()
    if child is None:
        raise Http404
    basis = family_basis(child, user)
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
    return FamilyAccess(child=child, basis=basis, on=on, user_id=user.pk)

"""Reads for the named-person engine: rules, expected targets, and the lists behind the pages.

Lists of children start from `sharing.policy.visible_children`, so a page can never show a child
the access policy would hide; every filter runs in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from namedperson.models import Assignment, EndReason, HandoverProposal, HandoverSummary, StageRules
from namedperson.stages import RELEVANT_KINDS, DefaultRules, EnrolmentSpan, Rules, Target, add_years, expected_target
from organisations.models import Municipality
from people.models import Child, Enrolment
from sharing import policy
from sharing.categories import category_for_unit_type

# An open proposal this many days past its due date is shown to those who oversee coverage.
OVERDUE_AFTER = timedelta(days=14)
SORTS = {
    "namn": ("family_name", "given_name", "pk"),
    "sedan": ("np_since", "family_name", "given_name", "pk"),
    "fodd": ("birth_date", "family_name", "given_name", "pk"),
}


def rules_for(municipality: Municipality | int | None) -> Rules:
    """Return the municipality's stage rules, or the defaults where it has none."""
    municipality_id = municipality.pk if isinstance(municipality, Municipality) else municipality
    rules = StageRules.objects.filter(municipality_id=municipality_id).first() if municipality_id else None
    return rules or DefaultRules()


def rules_by_municipality() -> dict[int, Rules]:
    """Return every configured municipality's rules (municipalities not listed use the defaults)."""
    return {rules.municipality_id: rules for rules in StageRules.objects.all()}


def spans_for(child: Child) -> list[EnrolmentSpan]:
    """Return the child's enrolments that decide its named person (uses prefetched enrolments when present)."""
    return [
        EnrolmentSpan(kind=e.kind, unit_id=e.unit_id, start=e.start, end=e.end)
        for e in child.enrolments.all()
        if e.kind in RELEVANT_KINDS
    ]


def target_for(child: Child, on: date, *, rules: Rules | None = None) -> Target | None:
    """Return who should be the child's named person on a day, or None when the service has ended."""
    return expected_target(
        birth_date=child.birth_date,
        is_expected=child.is_expected,
        enrolments=spans_for(child),
        rules=rules or rules_for(child.municipality_id),
        on=on,
    )


def current_on(on: date) -> Q:
    """Return the filter for assignments in force on a day (half-open [start, end))."""
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))


def current_assignment(child: Child | UUID, *, on: date) -> Assignment | None:
    """Return the child's named-person assignment in force on a day."""
    return Assignment.objects.filter(current_on(on), child=child).select_related("person", "unit").first()


def _current_for_child(on: date) -> QuerySet[Assignment]:
    return Assignment.objects.filter(current_on(on), child=OuterRef("pk"))


@dataclass(frozen=True)
class ServiceLimits:
    """The stage rules and the handover deadline on one day, as plain values (a prepared query binds them).

    `municipalities` have rules of their own, `born_after` the matching birth-date limits (a child born
    after it is below the end age); every other municipality uses `default_born_after`. An open handover
    proposal due before `handover_overdue_before` needs attention.
    """

    municipalities: tuple[int, ...]
    born_after: tuple[date, ...]
    default_born_after: date
    handover_overdue_before: date


def service_limits(on: date) -> ServiceLimits:
    """Return the limits on a day (one query: the configured stage rules)."""
    configured = rules_by_municipality()
    ids = tuple(sorted(configured))
    return ServiceLimits(
        municipalities=ids,
        born_after=tuple(add_years(on, -configured[pk].end_age_years) for pk in ids),
        default_born_after=add_years(on, -DefaultRules.end_age_years),
        handover_overdue_before=on - OVERDUE_AFTER,
    )


def in_service(on: date, limits: ServiceLimits | None = None) -> Q:
    """Return the filter for children the named-person service still covers (per municipality's rules)."""
    limits = limits or service_limits(on)
    by_age = Q(~Q(municipality_id__in=list(limits.municipalities)), birth_date__gt=limits.default_born_after)
    for municipality_id, born_after in zip(limits.municipalities, limits.born_after, strict=True):
        by_age |= Q(municipality_id=municipality_id, birth_date__gt=born_after)
    upper_secondary = Enrolment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=on), child=OuterRef("pk"), kind="upper_secondary", start__lte=on
    )
    ended = Assignment.objects.filter(child=OuterRef("pk"), ended_reason=EndReason.SERVICE_ENDED)
    # Approximates the stage rules in SQL: below the end age, or in upper secondary, and never ended.
    return (by_age | Exists(upper_secondary)) & ~Exists(ended)


def my_children(user, *, on: date, search: str = "", sort: str = "namn") -> QuerySet[Child]:
    """Return the children the user is the named person of on a day, with stage and since-when."""
    mine = Assignment.objects.filter(current_on(on), person=user)
    mine_for_child = mine.filter(child=OuterRef("pk"))
    children = (
        policy.visible_children(user, on=on)
        .filter(pk__in=mine.values("child"))
        .annotate(
            np_stage=Subquery(mine_for_child.values("stage")[:1]),
            np_since=Subquery(mine_for_child.values("start")[:1]),
            np_unit=Subquery(mine_for_child.values("unit__name")[:1]),
        )
    )
    for word in search.split()[:5]:
        children = children.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    return children.order_by(*SORTS.get(sort, SORTS["namn"]))


def _with_current_named_person(proposals: QuerySet[HandoverProposal], on: date) -> QuerySet[HandoverProposal]:
    current = Assignment.objects.filter(current_on(on), child=OuterRef("child"))
    return proposals.annotate(
        from_first_name=Subquery(current.values("person__first_name")[:1]),
        from_last_name=Subquery(current.values("person__last_name")[:1]),
        from_unit=Subquery(current.values("unit__name")[:1]),
        from_stage=Subquery(current.values("stage")[:1]),
    )


def proposals_to_accept(user, *, on: date) -> QuerySet[HandoverProposal]:
    """Return open proposals the user may accept: a current membership with the role at the receiving unit."""
    eligible = policy.memberships(user, on=on).filter(unit=OuterRef("to_unit"), role=OuterRef("to_role"))
    proposals = HandoverProposal.objects.filter(
        Exists(eligible),
        status=HandoverProposal.Status.OPEN,
        child__in=policy.visible_children(user, on=on),
    )
    return _with_current_named_person(proposals, on).select_related("child", "to_unit").order_by("due_date", "pk")


def proposals_leaving(user, *, on: date) -> QuerySet[HandoverProposal]:
    """Return open proposals for children the user is the named person of (the child is about to move on)."""
    mine = Assignment.objects.filter(current_on(on), person=user).values("child")
    proposals = HandoverProposal.objects.filter(
        status=HandoverProposal.Status.OPEN,
        child__in=policy.visible_children(user, on=on).filter(pk__in=mine),
    )
    # The user writes the summary as the child's named person, so its existence is the user's own knowledge.
    return (
        proposals.annotate(has_summary=Exists(HandoverSummary.objects.filter(proposal=OuterRef("pk"))))
        .select_related("child", "to_unit")
        .order_by("due_date", "pk")
    )


def children_needing_attention(user, *, on: date, limits: ServiceLimits | None = None) -> QuerySet[Child]:
    """Return visible children without a named person, with no known receiving unit, or with an overdue handover.

    `limits` (`service_limits(on)` when not given) lets a prepared query take the day's limits as values.
    """
    limits = limits or service_limits(on)
    open_proposal = HandoverProposal.objects.filter(child=OuterRef("pk"), status=HandoverProposal.Status.OPEN)
    children = policy.visible_children(user, on=on).annotate(
        has_named_person=Exists(_current_for_child(on)),
        proposal_due=Subquery(open_proposal.values("due_date")[:1]),
        proposal_without_unit=Exists(open_proposal.filter(to_unit__isnull=True)),
    )
    # At most one open proposal per child (one_open_handover): the children with one that needs attention
    # are read once as a set (a hashed subplan), not probed child by child.
    needs_handover = HandoverProposal.objects.filter(
        Q(to_unit__isnull=True) | Q(due_date__lt=limits.handover_overdue_before), status=HandoverProposal.Status.OPEN
    ).values("child")
    children = children.filter(Q(pk__in=needs_handover) | (~Exists(_current_for_child(on)) & in_service(on, limits)))
    # A protected child the user may not name is listed last, by id: its place must not hint at its name.
    children = policy.with_access(children, user, on=on)
    return children.order_by(
        "-identity_shown",
        Case(When(identity_shown=True, then="family_name"), default=Value(""), output_field=CharField()),
        Case(When(identity_shown=True, then="given_name"), default=Value(""), output_field=CharField()),
        "pk",
    )


def count_without_named_person(user, *, on: date) -> int:
    """Return how many children in the user's municipalities have no named person (a number, no identities)."""
    municipalities = policy.user_authorities(user, on=on).values("municipality")
    # Deliberately outside visible_children: only an aggregate leaves this function, never a child.
    return (
        Child.objects.filter(municipality__in=municipalities)
        .filter(~Exists(_current_for_child(on)), in_service(on))
        .count()
    )


# --- Handover summaries: written by the outgoing named person, read only through the policy. ---


def summary_reach(proposal: HandoverProposal, writer: Assignment) -> tuple[str, int | None] | None:
    """Return on what basis the receiving unit's authority would read the writer's summary now, or None."""
    return policy.authority_reach(
        proposal.child,
        authority_id=proposal.to_unit.authority_id,
        owner_authority_id=writer.unit.authority_id,
        category=category_for_unit_type(writer.unit.unit_type),
    )


def summaries_for(access: policy.ChildAccess) -> QuerySet[HandoverSummary]:
    """Return the child's handover summaries the user may read (the policy's SQL filter), newest first."""
    rows = HandoverSummary.objects.select_related("author", "author_unit", "proposal")
    return policy.records_for_user(access, rows).order_by("-created_at", "-pk")


@dataclass(frozen=True)
class SummaryState:
    """What a receiver is shown of one handover's summary: its text, that it cannot be read, or that there is none."""

    readable: HandoverSummary | None
    hidden: HandoverSummary | None  # exists but the user may not read it: only who wrote it is shown


def proposal_summary(access: policy.ChildAccess, proposal: HandoverProposal) -> SummaryState:
    """Return the summary of a handover the user receives: readable through the policy, or only known to exist."""
    readable = summaries_for(access).filter(proposal=proposal).first()
    if readable is not None:
        return SummaryState(readable=readable, hidden=None)
    # Its existence (and who wrote it) is told to the receiver alone, who knows of the handover anyway.
    hidden = HandoverSummary.objects.filter(proposal=proposal).select_related("author", "author_unit").first()
    return SummaryState(readable=None, hidden=hidden)


def summaries_received_hidden(
    access: policy.ChildAccess, user, *, readable: QuerySet[HandoverSummary] | None = None
) -> QuerySet[HandoverSummary]:
    """Return summaries of handovers to the user (accepted by them, or waiting for them) that they may not read.

    Waiting for the user means what `proposals_to_accept` means, for this child (which the policy has
    already let the user see): an open proposal to a unit and role of the user's current memberships,
    compared with the memberships the access was checked with. `readable`, the page's `summaries_for`
    if already built, spares building it again.
    """
    mine = access.memberships
    if mine is None or mine.on != access.on:
        mine = policy.current_memberships(user, on=access.on)
    waiting = policy.any_of(Q(proposal__to_unit=unit, proposal__to_role=role) for unit, role in mine.unit_roles())
    to_user = Q(proposal__decided_by=user)
    if waiting is not None:
        to_user |= waiting & Q(proposal__status=HandoverProposal.Status.OPEN)
    readable = readable if readable is not None else summaries_for(access)
    return (
        HandoverSummary.objects.filter(to_user, child=access.child)
        .exclude(pk__in=readable.values("pk"))
        .select_related("author", "author_unit")
        .order_by("-created_at", "-pk")
    )

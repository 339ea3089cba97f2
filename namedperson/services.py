"""Writes for the named-person engine: first assignment, handover proposals and their acceptance.

The invariant: from a child's first assignment until the service ends, exactly one person is
its named person on every day. Assignments are half-open [start, end); a handover closes the old
one on the day the new one starts, inside one transaction, and the old named person stays
responsible until the receiving person accepts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from core import personnummer
from namedperson import selectors
from namedperson.models import Assignment, EndReason, HandoverProposal, HandoverSummary, Stage
from namedperson.stages import RELEVANT_KINDS, DefaultRules, EnrolmentSpan, Rules, Target, expected_target, target_start
from organisations.models import Role, Unit
from people.models import Child, Enrolment
from sharing import policy
from sharing.categories import Category, category_for_unit_type

BASIS = "named_person_handover"
BATCH_SIZE = 2000
TASK_NAME = "named-person handovers"
# The scheduled task acts as the system, not as a person.
SYSTEM_ACTOR = audit.Actor(user_id=None, username="run_due_tasks")
STAGE_ROLE = {
    Stage.PRE_BIRTH: Role.MIDWIFE,
    Stage.CHILD_HEALTH: Role.CHILD_HEALTH_NURSE,
    Stage.SCHOOL: Role.HEAD_TEACHER,
}
OPEN = HandoverProposal.Status.OPEN
# A child who has died or moved away keeps its record but gets no new named person (the import ended the last one).
IN_MUNICIPALITY = Q(deceased_on__isnull=True, moved_out_on__isnull=True)


@dataclass
class ProposalSummary:
    """What one run of the proposal service did."""

    checked: int = 0
    created: int = 0
    superseded: int = 0
    closed: int = 0
    without_unit: int = 0
    created_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return str(
            _(
                "%(checked)d barn kontrollerade; %(created)d förslag skapade, %(superseded)d ersatta, "
                "%(closed)d uppdrag avslutade; %(without_unit)d nya förslag saknar mottagande enhet."
            )
            % {
                "checked": self.checked,
                "created": self.created,
                "superseded": self.superseded,
                "closed": self.closed,
                "without_unit": self.without_unit,
            }
        )


class _Current(NamedTuple):
    pk: int
    child_id: UUID
    stage: str
    unit_id: int
    start: date


@dataclass(frozen=True)
class _ChildRow:
    pk: UUID
    birth_date: date
    is_expected: bool
    municipality_id: int


def _record(actor: audit.Actor, *, action: str, surface: str, target: str, record, reason: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        surface=surface,
        target=target,
        basis=BASIS,
        child_id=record.child_id,
        record_type=type(record).__name__,
        record_id=str(record.pk),
        reason=reason,
    )


def _check_no_overlap(child: Child, start: date) -> None:
    """Refuse a new period that would begin before an earlier one ended (SQLite has no exclusion constraint)."""
    latest_end = Assignment.objects.filter(child=child, end__isnull=False).aggregate(latest=Max("end"))["latest"]
    if latest_end is not None and latest_end > start:
        raise ValidationError(
            _("Barnet hade en namngiven person till och med %(day)s. Välj ett startdatum från och med den dagen.")
            % {"day": latest_end},
            code="overlap",
        )


@transaction.atomic
def named_person_assign(
    *,
    child: Child,
    person,
    unit: Unit,
    role: str,
    stage: str,
    start: date,
    actor: audit.Actor,
    surface: str = "page",
    target: str = "namedperson:assign",
) -> Assignment:
    """Make a person the first named person of a child that has none."""
    if Assignment.objects.select_for_update().filter(child=child, end__isnull=True).exists():
        raise ValidationError(
            _("Barnet har redan en namngiven person. Använd en överlämning för att byta."), code="has_named_person"
        )
    if STAGE_ROLE[Stage(stage)] != role:
        raise ValidationError(_("Rollen passar inte barnets skede. Välj en person med rätt roll."), code="role")
    if not policy.memberships(person, on=start).filter(unit=unit, role=role).exists():
        raise ValidationError(
            _("Personen har inte den rollen vid enheten det datumet. Välj en annan person eller enhet."),
            code="membership",
        )
    _check_no_overlap(child, start)
    assignment = Assignment(
        child=child,
        person=person,
        unit=unit,
        role=role,
        stage=stage,
        start=start,
        owner_authority_id=unit.authority_id,
        category=Category.NAMED_PERSON,
    )
    assignment.full_clean()
    assignment.save()
    _record(actor, action="create", surface=surface, target=target, record=assignment)
    # A proposal made before this choice may no longer fit; the next run proposes again if needed.
    for proposal in HandoverProposal.objects.select_for_update().filter(child=child, status=OPEN):
        _supersede(proposal, actor=actor, surface=surface, target=target)
    return assignment


def _supersede(proposal: HandoverProposal, *, actor: audit.Actor, surface: str, target: str) -> None:
    proposal.status = HandoverProposal.Status.SUPERSEDED
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_at"])
    _record(actor, action="update", surface=surface, target=target, record=proposal)


@transaction.atomic
def handover_accept(
    *,
    proposal: HandoverProposal,
    user,
    on: date,
    actor: audit.Actor | None = None,
    surface: str = "page",
    target: str = "namedperson:accept",
) -> Assignment:
    """Accept a handover: close the old assignment and open the user's on the same day, with no gap."""
    proposal = (
        HandoverProposal.objects.select_for_update(of=("self",)).select_related("child", "to_unit").get(pk=proposal.pk)
    )
    if proposal.status != OPEN:
        raise ValidationError(_("Överlämningen är redan avgjord. Ladda om sidan för att se läget."), code="decided")
    if proposal.to_unit is None:
        raise ValidationError(
            _("Ingen mottagande enhet är känd. Registrera barnets inskrivning, så skapas ett nytt förslag."),
            code="no_unit",
        )
    # Only the role the stage needs, at the receiving unit, on the day of acceptance.
    if not policy.memberships(user, on=on).filter(unit=proposal.to_unit, role=proposal.to_role).exists():
        raise PermissionDenied("only the receiving role at the receiving unit may accept")
    if on < proposal.due_date:
        raise ValidationError(
            _("Överlämningen kan tas emot från och med %(day)s.") % {"day": proposal.due_date}, code="early"
        )
    child = proposal.child
    wanted = Target(Stage(proposal.stage), proposal.to_unit_id, Role(proposal.to_role))
    if selectors.target_for(child, on) != wanted:
        raise ValidationError(
            _("Förslaget stämmer inte längre med barnets inskrivningar. Ladda om sidan för ett uppdaterat förslag."),
            code="stale",
        )
    actor = actor or policy.actor_for(user, session_key=None, on=on)
    current = Assignment.objects.select_for_update().filter(child=child, end__isnull=True).first()
    if current is not None:
        if current.start >= on:
            raise ValidationError(
                _("Nuvarande uppdrag började %(day)s. Överlämningen kan tas emot tidigast dagen efter.")
                % {"day": current.start},
                code="same_day",
            )
        current.end = on
        current.ended_reason = EndReason.HANDOVER
        current.full_clean()
        current.save(update_fields=["end", "ended_reason"])
        _record(actor, action="update", surface=surface, target=target, record=current)
    _check_no_overlap(child, on)
    assignment = Assignment(
        child=child,
        person=user,
        unit=proposal.to_unit,
        role=proposal.to_role,
        stage=proposal.stage,
        start=on,
        owner_authority_id=proposal.to_unit.authority_id,
        category=Category.NAMED_PERSON,
    )
    assignment.full_clean()
    assignment.save()
    _record(actor, action="create", surface=surface, target=target, record=assignment)
    proposal.status = HandoverProposal.Status.ACCEPTED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.full_clean()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    _record(actor, action="update", surface=surface, target=target, record=proposal)
    return assignment


def _clean_summary_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            _("Skriv en sammanfattning till nästa namngivna person, eller lämna sidan utan att spara."), code="empty"
        )
    if len(text) > HandoverSummary.MAX_LENGTH:
        raise ValidationError(
            _("Sammanfattningen får vara högst %(max)d tecken, men den är %(count)d. Korta den och spara igen.")
            % {"max": HandoverSummary.MAX_LENGTH, "count": len(text)},
            code="too_long",
        )
    if personnummer.contains_identity_number(text):
        raise ValidationError(
            _("Skriv inte personnummer i sammanfattningen. Mottagaren ser redan vilket barn det gäller."),
            code="identity_number",
        )
    return text


@transaction.atomic
def handover_summary_write(
    *,
    proposal: HandoverProposal,
    user,
    text: str,
    on: date,
    actor: audit.Actor,
    surface: str = "page",
    target: str = "namedperson:summary",
) -> HandoverSummary:
    """Write (or rewrite) the outgoing named person's summary of an open handover, as a record of their authority."""
    proposal = HandoverProposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    if proposal.status != OPEN:
        raise ValidationError(_("Överlämningen är redan avgjord. Ladda om sidan för att se läget."), code="decided")
    current = Assignment.objects.filter(selectors.current_on(on), child_id=proposal.child_id).select_related("unit")
    current = current.first()
    # Only the outgoing named person knows the child in the way the next one needs, and answers for the text.
    if current is None or current.person_id != user.pk:
        raise PermissionDenied("only the child's current named person may write the handover summary")
    if proposal.to_unit_id is None:
        raise ValidationError(
            _(
                "Ingen mottagande enhet är känd ännu. Skriv sammanfattningen när barnets nya inskrivning är "
                "registrerad."
            ),
            code="no_unit",
        )
    text = _clean_summary_text(text)
    summary = HandoverSummary.objects.select_for_update().filter(proposal=proposal).first()
    action = "update" if summary is not None else "create"
    if summary is None:
        summary = HandoverSummary(proposal=proposal, child_id=proposal.child_id)
    summary.owner_authority_id = current.unit.authority_id
    summary.category = category_for_unit_type(current.unit.unit_type)
    summary.author = user
    summary.author_unit = current.unit
    summary.text = text
    summary.full_clean()
    summary.save()
    _record(actor, action=action, surface=surface, target=target, record=summary)
    return summary


def handover_propose_due(*, on: date, batch_size: int = BATCH_SIZE) -> ProposalSummary:
    """Bring every child's open proposal in line with its expected target on a day; idempotent."""
    summary = ProposalSummary()
    rules = selectors.rules_by_municipality()
    last: UUID | None = None
    while True:
        children = Child.objects.filter(IN_MUNICIPALITY).order_by("pk")
        if last is not None:
            children = children.filter(pk__gt=last)
        rows = [
            _ChildRow(*row)
            for row in children.values_list("pk", "birth_date", "is_expected", "municipality_id")[:batch_size]
        ]
        if not rows:
            return summary
        # One transaction per batch: a crash loses at most one batch, and the next run redoes it.
        _propose_batch(
            rows,
            on=on,
            rules=rules,
            summary=summary,
            actor=SYSTEM_ACTOR,
            surface="task",
            target=TASK_NAME,
            contiguous=True,
        )
        last = rows[-1].pk


def handover_propose_for(
    *,
    child_ids: Iterable[UUID],
    on: date,
    actor: audit.Actor = SYSTEM_ACTOR,
    surface: str = "task",
    target: str = TASK_NAME,
) -> ProposalSummary:
    """Bring the given children's open proposals in line with their expected targets on a day."""
    summary = ProposalSummary()
    children = Child.objects.filter(IN_MUNICIPALITY, pk__in=list(child_ids)).order_by("pk")
    rows = [_ChildRow(*row) for row in children.values_list("pk", "birth_date", "is_expected", "municipality_id")]
    if rows:
        _propose_batch(
            rows,
            on=on,
            rules=selectors.rules_by_municipality(),
            summary=summary,
            actor=actor,
            surface=surface,
            target=target,
        )
    return summary


def _propose_batch(
    rows: list[_ChildRow],
    *,
    on: date,
    rules: dict[int, Rules],
    summary: ProposalSummary,
    actor: audit.Actor,
    surface: str,
    target: str,
    contiguous: bool = False,
) -> None:
    # A keyset batch is every child between its first and last id, and a range scans the index far faster
    # than an IN list of 2 000 ids; arbitrary ids need the list.
    if contiguous:
        scope = Q(child_id__gte=rows[0].pk, child_id__lte=rows[-1].pk)
    else:
        scope = Q(child_id__in=[row.pk for row in rows])
    with audit.deferred():
        spans: dict[UUID, list[EnrolmentSpan]] = defaultdict(list)
        enrolments = Enrolment.objects.filter(scope, kind__in=RELEVANT_KINDS)
        for child_id, kind, unit_id, start, end in enrolments.values_list(
            "child_id", "kind", "unit_id", "start", "end"
        ):
            spans[child_id].append(EnrolmentSpan(kind=kind, unit_id=unit_id, start=start, end=end))
        # Plain tuples: building 2 000 model instances per batch costs more than the queries.
        current = Assignment.objects.select_for_update().filter(scope, end__isnull=True)
        assignments = {
            row[1]: _Current(*row) for row in current.values_list("pk", "child_id", "stage", "unit_id", "start")
        }
        proposals = {p.child_id: p for p in HandoverProposal.objects.select_for_update().filter(scope, status=OPEN)}
        stale: list[HandoverProposal] = []
        new: list[HandoverProposal] = []
        for row in rows:
            child_rules = rules.get(row.municipality_id) or DefaultRules()
            facts = {
                "birth_date": row.birth_date,
                "is_expected": row.is_expected,
                "enrolments": spans[row.pk],
                "rules": child_rules,
                "on": on,
            }
            wanted = expected_target(**facts)
            assignment = assignments.get(row.pk)
            proposal = proposals.get(row.pk)
            if proposal is not None and not _proposal_fits(proposal, assignment, wanted):
                stale.append(proposal)
                proposal = None
            if wanted is None:
                if assignment is not None:
                    _close_ended(assignment, target_start(**facts), actor=actor, surface=surface, target=target)
                    summary.closed += 1
            elif proposal is None and not _assignment_fits(assignment, wanted):
                new.append(
                    HandoverProposal(
                        child_id=row.pk,
                        stage=wanted.stage,
                        to_unit_id=wanted.unit_id,
                        to_role=wanted.role,
                        due_date=target_start(**facts),
                    )
                )
        summary.checked += len(rows)
        _write_proposals(stale, new, summary=summary, actor=actor, surface=surface, target=target)


def _assignment_fits(assignment: _Current | None, wanted: Target) -> bool:
    return assignment is not None and (assignment.stage, assignment.unit_id) == (wanted.stage, wanted.unit_id)


def _proposal_fits(proposal: HandoverProposal, assignment: _Current | None, wanted: Target | None) -> bool:
    """Return whether an open proposal still describes a handover the child needs."""
    if wanted is None or _assignment_fits(assignment, wanted):
        return False
    return (proposal.stage, proposal.to_unit_id, proposal.to_role) == (wanted.stage, wanted.unit_id, wanted.role)


def _close_ended(current: _Current, ended_on: date, *, actor: audit.Actor, surface: str, target: str) -> None:
    """Close an assignment on the day the service ended (in the past if the task ran late; the policy reads dates)."""
    assignment = Assignment.objects.get(pk=current.pk)
    assignment.end = max(ended_on, assignment.start + timedelta(days=1))
    assignment.ended_reason = EndReason.SERVICE_ENDED
    assignment.full_clean()
    assignment.save(update_fields=["end", "ended_reason"])
    _record(actor, action="update", surface=surface, target=target, record=assignment)


def _write_proposals(
    stale: list[HandoverProposal],
    new: list[HandoverProposal],
    *,
    summary: ProposalSummary,
    actor: audit.Actor,
    surface: str,
    target: str,
) -> None:
    # Supersede before creating: at most one open proposal per child (partial unique constraint).
    if stale:
        HandoverProposal.objects.filter(pk__in=[p.pk for p in stale]).update(
            status=HandoverProposal.Status.SUPERSEDED, decided_at=timezone.now()
        )
        for proposal in stale:
            _record(actor, action="update", surface=surface, target=target, record=proposal)
        summary.superseded += len(stale)
    if new:
        # Built from rows just read from the database, so full_clean's per-row queries would add nothing.
        created = HandoverProposal.objects.bulk_create(new)
        for proposal in created:
            _record(actor, action="create", surface=surface, target=target, record=proposal)
        summary.created += len(created)
        summary.without_unit += sum(1 for p in created if p.to_unit_id is None)
        summary.created_ids.extend(p.pk for p in created)

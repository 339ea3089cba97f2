"""The events that wait for someone, each with its recipients: one query per kind, whatever the number of events
(for overdue actions, one more per action owner of another authority than the plan's).

An event is a kind, a key unique to what waits, a recipient, the child it concerns (for the audit
log only) and the page it links to. The pages themselves check access when the user signs in:
a link is no permission.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from namedperson.models import HandoverProposal
from notifications.models import Kind
from organisations.models import Membership, Role
from people.models import Child, Guardianship
from plans.models import ENDED, ChildPlan, Participant, PlanAgreement, PlanVersion, Reminder
from plans.selectors import AGREEABLE
from sharing import policy
from sharing.models import Consent, ConsentParty, EmergencyAccess, SharingRules
from sharing.services.consents import ChildSay, child_say

EXPIRY_WARNING_DAYS = 14  # a consent about to expire is announced this many days ahead
HANDOVER_WARNING_DAYS = 14
EMERGENCY_TOLD_DAYS = 30  # emergency accesses older than this are not announced (e.g. on a first run)


@dataclass(frozen=True)
class Event:
    kind: str
    key: str
    user_id: int
    child_id: UUID | None
    path: str


def _custodial(on: date, guardian: str = "guardian", child: str = "child") -> Exists:
    """Return the condition that the row's guardian has custody of the row's child on the day."""
    return Exists(
        Guardianship.objects.filter(policy.custody_in_force(on), guardian=OuterRef(guardian), child=OuterRef(child))
    )


def _says(on: date, children) -> dict[UUID, ChildSay]:
    """Return who answers for each child on the day (`child_say`, the one rule): two queries for any number."""
    rows = list(Child.objects.filter(pk__in=children).only("pk", "birth_date", "is_expected", "municipality_id"))
    rules = {
        row.municipality_id: row
        for row in SharingRules.objects.filter(municipality_id__in={row.municipality_id for row in rows})
    }
    return {
        child.pk: child_say(
            child, rules.get(child.municipality_id) or SharingRules(municipality_id=child.municipality_id), on
        )
        for child in rows
    }


def plans_waiting(on: date, *, version_ids: list[int] | None = None) -> Iterator[Event]:
    """Those whose answer agrees a plan whose newest version was sent to the family, and who have not answered.

    The rule of `plans.services.plan_send_to_family`: the guardians in the plan with custody unless the child
    answers alone, and the child itself from the consent age (alone from 18) when its own login shows it its
    record in the family view.
    """
    newer = PlanVersion.objects.filter(plan=OuterRef("plan"), number__gt=OuterRef("number"))
    versions = PlanVersion.objects.filter(
        ~Exists(newer), sent_at__isnull=False, agreed_at__isnull=True, plan__status__in=AGREEABLE
    )
    if version_ids is not None:
        versions = versions.filter(pk__in=version_ids)
    waiting = Participant.objects.annotate(version_id=F("plan__versions__pk"), child_id=F("plan__child_id")).filter(
        version_id__in=versions.values("pk")
    )
    answered = PlanAgreement.objects.filter(version=OuterRef("version_id"), guardian=OuterRef("guardian"))
    guardians = list(
        waiting.filter(role=Participant.Role.GUARDIAN, guardian__user__is_active=True)
        .filter(_custodial(on, child="plan__child"), ~Exists(answered))
        .values_list("version_id", "guardian__user_id", "child_id")
    )
    child_answered = PlanAgreement.objects.filter(version=OuterRef("version_id"), role=Participant.Role.CHILD)
    children = list(
        waiting.filter(role=Participant.Role.CHILD)
        .filter(~Exists(child_answered))
        .values_list("version_id", "child_id")
    )
    if not guardians and not children:
        return
    says = _says(on, {child_id for *_rest, child_id in guardians} | {child_id for _version, child_id in children})
    own = policy.own_logins({child_id for _version, child_id in children}, on)
    for version_id, user_id, child_id in guardians:
        if says[child_id].alone:
            continue  # the child answers alone: the guardians' answer does not agree the plan
        path = reverse("family:plan", args=[child_id])
        yield Event(Kind.PLAN_WAITING, f"plan_waiting:{version_id}", user_id, child_id, path)
    for version_id, child_id in children:
        if child_id in own and says[child_id].consents:
            path = reverse("family:plan", args=[child_id])
            yield Event(Kind.PLAN_WAITING, f"plan_waiting:{version_id}", own[child_id], child_id, path)


def consents_waiting(on: date, *, consent_ids: list[int] | None = None) -> Iterator[Event]:
    """The parties asked for a consent who have not answered: guardians with custody, and the child itself.

    The child is a party whose consent is asked from the consent age (`services.consents._parties`), and
    answers in the family view when its own login shows it its record there.
    """
    parties = ConsentParty.objects.filter(
        consent__status=Consent.Status.REQUESTED, decision=ConsentParty.Decision.PENDING
    )
    if consent_ids is not None:
        parties = parties.filter(consent_id__in=consent_ids)
    guardians = parties.filter(guardian__user__is_active=True).filter(_custodial(on, child="consent__child"))
    for consent_id, user_id, child_id in guardians.values_list("consent_id", "guardian__user_id", "consent__child_id"):
        path = reverse("family:consents", args=[child_id])
        yield Event(Kind.CONSENT_WAITING, f"consent_waiting:{consent_id}", user_id, child_id, path)
    children = list(parties.filter(is_child=True).values_list("consent_id", "consent__child_id"))
    own = policy.own_logins({child_id for _consent, child_id in children}, on) if children else {}
    for consent_id, child_id in children:
        if child_id in own:
            path = reverse("family:consents", args=[child_id])
            yield Event(Kind.CONSENT_WAITING, f"consent_waiting:{consent_id}", own[child_id], child_id, path)


def consents_expiring(on: date) -> Iterator[Event]:
    """The parties of a given consent that ends within the warning days: guardians with custody, the child itself.

    The child is told of a consent in force that it gave itself (not one where it only gave its view), and
    never of one the guardians gave that lapsed on its 18th birthday.
    """
    now = timezone.now()
    soon = now + timedelta(days=EXPIRY_WARNING_DAYS)
    parties = ConsentParty.objects.filter(
        consent__status=Consent.Status.GIVEN,
        consent__valid_until__gt=now,
        consent__valid_until__lte=soon,
    )
    guardians = parties.filter(guardian__user__is_active=True).filter(_custodial(on, child="consent__child"))
    for consent_id, user_id, child_id in guardians.values_list("consent_id", "guardian__user_id", "consent__child_id"):
        path = reverse("family:consents", args=[child_id])
        yield Event(Kind.CONSENT_EXPIRES, f"consent_expires:{consent_id}", user_id, child_id, path)
    children = list(
        parties.filter(
            policy.consent_active(now, "consent__"), is_child=True, decision=ConsentParty.Decision.GIVEN
        ).values_list("consent_id", "consent__child_id")
    )
    own = policy.own_logins({child_id for _consent, child_id in children}, on) if children else {}
    for consent_id, child_id in children:
        if child_id in own:
            path = reverse("family:consents", args=[child_id])
            yield Event(Kind.CONSENT_EXPIRES, f"consent_expires:{consent_id}", own[child_id], child_id, path)


def emergencies_happened(on: date, *, emergency_ids: list[int] | None = None) -> Iterator[Event]:
    """Custodial guardians of a child whose data was opened by emergency access, and the child itself.

    The child is told when it answers for its own data (from the consent age, always from 18) and its own
    login shows it its record, and with it the log extract the notification links to.
    """
    accesses = EmergencyAccess.objects.filter(started_at__gte=timezone.now() - timedelta(days=EMERGENCY_TOLD_DAYS))
    if emergency_ids is not None:
        accesses = accesses.filter(pk__in=emergency_ids)
    rows = list(accesses.values_list("pk", "child_id"))
    if not rows:
        return
    custody = Guardianship.objects.filter(
        policy.custody_in_force(on), child__in=accesses.values("child"), guardian__user__is_active=True
    ).values_list("child_id", "guardian__user_id")
    told: dict[UUID, list[int]] = {}
    for child_id, user_id in custody:
        told.setdefault(child_id, []).append(user_id)
    own = policy.own_logins({child_id for _access, child_id in rows}, on)
    says = _says(on, list(own)) if own else {}
    for child_id, user_id in own.items():
        if says[child_id].consents:
            told.setdefault(child_id, []).append(user_id)
    for access_id, child_id in rows:
        for user_id in told.get(child_id, []):
            path = reverse("family:child_log", args=[child_id])
            yield Event(Kind.EMERGENCY_HAPPENED, f"emergency:{access_id}", user_id, child_id, path)


def _current_members(on: date) -> Q:
    return policy.current(on) & Q(user__is_active=True)


def handovers_due(on: date) -> Iterator[Event]:
    """Staff in the receiving unit and role of an open handover that begins within the warning days."""
    due = on + timedelta(days=HANDOVER_WARNING_DAYS)
    rows = Membership.objects.filter(_current_members(on)).filter(
        Exists(
            HandoverProposal.objects.filter(
                status=HandoverProposal.Status.OPEN,
                due_date__lte=due,
                to_unit=OuterRef("unit"),
                to_role=OuterRef("role"),
            )
        )
    )
    units = {}
    for unit_id, role, user_id in rows.values_list("unit_id", "role", "user_id"):
        units.setdefault((unit_id, role), set()).add(user_id)
    proposals = HandoverProposal.objects.filter(status=HandoverProposal.Status.OPEN, due_date__lte=due).exclude(
        to_unit=None
    )
    path = reverse("namedperson:handovers")
    for proposal_id, unit_id, role, child_id in proposals.values_list("pk", "to_unit_id", "to_role", "child_id"):
        for user_id in sorted(units.get((unit_id, role), ())):
            yield Event(Kind.HANDOVER_DUE, f"handover:{proposal_id}", user_id, child_id, path)


def reminders_due(on: date) -> Iterator[Event]:
    """The lead professional (or the plan's starter) of a due review; the owner (or the lead) of an overdue action.

    An action's owner is told only while they may read its plan (their reminders list it only then): an owner
    who works for another authority than the plan's is checked through the policy, one query per such owner.
    """
    rows = (
        Reminder.objects.filter(kind__in=[Reminder.Kind.REVIEW_DUE, Reminder.Kind.ACTION_OVERDUE])
        .exclude(plan__status__in=ENDED)
        .values_list(
            "pk",
            "kind",
            "plan__child_id",
            "plan__lead_professional_id",
            "plan__created_by_id",
            "action__owner_person_id",
            "plan_id",
            "plan__owner_authority_id",
        )
    )
    path = reverse("plans:reminders")
    found = []
    outside: dict[int, set[int]] = {}  # action owners of another authority than the plan's: their plans
    for reminder_id, kind, child_id, lead_id, starter_id, owner_id, plan_id, plan_owner in rows:
        if kind == Reminder.Kind.REVIEW_DUE:
            found.append((Kind.REVIEW_DUE, reminder_id, lead_id or starter_id, child_id, None))
        else:
            found.append((Kind.ACTION_DUE, reminder_id, owner_id or lead_id or starter_id, child_id, plan_id))
            if owner_id is not None:
                outside.setdefault(owner_id, set()).add((plan_id, plan_owner))
    readable = _plans_readable_by_owners(outside, on)
    for kind, reminder_id, user_id, child_id, plan_id in found:
        if plan_id is None or (user_id, plan_id) in readable:
            yield Event(kind, f"reminder:{reminder_id}", user_id, child_id, path)


def _plans_readable_by_owners(owners: dict[int, set[tuple[int, int]]], on: date) -> set[tuple[int, int]]:
    """Return the (user, plan) pairs among the owners' plans that the user may read (`policy.readable_records`)."""
    authorities: dict[int, set[int]] = {}
    for user_id, authority_id in Membership.objects.filter(_current_members(on), user__in=owners).values_list(
        "user_id", "unit__authority_id"
    ):
        authorities.setdefault(user_id, set()).add(authority_id)
    users = get_user_model().objects.in_bulk(owners)
    readable = set()
    for user_id, plans in owners.items():
        own = authorities.get(user_id, set())
        readable |= {(user_id, plan_id) for plan_id, owner in plans if owner in own}
        others = [plan_id for plan_id, owner in plans if owner not in own]
        if others and user_id in users:  # another authority's plan: open to them only as the policy says
            opened = policy.readable_records(users[user_id], ChildPlan.objects.filter(pk__in=others), on=on)
            readable |= {(user_id, plan_id) for plan_id in opened.values_list("pk", flat=True)}
    return readable


def emergency_reviews_due(on: date) -> Iterator[Event]:
    """Managers of the owning authority of an emergency access that has ended and waits for review."""
    now = timezone.now()
    accesses = EmergencyAccess.objects.filter(review=EmergencyAccess.Review.PENDING).filter(
        Q(ended_at__isnull=False) | Q(ends_at__lte=now)
    )
    managers = Membership.objects.filter(
        _current_members(on), role=Role.MANAGER, unit__authority__in=accesses.values("owner_authority")
    ).values_list("unit__authority_id", "user_id")
    by_authority: dict[int, set[int]] = {}
    for authority_id, user_id in managers:
        by_authority.setdefault(authority_id, set()).add(user_id)
    path = reverse("sharing:emergency_review_queue")
    for access_id, authority_id, child_id in accesses.values_list("pk", "owner_authority_id", "child_id"):
        for user_id in sorted(by_authority.get(authority_id, ())):
            yield Event(Kind.EMERGENCY_REVIEW_DUE, f"emergency_review:{access_id}", user_id, child_id, path)


def all_due(on: date) -> Iterator[Event]:
    """Every event that waits for someone on the day."""
    yield from plans_waiting(on)
    yield from consents_waiting(on)
    yield from consents_expiring(on)
    yield from emergencies_happened(on)
    yield from handovers_due(on)
    yield from reminders_due(on)
    yield from emergency_reviews_due(on)

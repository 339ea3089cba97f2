"""Writes to the child's plan: start, change (with optimistic locking), agree, review, close, decline.

Every service is atomic, validates before saving and writes its audit row in the same
transaction. Every write to the plan row raises `version` by one; a change of the plan's own
fields names the version it was based on and is refused with `PlanConflict` if someone else has
saved since, so nothing is silently overwritten. Actions carry their own `version` and are
edited the same way (`ActionConflict`).

A plan is agreed in one of two ways, under one rule (`_answer_problem`): staff record
everyone's answers at once (`plan_agree`), or staff send the plan to the guardians
(`plan_send_to_family`), each guardian answers for themselves in the family view
(`plan_answer_by_guardian`), and the plan is agreed when the last of them agrees. Whose answer
counts follows the consent rule (`child_say`): the guardians with custody, the child too from
the municipality's consent age, and from 18 the young person alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from namedperson.models import Assignment
from organisations.models import Authority, Membership, Unit
from people.models import Child, Guardian
from plans.models import (
    ENDED,
    Action,
    ChildPlan,
    Kind,
    NeedSummary,
    Participant,
    PlanAgreement,
    PlanVersion,
    Reminder,
    Review,
    Status,
    StatutoryPlanLink,
)
from plans.selectors import AGREEABLE, IN_FORCE, awaiting_version, needs_renewal_at_majority, unchanged_since
from plans.snapshot import plan_snapshot
from sharing import policy
from sharing.services.consents import ChildSay, child_say, custodians, rules_for
from wellbeing.indicators import Indicator
from wellbeing.services import Via  # one shape for every child-record write's audit row

User = get_user_model()

ONE_OPEN_PLAN = _(
    "Barnet har redan en plan som inte är avslutad. Öppna den och ändra den i stället, eller avsluta den först."
)
NEEDS_LEAD = _(
    "Planen omfattar två eller fler myndigheter. Välj en ansvarig samordnare innan du sparar eller godkänner planen."
)
MULTI_NEEDS_LEAD = _("En plan med flera verksamheter ska ha en ansvarig samordnare. Välj en.")
LEAD_NOT_TAKING_PART = _(
    "Den ansvariga samordnaren ska arbeta i en myndighet som deltar i planen (%(authorities)s). Välj någon "
    "därifrån, eller lägg först till den andra myndigheten som deltagare i planen."
)
LEAD_LEAVES = _(
    "%(name)s är planens ansvariga samordnare och deltar för den här myndigheten. Byt ansvarig samordnare "
    "först, och ta sedan bort deltagaren."
)
NO_UNIT = _("Du har ingen aktuell anställning i Samplan och kan inte starta en plan. Kontakta din administratör.")
NOT_YOUR_UNIT = _("Välj en av de enheter där du arbetar i dag.")
NEEDS_REASONS = _("Skriv varför barnet behöver en plan, med vanliga ord.")
NOT_OPEN = _("Planen är avslutad och kan inte ändras. Starta en ny plan om barnet behöver stöd igen.")
NOT_IN_STATUS = _("Det går inte i planens nuvarande läge (%(status)s). Ladda om sidan och se vad som gäller nu.")
NEEDS_NAME = _("Skriv deltagarens namn, eller välj en person.")
NEEDS_ACTION = _("Lägg till minst en åtgärd innan planen godkänns.")
NEEDS_GUARDIAN_ANSWER = _("Registrera om varje vårdnadshavare i planen instämmer innan planen godkänns.")
GUARDIAN_DISAGREES = _(
    "En vårdnadshavare instämmer inte. Planen kan inte godkännas: ändra den tillsammans med familjen, eller "
    "registrera att familjen tackar nej."
)
NEEDS_CHILD_ANSWER = _(
    "Registrera om barnet instämmer innan planen godkänns. Från den ålder kommunen har satt, och alltid från 18 år, "
    "krävs barnets eget godkännande."
)
CHILD_DISAGREES = _(
    "Barnet instämmer inte. Planen kan inte godkännas: ändra den tillsammans med barnet, eller registrera att "
    "familjen tackar nej."
)
UNKNOWN_PARTICIPANT = _("Svaret gäller en person som inte är deltagare i planen. Ladda om sidan och försök igen.")
UNKNOWN_INDICATOR = _("Välj en av de åtta indikatorerna.")
NEEDS_CLOSE_REASON = _("Skriv varför planen avslutas, till exempel att oron är borta.")
REVIEW_OPEN = _("Slutför den pågående uppföljningen innan du avslutar planen.")
NEEDS_HELD_ON = _("Ange vilket datum uppföljningen hölls.")
IN_FUTURE = _("Datumet kan inte ligga i framtiden.")
NEEDS_ANSWERS = _("Besvara minst frågorna om vad som blivit bättre och om planens syfte har uppnåtts.")
ENDS_BEFORE_START = _("Slutdatumet kan inte ligga före startdatumet.")
ACTION_LOCKED = _(
    "Åtgärderna i en godkänd plan ändras vid en uppföljning. Starta en uppföljning för att ändra åtgärden; "
    "läget kan du ändra när som helst."
)
ACTION_GONE = _("Åtgärden finns inte längre i planen. Ladda om sidan.")
NO_GUARDIAN = _(
    "Planen har ingen vårdnadshavare som deltagare. Lägg till vårdnadshavarna, eller registrera godkännandet själv."
)
CANNOT_ANSWER_ONLINE = _(
    "%(names)s kan inte svara i Samplan (inget konto för familjevyn, eller ingen vårdnad i dag). Registrera "
    "familjens svar under Registrera godkännande i stället."
)
ALREADY_SENT = _("Planen väntar redan på vårdnadshavarnas svar, och ingenting har ändrats sedan den skickades.")
NOT_AWAITING = _("Planen väntar inte på ditt svar just nu. Gå tillbaka till planen och se vad som gäller.")
CHANGED_SINCE_SENT = _(
    "Planen har ändrats sedan den skickades till er. Den ansvariga samordnaren skickar den igen när den är klar, "
    "och då kan du svara."
)
NOT_A_PARTY = _(
    "Du är inte med som vårdnadshavare i den här planen och kan inte svara på den. Kontakta den ansvariga "
    "samordnaren om du vill vara med."
)
CHILD_NOT_A_PARTY = _(
    "Planen väntar inte på ditt svar. Vill du säga vad du tycker om planen, kontakta den ansvariga samordnaren."
)
ALREADY_ANSWERED = _(
    "Du har redan svarat på den här versionen av planen. Vill du ändra ditt svar, kontakta den ansvariga samordnaren."
)

# The plan's own fields that the edit form changes; the optimistic lock guards exactly these.
EDITABLE = (
    "kind",
    "lead_professional",
    "reasons",
    "risk_level",
    "harmful_behaviour",
    "risk_triggers",
    "risk_effect",
    "contingency",
    "review_arrangements",
    "review_interval_weeks",
    "next_review_on",
)


# The action's fields that the edit form changes; the action's optimistic lock guards exactly these.
ACTION_EDITABLE = (
    "description",
    "owner_authority",
    "owner_person",
    "resources",
    "start",
    "end",
    "expected_outcome",
    "indicators",
    "status",
)
# An agreed plan's actions are what the family agreed to: they change in a draft or at a review.
ACTIONS_EDITABLE_IN = (Status.DRAFT, Status.REVIEW)


class PlanConflict(Exception):
    """Someone else saved the plan after the version the change was based on; nothing was saved."""

    def __init__(self, current: ChildPlan):
        super().__init__("plan changed since the submitted version")
        self.current = current


class ActionConflict(Exception):
    """Someone else saved the action after the version the change was based on; nothing was saved."""

    def __init__(self, current: Action):
        super().__init__("action changed since the submitted version")
        self.current = current


def _record(via: Via, child_id, record, action: str = "create") -> None:
    audit.record(
        actor=via.actor,
        action=action,
        surface=via.surface,
        target=via.target,
        basis=via.basis,
        child_id=child_id,
        record_type=type(record).__name__,
        record_id=str(record.pk),
    )


def _not_in(plan: ChildPlan) -> ValidationError:
    return ValidationError({"__all__": [NOT_IN_STATUS % {"status": plan.get_status_display()}]})


def _require_open(plan: ChildPlan) -> None:
    if plan.status in ENDED:
        raise ValidationError({"__all__": [NOT_OPEN]})


def _bump(plan: ChildPlan, **values: Any) -> ChildPlan:
    """Write lifecycle fields, raising the version so an editor holding the old one must merge."""
    ChildPlan.objects.filter(pk=plan.pk).update(**values, version=F("version") + 1, updated_at=timezone.now())
    plan.refresh_from_db()
    return plan


def current_named_person(child: Child, *, on: date | None = None) -> Assignment | None:
    """Return the child's current named-person assignment, if any."""
    on = on or policy.today()
    current = Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))
    return Assignment.objects.filter(current, child=child).select_related("person", "unit").order_by("-start").first()


def user_authority(user) -> Authority:
    """Return the authority a staff user writes plans for: the one of their first current membership."""
    membership = policy.memberships(user).select_related("unit__authority").order_by("pk").first()
    if membership is None:
        raise ValidationError({"__all__": [NO_UNIT]})
    return membership.unit.authority


def user_units(user) -> QuerySet[Unit]:
    """Return the units a staff user works in today, any of which may own a plan the user starts."""
    return (
        Unit.objects.filter(memberships__in=policy.memberships(user))
        .select_related("authority")
        .distinct()
        .order_by("authority__name", "name", "pk")
    )


def _authority_ids(authorities: Authority | Iterable[int]) -> set[int]:
    return {authorities.pk} if isinstance(authorities, Authority) else set(authorities)


def lead_candidates(authorities: Authority | Iterable[int]):
    """Return the staff who may lead a plan these authorities take part in (a current membership with child work)."""
    from directory.selectors import allowed_staff

    return allowed_staff(_authority_ids(authorities))


def current_members(authorities: Authority | Iterable[int]) -> QuerySet[Membership]:
    """Return the authorities' current memberships in roles that work with children."""
    on = policy.today()
    return Membership.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        valid_from__lte=on,
        unit__authority__in=_authority_ids(authorities),
        role__in=policy.UNIT_ACCESS_ROLES,
    )


def taking_part(plan: ChildPlan, *, without: Participant | None = None) -> set[int]:
    """Return the ids of the authorities taking part in the plan: its owner and its participants' authorities."""
    ids = {plan.owner_authority_id}
    if plan.pk:
        rows = plan.participants.exclude(authority=None)
        if without is not None:
            rows = rows.exclude(pk=without.pk)
        ids |= set(rows.values_list("authority_id", flat=True))
    return ids


def start_authorities(owner: Authority, named: Assignment | None) -> set[int]:
    """Return the authorities taking part in a plan as it starts: its owner and the named person's."""
    return {owner.pk} | ({named.unit.authority_id} if named is not None else set())


def lead_problem(lead_id: int | None, authorities: Iterable[int]) -> str | None:
    """Return why a lead professional may not lead a plan these authorities take part in, or None if they may."""
    ids = set(authorities)
    if lead_id is None or lead_candidates(ids).filter(pk=lead_id).exists():
        return None
    names = Authority.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)
    return str(LEAD_NOT_TAKING_PART % {"authorities": ", ".join(names)})


def involved_authorities(plan: ChildPlan) -> set[int]:
    """Return the ids of the authorities the plan involves: its owner, its participants' and its actions'."""
    ids = {plan.owner_authority_id}
    ids |= set(plan.participants.exclude(authority=None).values_list("authority_id", flat=True))
    ids |= set(plan.actions.values_list("owner_authority_id", flat=True))
    return ids


def _check_lead(
    plan: ChildPlan, *, extra_authority: int | None = None, authorities: Iterable[int] | None = None
) -> None:
    """Refuse a plan of two or more authorities without a lead, and a lead from no authority taking part.

    `authorities` are those taking part when the plan has no rows yet (at its start).
    """
    if plan.kind == Kind.MULTI_AGENCY and plan.lead_professional_id is None:
        raise ValidationError({"lead_professional": [MULTI_NEEDS_LEAD]})
    involved = involved_authorities(plan) if plan.pk else {plan.owner_authority_id}
    if extra_authority is not None:
        involved.add(extra_authority)
    if len(involved) >= 2 and plan.lead_professional_id is None:
        raise ValidationError({"lead_professional": [NEEDS_LEAD]})
    problem = lead_problem(plan.lead_professional_id, authorities if authorities is not None else taking_part(plan))
    if problem:
        raise ValidationError({"lead_professional": [problem]})


def _owner(user, unit: Unit | None) -> Authority:
    """Return the authority that owns a plan the user starts: the chosen unit's, or the user's first."""
    if unit is None:
        return user_authority(user)
    if not user_units(user).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": [NOT_YOUR_UNIT]})
    return unit.authority


@transaction.atomic
def plan_start(
    *,
    child: Child,
    user,
    kind: str,
    reasons: str,
    lead_professional=None,
    unit: Unit | None = None,
    via: Via,
) -> ChildPlan:
    """Start a draft plan owned by the chosen unit's authority (or the starter's), with the family in it."""
    if not reasons.strip():
        raise ValidationError({"reasons": [NEEDS_REASONS]})
    if ChildPlan.objects.filter(child=child).exclude(status__in=ENDED).exists():
        raise ValidationError({"__all__": [ONE_OPEN_PLAN]})
    authority = _owner(user, unit)
    named = current_named_person(child)
    plan = ChildPlan(
        child=child,
        owner_authority=authority,
        kind=kind,
        reasons=reasons.strip(),
        lead_professional=lead_professional,
        named_person=named,
        created_by=user,
        updated_by=user,
    )
    _check_lead(plan, authorities=start_authorities(authority, named))
    plan.full_clean()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # another plan was started at the same moment
        raise ValidationError({"__all__": [ONE_OPEN_PLAN]}) from exc
    _record(via, child.pk, plan)
    _add_starting_participants(plan, named)
    return plan


def _add_starting_participants(plan: ChildPlan, named: Assignment | None) -> None:
    """Put the child, the guardians with custody, the named person and the lead in the plan from the start."""
    child = plan.child
    rows = [Participant(plan=plan, name=f"{child.given_name} {child.family_name}", role=Participant.Role.CHILD)]
    for guardian in custodians(child, policy.today()).order_by("pk"):
        rows.append(
            Participant(
                plan=plan,
                guardian=guardian,
                name=f"{guardian.given_name} {guardian.family_name}",
                role=Participant.Role.GUARDIAN,
            )
        )
    staff = []
    if named is not None:
        staff.append((named.person, Participant.Role.NAMED_PERSON, named.unit.authority_id))
    if plan.lead_professional is not None and (named is None or named.person_id != plan.lead_professional_id):
        staff.append((plan.lead_professional, Participant.Role.LEAD, _lead_authority(plan)))
    for person, role, authority_id in staff:
        rows.append(
            Participant(
                plan=plan,
                user=person,
                name=person.get_full_name() or person.get_username(),
                role=role,
                authority_id=authority_id,
            )
        )
    Participant.objects.bulk_create(rows)


def _lead_authority(plan: ChildPlan) -> int:
    """Return the authority the lead takes part for: the plan's owner if they work there, else the named person's."""
    works_in = set(
        current_members(start_authorities(plan.owner_authority, plan.named_person))
        .filter(user=plan.lead_professional)
        .values_list("unit__authority_id", flat=True)
    )
    return plan.owner_authority_id if plan.owner_authority_id in works_in or not works_in else works_in.pop()


def _clean_values(plan: ChildPlan, values: dict[str, Any]) -> ChildPlan:
    """Return a copy of the plan with the new values, validated (fields and the lead rule)."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    candidate = ChildPlan.objects.select_related("owner_authority").get(pk=plan.pk)
    for name, value in values.items():
        setattr(candidate, name, value.strip() if isinstance(value, str) and name != "kind" else value)
    if not (candidate.reasons or "").strip():
        raise ValidationError({"reasons": [NEEDS_REASONS]})
    candidate.full_clean(exclude=["version"], validate_constraints=False)
    _check_lead(candidate)
    return candidate


@transaction.atomic
def plan_update(*, plan: ChildPlan, version: int, values: dict[str, Any], user, via: Via) -> ChildPlan:
    """Change the plan's own fields if nobody has saved since `version`; otherwise raise PlanConflict."""
    _require_open(plan)
    candidate = _clean_values(plan, values)
    changes = {name: getattr(candidate, name) for name in values}
    saved = ChildPlan.objects.filter(pk=plan.pk, version=version).update(
        **changes, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    if saved == 0:
        # Someone saved first (or the form was stale): nothing is written, the caller shows both versions.
        raise PlanConflict(ChildPlan.objects.select_related("updated_by", "lead_professional").get(pk=plan.pk))
    plan.refresh_from_db()
    _record(via, plan.child_id, plan, "update")
    return plan


# --- Participants, needs, actions and links ---


@transaction.atomic
def participant_add(
    *,
    plan: ChildPlan,
    role: str,
    name: str = "",
    user=None,
    authority: Authority | None = None,
    title: str = "",
    view: str = "",
    via: Via,
) -> Participant:
    """Add a participant: a staff user (named from their account) or someone named in words."""
    _require_open(plan)
    if user is not None:
        name = user.get_full_name() or user.get_username()
    if not name.strip():
        raise ValidationError({"name": [NEEDS_NAME]})
    participant = Participant(
        plan=plan, user=user, name=name.strip(), authority=authority, role=role, title=title.strip(), view=view.strip()
    )
    participant.full_clean()
    _check_lead(plan, extra_authority=authority.pk if authority else None)
    participant.save()
    _record(via, plan.child_id, participant)
    return participant


@transaction.atomic
def participant_view_record(*, participant: Participant, view: str, via: Via) -> Participant:
    """Record a participant's view of the plan in their own words."""
    _require_open(participant.plan)
    participant.view = view.strip()
    participant.full_clean()
    participant.save(update_fields=["view"])
    _record(via, participant.plan.child_id, participant, "update")
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, via: Via) -> None:
    """Remove a participant; agreed versions keep them as they were. The lead's authority cannot leave."""
    plan = ChildPlan.objects.select_related("lead_professional").get(pk=participant.plan_id)
    _require_open(plan)
    lead = plan.lead_professional
    if lead is not None and lead_problem(lead.pk, taking_part(plan, without=participant)):
        name = lead.get_full_name() or lead.get_username()
        raise ValidationError({"__all__": [LEAD_LEAVES % {"name": name}]})
    _record(via, plan.child_id, participant, "delete")
    participant.delete()


@transaction.atomic
def need_set(*, plan: ChildPlan, indicator: str, summary: str, via: Via) -> NeedSummary:
    """Write the summary of needs for one wellbeing indicator (replacing an earlier one)."""
    _require_open(plan)
    if indicator not in Indicator.values:
        raise ValidationError({"indicator": [UNKNOWN_INDICATOR]})
    need = NeedSummary.objects.filter(plan=plan, indicator=indicator).first() or NeedSummary(
        plan=plan, indicator=indicator
    )
    action = "update" if need.pk else "create"
    need.summary = summary.strip()
    need.full_clean()
    need.save()
    _record(via, plan.child_id, need, action)
    return need


@transaction.atomic
def need_remove(*, need: NeedSummary, via: Via) -> None:
    _require_open(need.plan)
    _record(via, need.plan.child_id, need, "delete")
    need.delete()


@transaction.atomic
def action_add(
    *,
    plan: ChildPlan,
    owner_authority: Authority,
    description: str,
    start: date,
    end: date,
    expected_outcome: str,
    owner_person=None,
    resources: str = "",
    indicators: list[str] | None = None,
    via: Via,
) -> Action:
    """Add an action with its owner, resources, timetable, expected outcome and linked indicators."""
    _require_open(plan)
    indicators = sorted(set(indicators or []))
    if set(indicators) - set(Indicator.values):
        raise ValidationError({"indicators": [UNKNOWN_INDICATOR]})
    if start and end and end < start:
        raise ValidationError({"end": [ENDS_BEFORE_START]})
    action = Action(
        plan=plan,
        owner_authority=owner_authority,
        owner_person=owner_person,
        description=description.strip(),
        resources=resources.strip(),
        start=start,
        end=end,
        expected_outcome=expected_outcome.strip(),
        indicators=indicators,
    )
    action.full_clean()
    _check_lead(plan, extra_authority=owner_authority.pk)
    action.save()
    _record(via, plan.child_id, action)
    return action


def _clean_action(action: Action, values: dict[str, Any]) -> Action:
    """Return a copy of the action with the new values, validated (fields, dates, indicators and the lead rule)."""
    unknown = set(values) - set(ACTION_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    candidate = Action.objects.select_related("plan").filter(pk=action.pk).first()
    if candidate is None:
        raise ValidationError({"__all__": [ACTION_GONE]})
    for name, value in values.items():
        setattr(candidate, name, value.strip() if isinstance(value, str) and name != "status" else value)
    if "indicators" in values:
        candidate.indicators = sorted(set(candidate.indicators or []))
        if set(candidate.indicators) - set(Indicator.values):
            raise ValidationError({"indicators": [UNKNOWN_INDICATOR]})
    if candidate.start and candidate.end and candidate.end < candidate.start:
        raise ValidationError({"end": [ENDS_BEFORE_START]})
    candidate.full_clean(exclude=["version"])
    _check_lead(candidate.plan, extra_authority=candidate.owner_authority_id)
    return candidate


@transaction.atomic
def action_update(*, action: Action, version: int, values: dict[str, Any], via: Via) -> Action:
    """Change an action of a draft plan or one under review if nobody has saved it since `version`.

    Someone else's save in between raises ActionConflict and writes nothing. Agreed versions keep
    the action as it was agreed; the next agreement keeps it as it is now, and the versions'
    difference shows the change.
    """
    plan = ChildPlan.objects.select_for_update().get(pk=action.plan_id)
    _require_open(plan)
    if plan.status not in ACTIONS_EDITABLE_IN:
        raise ValidationError({"__all__": [ACTION_LOCKED]})
    candidate = _clean_action(action, values)
    changes = {name: getattr(candidate, name) for name in values}
    saved = Action.objects.filter(pk=action.pk, version=version).update(**changes, version=F("version") + 1)
    if saved == 0:
        # Someone saved first (or the form was stale): nothing is written, the caller shows both versions.
        raise ActionConflict(Action.objects.select_related("owner_authority", "owner_person").get(pk=action.pk))
    action.refresh_from_db()
    _record(via, plan.child_id, action, "update")
    return action


@transaction.atomic
def action_set_status(*, action: Action, status: str, via: Via) -> Action:
    """Change an action's state at any time; raises its version so an edit begun before must merge."""
    _require_open(action.plan)
    action.status = status
    action.full_clean(exclude=["version"])
    Action.objects.filter(pk=action.pk).update(status=status, version=F("version") + 1)
    action.refresh_from_db()
    _record(via, action.plan.child_id, action, "update")
    return action


@transaction.atomic
def action_remove(*, action: Action, via: Via) -> None:
    _require_open(action.plan)
    _record(via, action.plan.child_id, action, "delete")
    action.delete()


@transaction.atomic
def link_add(*, plan: ChildPlan, kind: str, reference: str, held_by: str, via: Via) -> StatutoryPlanLink:
    """Refer to a statutory plan the child has elsewhere (SIP, åtgärdsprogram, vårdplan, genomförandeplan)."""
    _require_open(plan)
    link = StatutoryPlanLink(plan=plan, kind=kind, reference=reference.strip(), held_by=held_by.strip())
    link.full_clean()
    link.save()
    _record(via, plan.child_id, link)
    return link


@transaction.atomic
def link_remove(*, link: StatutoryPlanLink, via: Via) -> None:
    _require_open(link.plan)
    _record(via, link.plan.child_id, link, "delete")
    link.delete()


# --- Agreement, reviews, closing and declining ---


def _check_ready(plan: ChildPlan) -> None:
    """Refuse to put a plan to agreement unless it may be agreed now: its state, its lead, at least one action."""
    if plan.status not in AGREEABLE:
        raise _not_in(plan)
    _check_lead(plan)
    if not plan.actions.exists():
        raise ValidationError({"__all__": [NEEDS_ACTION]})


def _answer_problem(plan: ChildPlan, participants: dict[int, Participant], answers: dict[int, tuple[str, str]]):
    """Return why the answers do not agree the plan, or None: everyone whose agreement counts must answer and agree.

    The plan is voluntary, so without the family's agreement it is not agreed. The one rule for
    both ways of agreeing: staff recording everyone's answers, and guardians answering themselves.
    Whose agreement counts is the consent rule: the guardians unless the child decides alone (from
    18 always), and the child from the municipality's consent age.
    """
    say = child_say(plan.child, rules_for(plan.child), policy.today())
    guardians = [] if say.alone else [pk for pk, row in participants.items() if row.role == Participant.Role.GUARDIAN]
    children = [pk for pk, row in participants.items() if row.role == Participant.Role.CHILD] if say.consents else []
    if any(pk not in answers for pk in guardians):
        return NEEDS_GUARDIAN_ANSWER
    if any(pk not in answers for pk in children):
        return NEEDS_CHILD_ANSWER
    if any(answers[pk][0] != PlanAgreement.Answer.AGREES for pk in guardians):
        return GUARDIAN_DISAGREES
    if any(answers[pk][0] != PlanAgreement.Answer.AGREES for pk in children):
        return CHILD_DISAGREES
    return None


def _next_number(plan: ChildPlan) -> int:
    return (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def _mark_agreed(plan: ChildPlan) -> None:
    """Move an agreed plan on: a draft becomes agreed, and the first review date is set if none was."""
    values: dict[str, Any] = {}
    if plan.status == Status.DRAFT:
        values["status"] = Status.AGREED
    if plan.next_review_on is None:
        values["next_review_on"] = policy.today() + timedelta(weeks=plan.review_interval_weeks)
    _bump(plan, **values)


@transaction.atomic
def plan_agree(*, plan: ChildPlan, user, answers: dict[int, tuple[str, str]], via: Via) -> PlanVersion:
    """Record the participants' agreement and keep the plan as agreed in a new, immutable version.

    `answers` maps participant ids to (answer, note), as staff heard them. A version still waiting
    for the guardians' own answers is left as it was: this one is agreed instead.
    """
    plan = ChildPlan.objects.select_for_update().get(pk=plan.pk)
    _check_ready(plan)
    participants = {row.pk: row for row in plan.participants.all()}
    if set(answers) - set(participants):
        raise ValidationError({"__all__": [UNKNOWN_PARTICIPANT]})
    problem = _answer_problem(plan, participants, answers)
    if problem:
        raise ValidationError({"__all__": [problem]})
    now = timezone.now()
    version = PlanVersion(
        plan=plan, number=_next_number(plan), agreed_at=now, agreed_by=user, snapshot=plan_snapshot(plan)
    )
    version.full_clean()
    version.save()
    rows = []
    for pk, (answer, note) in answers.items():
        row = PlanAgreement(
            version=version,
            name=participants[pk].name,
            role=participants[pk].role,
            answer=answer,
            note=note.strip(),
            guardian_id=participants[pk].guardian_id if participants[pk].role == Participant.Role.GUARDIAN else None,
            method=PlanAgreement.Method.STAFF,
            recorded_at=now,
        )
        row.full_clean(exclude=["version"], validate_constraints=False)
        rows.append(row)
    PlanAgreement.objects.bulk_create(rows)
    _mark_agreed(plan)
    _record(via, plan.child_id, version)
    return version


def family_say(child: Child) -> ChildSay:
    """Return whose answer agrees the child's plan today: the consent rule, by the child's age and the municipality."""
    return child_say(child, rules_for(child), policy.today())


def _answering_guardians(plan: ChildPlan) -> QuerySet[Guardian]:
    """Return the guardians who can answer in the family view: custody today and an active family login."""
    return custodians(plan.child, policy.today()).filter(user__is_active=True)


def _child_answers_online(plan: ChildPlan) -> bool:
    """Return whether the child answers in the family view: their answer counts and they see themselves there."""
    user = plan.child.user
    return (
        family_say(plan.child).consents
        and user is not None
        and policy.family_children(user).filter(pk=plan.child_id).exists()
    )


@transaction.atomic
def plan_send_to_family(*, plan: ChildPlan, user, via: Via) -> PlanVersion:
    """Keep the plan as it is now in a new version and ask each guardian in it to answer in the family view.

    The version waits (no `agreed_at`) until every guardian has agreed. Staff can still record the
    family's answers themselves (`plan_agree`) instead, which leaves this version unanswered.
    """
    plan = (
        ChildPlan.objects.select_for_update(of=("self",))
        .select_related("owner_authority", "lead_professional")
        .get(pk=plan.pk)
    )
    _check_ready(plan)
    say = family_say(plan.child)
    guardians = [] if say.alone else list(plan.participants.filter(role=Participant.Role.GUARDIAN))
    children = list(plan.participants.filter(role=Participant.Role.CHILD)) if say.consents else []
    if not guardians and not children:
        raise ValidationError({"__all__": [NO_GUARDIAN]})
    reachable = set(_answering_guardians(plan).values_list("pk", flat=True))
    unreachable = [row.name for row in guardians if row.guardian_id not in reachable]
    if children and not _child_answers_online(plan):
        unreachable += [row.name for row in children]
    if unreachable:
        raise ValidationError({"__all__": [CANNOT_ANSWER_ONLINE % {"names": ", ".join(unreachable)}]})
    waiting = awaiting_version(plan)
    if waiting is not None and unchanged_since(plan, waiting):
        raise ValidationError({"__all__": [ALREADY_SENT]})
    now = timezone.now()
    version = PlanVersion(
        plan=plan, number=_next_number(plan), agreed_by=user, sent_at=now, snapshot=plan_snapshot(plan)
    )
    version.full_clean()
    version.save()
    _record(via, plan.child_id, version)
    from notifications import hooks

    hooks.plan_sent(version.pk, actor=via.actor, surface=via.surface)
    return version


def _family_answers(plan: ChildPlan, version: PlanVersion) -> tuple[dict[int, Participant], dict]:
    """Return the plan's participants and the family's answers to the version, keyed by participant."""
    participants = {row.pk: row for row in plan.participants.all()}
    given = {row.guardian_id: (row.answer, row.note) for row in version.agreements.exclude(guardian=None)}
    child = version.agreements.filter(role=Participant.Role.CHILD).values_list("answer", "note").first()
    answers = {
        pk: given[row.guardian_id]
        for pk, row in participants.items()
        if row.role == Participant.Role.GUARDIAN and row.guardian_id in given
    }
    if child is not None:
        answers.update({pk: child for pk, row in participants.items() if row.role == Participant.Role.CHILD})
    return participants, answers


@transaction.atomic
def plan_answer_by_guardian(*, plan: ChildPlan, guardian: Guardian, answer: str, note: str, via: Via) -> PlanAgreement:
    """Record a guardian's own answer to the version waiting for the family; agree the plan when all have agreed.

    A guardian answers only for themselves, once per version. Saying no is an ordinary answer: the
    plan is then not agreed, and the lead professional talks with the family about what next.
    """
    plan = (
        ChildPlan.objects.select_for_update(of=("self",))
        .select_related("owner_authority", "lead_professional")
        .get(pk=plan.pk)
    )
    version = awaiting_version(plan)
    if version is None:
        raise ValidationError({"__all__": [NOT_AWAITING]})
    participant = plan.participants.filter(role=Participant.Role.GUARDIAN, guardian=guardian).first()
    if (
        participant is None
        or family_say(plan.child).alone  # the child decides alone: the guardians' answer does not agree the plan
        or not _answering_guardians(plan).filter(pk=guardian.pk).exists()
    ):
        raise ValidationError({"__all__": [NOT_A_PARTY]})
    if version.agreements.filter(guardian=guardian).exists():
        raise ValidationError({"__all__": [ALREADY_ANSWERED]})
    if not unchanged_since(plan, version):
        raise ValidationError({"__all__": [CHANGED_SINCE_SENT]})
    row = PlanAgreement(
        version=version,
        name=participant.name,
        role=Participant.Role.GUARDIAN,
        answer=answer,
        note=note.strip(),
        guardian=guardian,
        method=PlanAgreement.Method.FAMILY_VIEW,
        recorded_at=timezone.now(),
    )
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # the same guardian answered at the same moment in another tab
        raise ValidationError({"__all__": [ALREADY_ANSWERED]}) from exc
    _record(via, plan.child_id, row)
    participants, answers = _family_answers(plan, version)
    if _answer_problem(plan, participants, answers) is None:
        _agree_waiting(plan, version, via)
    return row


@transaction.atomic
def plan_answer_by_child(*, plan: ChildPlan, answer: str, note: str, via: Via) -> PlanAgreement:
    """Record the child's own answer in the family view, where it counts: from the consent age, and alone from 18.

    Once per version, as for a guardian; the plan is agreed when everyone whose answer counts agrees.
    """
    plan = (
        ChildPlan.objects.select_for_update(of=("self",))
        .select_related("owner_authority", "lead_professional", "child")
        .get(pk=plan.pk)
    )
    version = awaiting_version(plan)
    if version is None:
        raise ValidationError({"__all__": [NOT_AWAITING]})
    participant = plan.participants.filter(role=Participant.Role.CHILD).first()
    if participant is None or not _child_answers_online(plan):
        raise ValidationError({"__all__": [CHILD_NOT_A_PARTY]})
    if version.agreements.filter(role=Participant.Role.CHILD).exists():
        raise ValidationError({"__all__": [ALREADY_ANSWERED]})
    if not unchanged_since(plan, version):
        raise ValidationError({"__all__": [CHANGED_SINCE_SENT]})
    row = PlanAgreement(
        version=version,
        name=participant.name,
        role=Participant.Role.CHILD,
        answer=answer,
        note=note.strip(),
        method=PlanAgreement.Method.FAMILY_VIEW,
        recorded_at=timezone.now(),
    )
    row.full_clean(validate_constraints=False)
    row.save()  # the plan row is locked above: a second answer in another tab waits and is then refused
    _record(via, plan.child_id, row)
    participants, answers = _family_answers(plan, version)
    if _answer_problem(plan, participants, answers) is None:
        _agree_waiting(plan, version, via)
    return row


def _agree_waiting(plan: ChildPlan, version: PlanVersion, via: Via) -> None:
    """Make the version every guardian has agreed to the agreed plan, as `plan_agree` would."""
    try:
        _check_ready(plan)
    except ValidationError:
        # Something outside the plan changed since it was sent (say, the lead left their post): the
        # answers stand, the version waits, and staff see the reason when they record the agreement.
        return
    PlanVersion.objects.filter(pk=version.pk, agreed_at__isnull=True).update(agreed_at=timezone.now())
    _mark_agreed(plan)
    _record(via, plan.child_id, version, "update")


@transaction.atomic
def plan_activate(*, plan: ChildPlan, via: Via) -> ChildPlan:
    """Start carrying out an agreed plan."""
    plan = ChildPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Status.AGREED:
        raise _not_in(plan)
    _bump(plan, status=Status.ACTIVE)
    _record(via, plan.child_id, plan, "update")
    return plan


@transaction.atomic
def plan_review_start(*, plan: ChildPlan, user, via: Via) -> Review:
    """Open a review of an active plan."""
    plan = ChildPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (Status.AGREED, Status.ACTIVE):
        raise _not_in(plan)
    review = Review(plan=plan, started_at=timezone.now(), started_by=user)
    review.full_clean()
    review.save()
    _bump(plan, status=Status.REVIEW)
    _record(via, plan.child_id, review)
    return review


@transaction.atomic
def plan_review_complete(
    *, review: Review, user, held_on: date | None, answers: dict[str, str], ratings=None, via: Via
) -> Review:
    """Answer the five evaluation questions, re-rate the wheel if ratings are given, and set the next review."""
    plan = ChildPlan.objects.select_for_update().get(pk=review.plan_id)
    if plan.status != Status.REVIEW or review.completed_at is not None:
        raise _not_in(plan)
    if held_on is None:
        raise ValidationError({"held_on": [NEEDS_HELD_ON]})
    if held_on > policy.today():
        raise ValidationError({"held_on": [IN_FUTURE]})
    for name in ("improved", "worsened", "aims_met", "must_change", "can_continue"):
        setattr(review, name, (answers.get(name) or "").strip())
    if not (review.improved and review.aims_met):
        raise ValidationError({"__all__": [NEEDS_ANSWERS]})
    if ratings:
        review.assessment = _rerate(plan, user=user, held_on=held_on, ratings=ratings, via=via)
    review.held_on = held_on
    review.completed_at = timezone.now()
    review.completed_by = user
    review.full_clean()
    review.save()
    _bump(plan, status=Status.ACTIVE, next_review_on=held_on + timedelta(weeks=plan.review_interval_weeks))
    _record(via, plan.child_id, review, "update")
    return review


def _rerate(plan: ChildPlan, *, user, held_on: date, ratings, via: Via):
    """Record the wellbeing wheel re-rated at the review, through the wellbeing app's own service."""
    from wellbeing import services as wellbeing

    owner = wellbeing.author_for(user)
    return wellbeing.wheel_assessment_record(
        child=plan.child,
        owner=owner,
        rater_kind="practitioner",
        rated_by=user,
        assessed_on=held_on,
        ratings=ratings,
        note=str(_("Uppföljning av barnets plan")),
        via=via,
    )


@transaction.atomic
def plan_close(*, plan: ChildPlan, user, reason: str, via: Via) -> ChildPlan:
    """Close the plan with a reason; the child's named person is in charge again, and that is recorded."""
    plan = ChildPlan.objects.select_for_update().get(pk=plan.pk)
    _require_open(plan)
    if not reason.strip():
        raise ValidationError({"reason": [NEEDS_CLOSE_REASON]})
    if plan.status == Status.REVIEW:
        raise ValidationError({"__all__": [REVIEW_OPEN]})
    named = current_named_person(plan.child)
    _bump(
        plan,
        status=Status.CLOSED,
        closed_at=timezone.now(),
        closed_reason=reason.strip(),
        closed_by=user,
        returned_to=named.person if named else None,
    )
    _record(via, plan.child_id, plan, "update")
    return plan


@transaction.atomic
def plan_decline(*, plan: ChildPlan, user, note: str, via: Via) -> ChildPlan:
    """Record that the family said no to the plan. Declining is their right and is not held against them."""
    plan = ChildPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (Status.DRAFT, Status.AGREED):
        raise _not_in(plan)
    _bump(plan, status=Status.DECLINED, declined_at=timezone.now(), declined_note=note.strip(), closed_by=user)
    _record(via, plan.child_id, plan, "update")
    return plan


# --- Reminders ---


@transaction.atomic
def renewals_make(*, on: date) -> int:
    """Make a reminder to agree the plan again with the young person, for each plan in force the guardians agreed
    before the child turned 18; return how many were made.

    Idempotent like `reminders_make`: one reminder per plan, due on the 18th birthday.
    """
    adults = ChildPlan.objects.filter(status__in=IN_FORCE, child__birth_date__lte=policy.majority_cutoff(on))
    rows = [
        Reminder(plan=plan, kind=Reminder.Kind.RENEW_AT_MAJORITY, due_on=policy.majority_day(plan.child.birth_date))
        for plan in adults.select_related("child").prefetch_related("versions")
        if needs_renewal_at_majority(plan, list(plan.versions.all()), child=plan.child, on=on)
    ]
    before = Reminder.objects.count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return Reminder.objects.count() - before


def reminders_make(*, on: date) -> tuple[int, int]:
    """Make the missing reminders for reviews due by `on` and actions past their end; return how many were made.

    Idempotent: a reminder is unique per plan (or action), kind and due date, so a second run, or a
    run after days without one, makes only what is missing.
    """
    open_plans = ChildPlan.objects.exclude(status__in=ENDED)
    due_plans = open_plans.filter(next_review_on__lte=on).values_list("pk", "next_review_on")
    reviews = [Reminder(plan_id=pk, kind=Reminder.Kind.REVIEW_DUE, due_on=day) for pk, day in due_plans]
    overdue = Action.objects.filter(
        plan__in=open_plans, end__lt=on, status__in=[Action.State.PLANNED, Action.State.ONGOING]
    ).values_list("pk", "plan_id", "end")
    actions = [
        Reminder(plan_id=plan_id, action_id=pk, kind=Reminder.Kind.ACTION_OVERDUE, due_on=end)
        for pk, plan_id, end in overdue
    ]
    made = []
    for rows in (reviews, actions):
        before = Reminder.objects.count()
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        made.append(Reminder.objects.count() - before)
    return made[0], made[1]

"""Demo consents: a few children's consents in each state, so the consent pages and the family view show them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from demo import world
from namedperson.models import Assignment
from organisations.models import Authority, Membership
from people.models import Child, Enrolment, Guardian, Protection
from sharing.categories import Category
from sharing.models import Consent, ConsentCategory, ConsentEvent, ConsentParty
from sharing.policy import family_children
from sharing.services.consents import child_say, custodians, rules_for

Status = Consent.Status
Decision = ConsentParty.Decision
PURPOSE = "Samordnat stöd kring skolgång och hälsa: skolan, elevhälsan och vården behöver kunna planera tillsammans."
# (state, days since asked, days left of the period): active, expiring soon, withdrawn, declined, waiting.
STATES = [
    (Status.GIVEN, 40, 140),
    (Status.GIVEN, 330, 12),
    (Status.WITHDRAWN, 60, 120),
    (Status.DECLINED, 20, 160),
    (Status.REQUESTED, 2, 180),
]


def _moment(today: date, days: int) -> datetime:
    return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(9, 0)))


def _consent(child: Child, *, owner, by, recipients, state: str, asked: int, left: int, today: date) -> Consent:
    """Write one consent with its parties and history as if it had gone through the services."""
    start, now = _moment(today, -asked), _moment(today, 0)
    consent = Consent.objects.create(
        child=child,
        owner_authority=owner,
        requested_by=by,
        purpose=PURPOSE,
        valid_from=start,
        valid_until=_moment(today, left),
        status=state,
        ended_at=now if state in (Status.WITHDRAWN, Status.DECLINED) else None,
        end_note="Vårdnadshavaren ringde." if state == Status.WITHDRAWN else "",
        ended_by=by if state == Status.WITHDRAWN else None,
    )
    consent.recipients.set(recipients)
    for category in (Category.EDUCATION, Category.HEALTH):
        ConsentCategory.objects.create(consent=consent, category=category)
    ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.REQUESTED, at=start, by=by)
    say = child_say(child, rules_for(child), today)
    guardians = [] if say.alone else list(custodians(child, today).order_by("pk"))
    parties = [ConsentParty(guardian=guardian) for guardian in guardians]
    if say.is_party:
        parties.append(ConsentParty(is_child=True, decision=Decision.PENDING if say.consents else Decision.VIEW_ONLY))
    for index, party in enumerate(parties):
        party.consent = consent
        answered = state != Status.REQUESTED and party.decision != Decision.VIEW_ONLY
        if answered:
            # A declined consent: the last guardian said no; everyone else said yes.
            refused = state == Status.DECLINED and index == len(guardians) - 1
            party.decision = Decision.DECLINED if refused else Decision.GIVEN
            party.decided_at = start + timedelta(days=1)
            party.method = ConsentParty.Method.ORAL if index else ConsentParty.Method.WRITTEN
            party.documented_by = by
            party.evidence_note = "Samtal med vårdnadshavaren." if index else "Underskriven blankett i akten."
        party.save()
    if state != Status.REQUESTED:
        ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.GIVEN, at=start + timedelta(days=1), by=by)
    if state == Status.WITHDRAWN:
        ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.WITHDRAWN, at=now, by=by)
    if state == Status.DECLINED:
        ConsentEvent.objects.filter(consent=consent, kind=ConsentEvent.Kind.GIVEN).update(
            kind=ConsentEvent.Kind.DECLINED
        )
    return consent


def demo_consents(*, today: date) -> int:
    """Add consents in every state for pupils of the demo head teacher's school and the demo guardian's child.

    The school's consents name the demo BVC nurse's and social worker's authorities as recipients
    (logins `rektor`, `bvc`, `socialsekreterare`); the demo guardian gets one request to answer and
    one consent in force. Return how many consents were made.
    """
    head = Membership.objects.filter(user__username="rektor").select_related("user", "unit__authority").first()
    if head is None:
        return 0
    owner = head.unit.authority
    recipients = list(
        Authority.objects.filter(units__memberships__user__username__in=["bvc", "socialsekreterare"])
        .exclude(pk=owner.pk)
        .distinct()
    )
    pupils = (
        Enrolment.objects.filter(unit=head.unit, end__isnull=True, child__protection=Protection.NONE)
        .filter(child__guardianships__has_custody=True)
        .select_related("child__municipality")
        .order_by("child__identity_number")
        .distinct()
    )
    made = 0
    for (state, asked, left), enrolment in zip(STATES, pupils[: len(STATES)], strict=False):
        kwargs = {"owner": owner, "by": head.user, "recipients": recipients, "today": today}
        _consent(enrolment.child, state=state, asked=asked, left=left, **kwargs)
        made += 1
    return made + _family_consents(today)


def _family_consents(today: date) -> int:
    """Give the demo guardian's child a consent in force and a request waiting for the guardian's answer."""
    guardian = Guardian.objects.filter(user__username=world.FAMILY_LOGIN).first()
    if guardian is None:
        return 0
    current = Q(end__isnull=True) | Q(end__gt=today)
    assignment = (
        Assignment.objects.filter(current, start__lte=today, child__in=family_children(guardian.user, on=today))
        .select_related("child__municipality", "owner_authority", "person")
        .order_by("pk")
        .first()
    )
    if assignment is None or Consent.objects.filter(child=assignment.child).exists():
        return 0
    others = list(Authority.objects.exclude(pk=assignment.owner_authority_id).order_by("pk")[:1])
    kwargs = {"owner": assignment.owner_authority, "by": assignment.person, "recipients": others, "today": today}
    _consent(assignment.child, state=Status.GIVEN, asked=30, left=150, **kwargs)
    _consent(assignment.child, state=Status.REQUESTED, asked=1, left=200, **kwargs)
    return 2

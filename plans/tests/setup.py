"""Shared set-up for the plan tests: a way to write as a persona, a started plan, and a consent to a recipient."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from plans import services
from plans.models import ChildPlan
from sharing import policy
from sharing.models import Consent, ConsentCategory
from testsupport.cast import enrol


def via(user, *, surface: str = "page") -> services.Via:
    return services.Via(actor=policy.actor_for(user, session_key="s"), surface=surface, target="test", basis="test")


def start(
    cast, *, kind: str = "multi_agency", by=None, lead=None, reasons: str = "Alva är ofta borta från skolan."
) -> ChildPlan:
    """Start a plan as the named person (head teacher), led by them unless told otherwise."""
    by = by or cast.named_person
    lead = lead if lead is not None else (by if kind == "multi_agency" else None)
    return services.plan_start(
        child=cast.child, user=by, kind=kind, reasons=reasons, lead_professional=lead, via=via(by)
    )


def add_action(cast, plan, *, authority=None, person=None, days: int = 30, description: str = "Samtal varje vecka"):
    today = policy.today()
    return services.action_add(
        plan=plan,
        owner_authority=authority or cast.education,
        owner_person=person,
        description=description,
        start=today,
        end=today + timedelta(days=days),
        expected_outcome="Alva är i skolan oftare.",
        indicators=["achieving", "included"],
        via=via(cast.named_person),
    )


def bup_relation(cast) -> None:
    """Give the BUP clinician a relation to the child (she is seen at BUP)."""
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))


def plan_consent(cast, *, recipients=None, categories=("plan",), hours: int = 24 * 30, started_hours_ago: int = 1):
    """A given consent opening the child's plan to the region (BUP), as the family agreed."""
    now = timezone.now()
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samordnat stöd i barnets plan",
        valid_from=now - timedelta(hours=started_hours_ago),
        valid_until=now + timedelta(hours=hours),
        status=Consent.Status.GIVEN,
    )
    consent.recipients.set(recipients or [cast.region])
    for category in categories:
        ConsentCategory.objects.create(consent=consent, category=category)
    return consent


def agree_all(cast, plan):
    """Record that every participant agrees, and agree the plan."""
    answers = {row.pk: ("agrees", "") for row in plan.participants.all()}
    return services.plan_agree(plan=plan, user=cast.named_person, answers=answers, via=via(cast.named_person))


def family_via(user, *, target: str = "family:plan_answer") -> services.Via:
    """Write as a guardian in the family view, as the family pages do."""
    actor = policy.actor_for(user, session_key="s")
    return services.Via(actor=actor, surface="page", target=target, basis=policy.Basis.GUARDIAN)


def send(cast, plan):
    """Send the plan as it is now to the guardians (the named person leads it)."""
    return services.plan_send_to_family(plan=plan, user=cast.named_person, via=via(cast.named_person))


def answer(guardian, plan, reply: str = "agrees", note: str = ""):
    """Record a guardian's own answer in the family view."""
    return services.plan_answer_by_guardian(
        plan=plan, guardian=guardian, answer=reply, note=note, via=family_via(guardian.user)
    )

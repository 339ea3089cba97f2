"""Shared set-up of the wellbeing tests: opening a child as a persona, writing entries, consents."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from audit import log as audit
from sharing import policy
from sharing.models import Consent, ConsentCategory
from testsupport.cast import enrol
from wellbeing import services

TODAY = date.today()


def open_as(user, child):
    """Load the child through the policy as the user would on a page (inside an audit block)."""
    with audit.deferred():
        return policy.child_for_user(
            user, child.pk, actor=policy.actor_for(user, session_key="t"), surface="page", target="test"
        )


def via(user, basis: str = "enrolment") -> services.Via:
    return services.Via(actor=policy.actor_for(user, session_key="t"), surface="page", target="test", basis=basis)


def write(user, child, **values):
    """Write a chronology entry as the user, with sensible defaults."""
    fields = {
        "kind": "concern",
        "start_date": TODAY - timedelta(days=3),
        "what_happened": "Alva har varit borta från skolan tre dagar i rad.",
        "source": "Klasslärare",
        "indicators": ["safe"],
        "impact": "negative",
        "action_taken": "",
        **values,
    }
    access = open_as(user, child)
    with audit.deferred():
        return services.chronology_entry_create(access=access, author=user, via=via(user), **fields)


def relate_bup(cast) -> None:
    """Give the BUP clinician a relation to the child (a current enrolment at BUP)."""
    enrol(cast.child, cast.bup, "other", TODAY - timedelta(days=30))


def consent(cast, *, categories=("health",), recipients=None, owner=None, hours=24 * 30) -> Consent:
    """Create a given consent (the family has said yes) sharing the categories with the recipients."""
    now = timezone.now()
    given = Consent.objects.create(
        child=cast.child,
        owner_authority=owner or cast.region,
        requested_by=cast.bup_clinician,
        purpose="Samordnat stöd mellan BUP och skolan",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(hours=hours),
        status=Consent.Status.GIVEN,
    )
    given.recipients.set(recipients if recipients is not None else [cast.education])
    for category in categories:
        ConsentCategory.objects.create(consent=given, category=category)
    return given

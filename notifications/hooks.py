"""The services that make an event call these, so the people it waits for hear of it once the work commits.

Each hook only names the event; notifications.events finds the recipients and notifications.services
queues one outbox row per recipient in the service's own transaction. Nothing is sent inside the request:
a background attempt after the commit and `run_due_tasks` deliver the rows, once each.
"""

from __future__ import annotations

from functools import partial

from audit import log as audit
from notifications import events, services


def plan_sent(version_id: int, *, actor: audit.Actor, surface: str) -> None:
    """Tell those whose answer agrees the plan (guardians, the young person) that it waits for their answer."""
    services.queue_for_delivery(partial(events.plans_waiting, version_ids=[version_id]), actor=actor, surface=surface)


def consent_requested(consent_id: int, *, actor: audit.Actor, surface: str) -> None:
    """Tell the parties asked (guardians, the young person) that a request for consent waits for their answer."""
    services.queue_for_delivery(
        partial(events.consents_waiting, consent_ids=[consent_id]), actor=actor, surface=surface
    )


def emergency_started(emergency_id: int, *, actor: audit.Actor, surface: str) -> None:
    """Tell the custodial guardians (and the young person who answers for themselves) of an emergency access."""
    services.queue_for_delivery(
        partial(events.emergencies_happened, emergency_ids=[emergency_id]), actor=actor, surface=surface
    )

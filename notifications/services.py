"""Send notifications: once per event and recipient, by the channel the recipient chose, each send audited."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connections, transaction
from django.utils import timezone, translation

from accounts.models import User
from audit import log as audit
from notifications import sms
from notifications.events import Event
from notifications.messages import compose
from notifications.models import Channel, Notification, Preference
from people.models import Child, ContactDetails
from sharing import policy

logger = logging.getLogger("samplan.notifications")

SYSTEM = audit.Actor(user_id=None, username="run_due_tasks")
MAX_ATTEMPTS = 3
TARGET = "notification"


def channel_for(user_id: int, kind: str) -> str:
    """Return the channel the user chose for the kind: e-mail unless they chose otherwise."""
    chosen = Preference.objects.filter(user_id=user_id, kind=kind).values_list("channel", flat=True).first()
    return chosen or Channel.EMAIL


def phone_of(user: User) -> str:
    """Return the number to text: a guardian's own contact number, else the user's phone."""
    contact = ContactDetails.objects.filter(guardian__user=user).first()
    return (contact.phone if contact is not None else "").strip() or user.phone.strip()


def _send(row: Notification) -> str:
    """Send one notification by its channel; return the status it ends in."""
    if row.channel == Channel.OFF:
        return Notification.Status.OFF
    # The young person told about their own record reads "you", not "your child".
    to_self = row.child_id is not None and Child.objects.filter(pk=row.child_id, user_id=row.user_id).exists()
    message = compose(row.kind, row.path, to_self=to_self)
    user = row.user
    try:
        if row.channel == Channel.SMS:
            number = phone_of(user)
            if not number:
                return Notification.Status.NO_ADDRESS
            sms.provider().send(number, message.sms)
        else:
            if not user.email:
                return Notification.Status.NO_ADDRESS
            send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # the SMTP server or SMS provider is outside the system: record and retry later
        logger.exception("Notification %s could not be sent", row.pk)
        return Notification.Status.FAILED
    return Notification.Status.SENT


def _outcome(row: Notification) -> str:
    """Return the channel and outcome in words (Swedish, as audit rows are written) for the audit row's reason."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{row.get_channel_display()}: {row.get_status_display()}"


def _finish(row: Notification, *, actor: audit.Actor, surface: str) -> None:
    row.attempts += 1
    row.status = _send(row)
    if row.status == Notification.Status.SENT:
        row.sent_at = timezone.now()
    row.save(update_fields=["attempts", "status", "sent_at"])
    # The send is audited like any write about a child: who was told, of what kind, by which channel.
    audit.record(
        actor=actor,
        action="create",
        surface=surface,
        target=f"{TARGET}:{row.kind}",
        basis=policy.Basis.NOTIFICATION,
        child_id=row.child_id,
        record_type="Notification",
        record_id=str(row.pk),
        reason=_outcome(row),
    )


def notification_queue(event: Event) -> Notification | None:
    """Write the event's outbox row (queued, not sent) unless it was handled before; return the new row, or None."""
    if event.user_id is None:
        return None
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the caller's transaction usable
            return Notification.objects.create(
                key=event.key,
                user_id=event.user_id,
                kind=event.kind,
                channel=channel_for(event.user_id, event.kind),
                status=Notification.Status.QUEUED,
                child_id=event.child_id,
                path=event.path,
            )
    except IntegrityError:
        return None  # handled before (or by a run at the same moment): never twice


def notifications_queue(events: Iterable[Event]) -> list[int]:
    """Queue every event not handled before; return the ids of the new outbox rows."""
    events = list(events)
    keys = sorted({event.key for event in events})
    handled = set()
    for start in range(0, len(keys), 500):  # one query per 500 events, not one per event
        rows = Notification.objects.filter(key__in=keys[start : start + 500]).values_list("key", "user_id")
        handled.update(rows)
    made = []
    for event in events:
        if (event.key, event.user_id) in handled:
            continue
        handled.add((event.key, event.user_id))
        if (row := notification_queue(event)) is not None:
            made.append(row.pk)
    return made


def notifications_deliver(
    ids: Iterable[int] | None = None, *, actor: audit.Actor = SYSTEM, surface: str = "task"
) -> int:
    """Send the queued rows, and retry the failed ones a few times at most; return how many were sent now.

    `ids` limits the delivery to those rows (the background attempt after a request). Each row is locked while it
    is sent (`SELECT … FOR UPDATE SKIP LOCKED`): a task and a background attempt at the same moment never both
    send it, and a row another process is sending is left to it.
    """
    waiting = Notification.objects.filter(
        status__in=[Notification.Status.QUEUED, Notification.Status.FAILED], attempts__lt=MAX_ATTEMPTS
    )
    if ids is not None:
        waiting = waiting.filter(pk__in=list(ids))
    sent = 0
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            row = waiting.select_for_update(skip_locked=True).filter(pk=pk).first()
            if row is None:
                continue  # sent meanwhile, or being sent by another process
            _finish(row, actor=actor, surface=surface)
        sent += row.status == Notification.Status.SENT
    return sent


def notification_send(event: Event, *, actor: audit.Actor = SYSTEM, surface: str = "task") -> Notification | None:
    """Queue one event and send it now unless it was handled before; return the new row, or None."""
    row = notification_queue(event)
    if row is None:
        return None
    notifications_deliver([row.pk], actor=actor, surface=surface)
    row.refresh_from_db()
    return row


def notifications_send(events: Iterable[Event], *, actor: audit.Actor = SYSTEM, surface: str = "task") -> int:
    """Queue and send every event not handled before; return how many new notifications were handled."""
    made = notifications_queue(events)
    notifications_deliver(made, actor=actor, surface=surface)
    return len(made)


def notifications_retry(*, actor: audit.Actor = SYSTEM) -> int:
    """Send what is queued and try again what failed (a few times at most); return how many were sent now."""
    return notifications_deliver(actor=actor)


def due_send(on: date) -> tuple[int, int]:
    """Send what waits on the day, what services queued, and retry failed sends; return (new, sent from before)."""
    from notifications.events import all_due

    return notifications_send(all_due(on)), notifications_retry()


def _deliver_in_background(ids: list[int], actor: audit.Actor, surface: str) -> None:
    """Try the rows once in a thread of their own; whatever is not sent here, `run_due_tasks` sends."""
    try:
        notifications_deliver(ids, actor=actor, surface=surface)
    except Exception:  # the next run_due_tasks tries again
        logger.exception("Notifications could not be delivered in the background")
    finally:
        connections.close_all()  # the thread's own database connection


def queue_for_delivery(collect, *, actor: audit.Actor, surface: str = "page") -> None:
    """Queue the events `collect(on)` yields in the current transaction; deliver them outside the request.

    The outbox rows commit (or roll back) with the user's work. Nothing is sent inside the request: after the
    commit a background thread tries them once if `SAMPLAN_NOTIFY_IN_BACKGROUND` is on, and `run_due_tasks`
    sends whatever is still queued or failed.
    """
    try:
        with transaction.atomic():  # a savepoint: a notification problem never undoes the user's work
            made = notifications_queue(collect(policy.today()))
    except Exception:  # the task finds the same events later (notifications.events) and queues them then
        logger.exception("Notifications could not be queued")
        return
    if made and settings.SAMPLAN_NOTIFY_IN_BACKGROUND:

        def start() -> None:
            name = "samplan-notifications"
            threading.Thread(target=_deliver_in_background, args=(made, actor, surface), name=name, daemon=True).start()

        transaction.on_commit(start)


def preferences_for(user: User) -> dict[str, str]:
    """Return the user's channel per kind (e-mail where they chose nothing)."""
    return dict(Preference.objects.filter(user=user).values_list("kind", "channel"))


@transaction.atomic
def preferences_set(*, user: User, choices: dict[str, str]) -> None:
    """Save the user's channel per kind."""
    for kind, channel in choices.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})

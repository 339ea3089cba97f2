"""Send notifications: once per event and recipient, by the channel the recipient chose, each send audited."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.models import User
from audit import log as audit
from notifications import sms
from notifications.events import Event
from notifications.messages import compose
from notifications.models import Channel, Notification, Preference
from people.models import ContactDetails
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
    message = compose(row.kind, row.path)
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


def notification_send(event: Event, *, actor: audit.Actor = SYSTEM, surface: str = "task") -> Notification | None:
    """Send one event to its recipient unless it was handled before; return the new row, or None."""
    if event.user_id is None:
        return None
    try:
        with transaction.atomic():
            row = Notification.objects.create(
                key=event.key,
                user_id=event.user_id,
                kind=event.kind,
                channel=channel_for(event.user_id, event.kind),
                status=Notification.Status.FAILED,
                child_id=event.child_id,
                path=event.path,
            )
            _finish(row, actor=actor, surface=surface)
    except IntegrityError:
        return None  # handled before (or by a run at the same moment): never twice
    return row


def notifications_send(events: Iterable[Event], *, actor: audit.Actor = SYSTEM, surface: str = "task") -> int:
    """Send every event not handled before; return how many new notifications were handled."""
    events = list(events)
    keys = sorted({event.key for event in events})
    handled = set()
    for start in range(0, len(keys), 500):  # one query per 500 events, not one per event
        rows = Notification.objects.filter(key__in=keys[start : start + 500]).values_list("key", "user_id")
        handled.update(rows)
    made = 0
    for event in events:
        if (event.key, event.user_id) in handled:
            continue
        handled.add((event.key, event.user_id))
        made += notification_send(event, actor=actor, surface=surface) is not None
    return made


def notifications_retry(*, actor: audit.Actor = SYSTEM) -> int:
    """Try again to send the notifications that failed, a few times at most; return how many were sent now."""
    sent = 0
    for row in Notification.objects.filter(status=Notification.Status.FAILED, attempts__lt=MAX_ATTEMPTS):
        with transaction.atomic():
            _finish(row, actor=actor, surface="task")
        sent += row.status == Notification.Status.SENT
    return sent


def due_send(on: date) -> tuple[int, int]:
    """Send what waits on the day and retry failed sends; return (new, resent)."""
    from notifications.events import all_due

    return notifications_send(all_due(on)), notifications_retry()


def after_commit(collect, *, actor: audit.Actor, surface: str = "page") -> None:
    """Send the events `collect(on)` yields once the current transaction commits (from the service making them)."""

    def send() -> None:
        try:
            notifications_send(collect(policy.today()), actor=actor, surface=surface)
        except Exception:  # a notification problem never undoes or fails the user's work; the task retries
            logger.exception("Notifications after commit failed")

    transaction.on_commit(send)


def preferences_for(user: User) -> dict[str, str]:
    """Return the user's channel per kind (e-mail where they chose nothing)."""
    return dict(Preference.objects.filter(user=user).values_list("kind", "channel"))


@transaction.atomic
def preferences_set(*, user: User, choices: dict[str, str]) -> None:
    """Save the user's channel per kind."""
    for kind, channel in choices.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})

"""Notifications: that something waits for a user, sent once per event and recipient, and the user's choices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What waits. Each kind has one fixed text (notifications.messages) and never any of the child's data."""

    PLAN_WAITING = "plan_waiting", _("En plan väntar på ditt svar")
    CONSENT_WAITING = "consent_waiting", _("En begäran om samtycke väntar på ditt svar")
    EMERGENCY_HAPPENED = "emergency_happened", _("Någon har använt nödåtkomst till uppgifter om ditt barn")
    CONSENT_EXPIRES = "consent_expires", _("Ett samtycke upphör snart")
    HANDOVER_DUE = "handover_due", _("En överlämning väntar på att du tar emot den")
    REVIEW_DUE = "review_due", _("En uppföljning av en plan ska göras")
    ACTION_DUE = "action_due", _("En åtgärd har passerat sitt slutdatum")
    EMERGENCY_REVIEW_DUE = "emergency_review_due", _("En nödåtkomst väntar på granskning")


# The same kinds told to the young person about their own record, where the guardians' text says "your child".
SELF_LABELS = {Kind.EMERGENCY_HAPPENED: _("Någon har använt nödåtkomst till uppgifter om dig")}


def label(kind: str, *, to_self: bool = False) -> str:
    """Return what waits, in words: for a guardian or staff, or for the young person about their own record."""
    return SELF_LABELS.get(kind, Kind(kind).label) if to_self else Kind(kind).label


FAMILY_KINDS = (Kind.PLAN_WAITING, Kind.CONSENT_WAITING, Kind.EMERGENCY_HAPPENED, Kind.CONSENT_EXPIRES)
STAFF_KINDS = (Kind.HANDOVER_DUE, Kind.REVIEW_DUE, Kind.ACTION_DUE, Kind.EMERGENCY_REVIEW_DUE)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-post")
    SMS = "sms", _("SMS")
    OFF = "off", _("Inga aviseringar")


class Preference(models.Model):
    """How one user wants to hear of one kind of thing; without a row, by e-mail."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        db_comment="The user.",
    )
    kind = models.CharField(max_length=30, choices=Kind, db_comment="What waits (one of notifications.Kind).")
    channel = models.CharField(max_length=10, choices=Channel, db_comment="email, sms or off.")

    class Meta:
        db_table_comment = "Each user's choice of channel per kind of notification; e-mail when no row."
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_once")]


class Notification(models.Model):
    """One notification to one user of one event; the unique key makes a second send impossible.

    The row is also the outbox: the service that makes the event writes it (queued) in its own transaction, and
    the delivery (`services.notifications_deliver`) sends it later, outside the user's request.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Väntar på att skickas")
        SENT = "sent", _("Skickad")
        FAILED = "failed", _("Kunde inte skickas")
        OFF = "off", _("Användaren har stängt av aviseringen")
        NO_ADDRESS = "no_address", _("Ingen adress att skicka till")

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows name it.")
    key = models.CharField(max_length=100, db_comment="The event: kind and the id of what waits, e.g. plan_waiting:12.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_comment="Recipient."
    )
    kind = models.CharField(max_length=30, choices=Kind, db_comment="What waits (one of notifications.Kind).")
    channel = models.CharField(max_length=10, choices=Channel, db_comment="Channel chosen when it was handled.")
    status = models.CharField(
        max_length=20, choices=Status, db_comment="queued (not yet tried), sent, failed, off or no_address."
    )
    attempts = models.PositiveSmallIntegerField(default=0, db_comment="Send attempts; failed ones are retried.")
    child_id = models.UUIDField(null=True, blank=True, db_comment="Child the event concerns (for the audit log only).")
    path = models.CharField(max_length=300, db_comment="The page the notification links to (no child data).")
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the event was first handled.")
    sent_at = models.DateTimeField(null=True, blank=True, db_comment="When it was sent.")

    class Meta:
        db_table_comment = "Notifications sent (or not) to users: one row per event and recipient, never sent twice."
        constraints = [models.UniqueConstraint(fields=["key", "user"], name="notifications_once_per_event")]
        indexes = [models.Index(fields=["status", "attempts"])]

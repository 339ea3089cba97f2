"""Writes of the catalogue: keep an intervention, confirm its waiting time, remind of stale ones.

Each write is audit-logged with the basis `catalogue_admin`; the catalogue holds no child data, so
the rows name no child. Only those who keep a provider (its unit's staff, the municipality's
managers and administrators) may change its entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit import log as audit
from catalogue import selectors
from catalogue.models import Intervention, InterventionNeed, WaitingTimeReminder
from sharing import policy

BASIS = policy.Basis.CATALOGUE_ADMIN


@dataclass(frozen=True)
class Via:
    """Who acts and where: what every audit row of a catalogue write needs."""

    user: object
    actor: audit.Actor
    surface: str
    target: str


def log_write(*, via: Via, action: str, record) -> None:
    audit.record(
        actor=via.actor,
        action=action,
        surface=via.surface,
        target=via.target,
        basis=BASIS,
        record_type=type(record).__name__,
        record_id=str(record.pk),
    )


def _check_keeps(via: Via, intervention: Intervention) -> None:
    if via.user is not None and not selectors.may_keep(via.user, intervention.provider):
        raise PermissionDenied("only the provider's staff or the municipality's managers keep its entries")


def needs_set(*, intervention: Intervention, needs: list[str]) -> None:
    """Replace the wellbeing indicators the intervention addresses."""
    intervention.needs.exclude(indicator__in=needs).delete()
    InterventionNeed.objects.bulk_create(
        [InterventionNeed(intervention=intervention, indicator=code) for code in needs], ignore_conflicts=True
    )


@transaction.atomic
def intervention_save(*, intervention: Intervention, needs: list[str], via: Via) -> Intervention:
    """Create or change an intervention and its needs; the caller must keep its provider."""
    _check_keeps(via, intervention)
    creating = intervention.pk is None
    intervention.full_clean()
    intervention.save()
    needs_set(intervention=intervention, needs=needs)
    log_write(via=via, action="create" if creating else "update", record=intervention)
    return intervention


@transaction.atomic
def waiting_time_confirm(*, intervention: Intervention, weeks: int | None, on: date, via: Via) -> Intervention:
    """Record the current waiting time as confirmed today; open reminders about it are then done."""
    _check_keeps(via, intervention)
    intervention.waiting_weeks = weeks
    intervention.waiting_confirmed_on = on
    intervention.full_clean()
    intervention.save(update_fields=["waiting_weeks", "waiting_confirmed_on", "updated_at"])
    intervention.reminders.all().delete()
    log_write(via=via, action="update", record=intervention)
    return intervention


def reminders_make(*, on: date) -> int:
    """Make a reminder for each stale waiting time that has none yet; return how many were made.

    Idempotent: a reminder is unique per intervention and stale confirmation day, so a second run
    makes nothing; confirming the waiting time removes the reminder.
    """
    stale = selectors.stale_interventions(on=on).values_list("pk", "waiting_confirmed_on")
    rows = [WaitingTimeReminder(intervention_id=pk, confirmed_on=day, created_on=on) for pk, day in stale]
    before = WaitingTimeReminder.objects.count()
    WaitingTimeReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return WaitingTimeReminder.objects.count() - before

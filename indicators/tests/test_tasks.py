"""The reporting reminder of `run_due_tasks`: open rounds with missing figures, near or past their last day."""

from __future__ import annotations

from datetime import date

import pytest

from audit.models import AuditEvent
from indicators.models import ReportingRound
from indicators.tasks import reporting_reminders

pytestmark = pytest.mark.django_db


def test_it_reminds_rounds_near_their_last_day_once_a_week(cast):
    due = ReportingRound.objects.create(municipality=cast.municipality, year=2024, due_on=date(2025, 2, 28))
    far = ReportingRound.objects.create(municipality=cast.municipality, year=2025, due_on=date(2026, 2, 28))
    assert reporting_reminders(date(2025, 2, 1)) == "0 påminnelser om indikatorrapportering."  # four weeks left
    assert reporting_reminders(date(2025, 2, 20)).startswith("1 ")
    assert reporting_reminders(date(2025, 2, 24)).startswith("0 ")  # reminded four days ago
    assert reporting_reminders(date(2025, 3, 3)).startswith("1 ")  # late: a week later, again
    due.refresh_from_db()
    far.refresh_from_db()
    assert due.reminded_on == date(2025, 3, 3) and far.reminded_on is None
    assert AuditEvent.objects.filter(record_type="ReportingRound", surface="task").count() == 2


def test_a_closed_round_gets_no_reminder(cast):
    ReportingRound.objects.create(municipality=cast.municipality, year=2024, due_on=date(2025, 2, 28), closed=True)
    assert reporting_reminders(date(2025, 2, 27)).startswith("0 ")

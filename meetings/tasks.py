"""Time-based meeting work for `manage.py run_due_tasks`: keep every active series planned a year ahead."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from audit import log as audit
from core.tasks import register
from meetings import services
from meetings.models import MeetingSeries

TASK_NAME = "meeting_series_plan"
SYSTEM = audit.Actor(user_id=None, username="run_due_tasks")


@register(TASK_NAME)
def meeting_series_plan(on: date) -> str:
    """Plan the missing meetings of every active series of an active team, a year ahead of the day."""
    made = 0
    for series in MeetingSeries.objects.filter(active=True, team__active=True).select_related("team", "created_by"):
        via = services.Via(user=series.created_by, actor=SYSTEM, surface="task", target=TASK_NAME)
        with transaction.atomic():
            made += services.series_plan(series, on=max(on, series.first_date), via=via)
    return _("%(made)d möten planerade i mötesserierna.") % {"made": made}

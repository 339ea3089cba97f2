"""Time-based indicator work for `manage.py run_due_tasks`: reminders of reporting rounds that are due."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from audit import log as audit
from core.tasks import register
from indicators import selectors, services
from indicators.models import ReportingRound

TASK_NAME = "indicator_reporting_reminders"


def rounds_to_remind(on: date):
    """Open rounds due within two weeks or late, not reminded in the last week."""
    return ReportingRound.objects.filter(closed=False, due_on__lte=on + timedelta(days=14)).exclude(
        reminded_on__gt=on - timedelta(days=7)
    )


@register(TASK_NAME)
def reporting_reminders(on: date) -> str:
    """Mark a reminder on every open round with indicators not yet reported, at most once a week each."""
    via = services.Via(actor=audit.Actor(user_id=None, username="run_due_tasks"), surface="task", target=TASK_NAME)
    count = 0
    with transaction.atomic():
        for reporting_round in rounds_to_remind(on).select_for_update():
            _done, missing = selectors.round_status(reporting_round)
            if not missing:
                continue
            reporting_round.reminded_on = on
            reporting_round.save(update_fields=["reminded_on"])
            services.log(via=via, action="update", record_type="ReportingRound", record_id=str(reporting_round.pk))
            count += 1
    return _("%(count)d påminnelser om indikatorrapportering.") % {"count": count}

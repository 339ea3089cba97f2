"""Time-based programme work for `manage.py run_due_tasks`: reminders of follow-up reports that are due."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from audit import log as audit
from core.tasks import register
from programmes import services

TASK_NAME = "programme_follow_up_reminders"


@register(TASK_NAME)
def follow_up_reminders(on: date) -> str:
    """Mark a reminder on every unfiled follow-up due within two weeks or late, at most once a week each."""
    act = services.Via(actor=audit.Actor(user_id=None, username="run_due_tasks"), surface="task", target=TASK_NAME)
    count = 0
    with transaction.atomic():
        for follow_up in services.follow_ups_to_remind(on).select_for_update():
            follow_up.reminded_on = on
            follow_up.save(update_fields=["reminded_on"])
            services.log_write(via=act, record=follow_up, action="update")
            count += 1
    return _("%(count)d påminnelser om uppföljning av stimulansbidrag.") % {"count": count}

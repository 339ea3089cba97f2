"""Time-based plan work for `manage.py run_due_tasks`: reminders of due reviews and overdue actions."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from core.tasks import register
from plans.services import reminders_make

TASK_NAME = "plan_reminders"


@register(TASK_NAME)
def plan_reminders(on: date) -> str:
    """Make a reminder for every open plan whose review is due and every action past its end date."""
    reviews, actions = reminders_make(on=on)
    return _("%(reviews)d påminnelser om uppföljning och %(actions)d om försenade åtgärder.") % {
        "reviews": reviews,
        "actions": actions,
    }

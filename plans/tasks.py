"""Time-based plan work for `manage.py run_due_tasks`: reminders of due reviews and overdue actions."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from core.tasks import register
from plans.services import reminders_make, renewals_make

TASK_NAME = "plan_reminders"


@register(TASK_NAME)
def plan_reminders(on: date) -> str:
    """Make a reminder for every due review, overdue action and plan to renew with a young person now 18."""
    reviews, actions = reminders_make(on=on)
    renewals = renewals_make(on=on)
    return _(
        "%(reviews)d påminnelser om uppföljning, %(actions)d om försenade åtgärder och %(renewals)d om planer att "
        "förnya med en ung person som fyllt 18."
    ) % {"reviews": reviews, "actions": actions, "renewals": renewals}

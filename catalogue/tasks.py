"""Time-based catalogue work for `manage.py run_due_tasks`: remind providers of stale waiting times."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from catalogue.services import reminders_make
from core.tasks import register

TASK_NAME = "catalogue_waiting_times"


@register(TASK_NAME)
def catalogue_waiting_times(on: date) -> str:
    """Make a reminder for every waiting time not confirmed within the municipality's limit."""
    made = reminders_make(on=on)
    return _("%(count)d påminnelser om väntetider att bekräfta.") % {"count": made}

"""Time-based wellbeing work for `manage.py run_due_tasks`."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from core.tasks import register
from wellbeing.services import follow_ups_mark_due

TASK_NAME = "wellbeing_follow_ups_due"


@register(TASK_NAME)
def follow_ups_due(on: date) -> str:
    """Mark five-question follow-ups that have fallen due; their authors see them under "Mina uppföljningar"."""
    return _("%(count)d uppföljningar har blivit aktuella.") % {"count": follow_ups_mark_due(on=on)}

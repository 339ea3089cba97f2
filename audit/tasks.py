"""Time-based audit work for `manage.py run_due_tasks`: a signed checkpoint of the log's chain heads."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from audit import checkpoint
from core.tasks import register

TASK_NAME = "audit_checkpoint"


@register(TASK_NAME)
def audit_checkpoint(on: date) -> str:
    """Write a checkpoint when the log has grown (the day does not matter: the heads are taken as they are now)."""
    written = checkpoint.write()
    if written is None:
        return _("loggen har inte vuxit; ingen ny kontrollpunkt.")
    return _("kontrollpunkt skriven vid rad %(id)d (%(rows)d rader).") % {"id": written.newest_id, "rows": written.rows}

"""Time-based notification work for `manage.py run_due_tasks`: tell users that something waits for them."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from core.tasks import register
from notifications.services import due_send

TASK_NAME = "notifications_send"


@register(TASK_NAME)
def notifications_send_due(on: date) -> str:
    """Send a notification, once, for everything that waits for a guardian or a member of staff."""
    new, resent = due_send(on)
    return _("%(new)d aviseringar hanterade och %(resent)d skickade på nytt.") % {"new": new, "resent": resent}

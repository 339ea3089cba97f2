"""Time-based sharing work for `manage.py run_due_tasks`."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from core.tasks import register
from sharing.services.consents import TASK_NAME, consents_expire


@register(TASK_NAME)
def consents_expire_due(on: date) -> str:
    """Mark given consents whose period has ended as expired (the policy has already stopped their access)."""
    return _("%(count)d samtycken markerade som upphörda.") % {"count": consents_expire(on=on)}

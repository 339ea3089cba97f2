"""Time-based sharing work for `manage.py run_due_tasks`."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from core.tasks import register
from sharing.services.consents import MAJORITY_TASK_NAME, TASK_NAME, consents_end_at_majority, consents_expire


@register(TASK_NAME)
def consents_expire_due(on: date) -> str:
    """Mark given consents whose period has ended as expired (the policy has already stopped their access)."""
    return _("%(count)d samtycken markerade som upphörda.") % {"count": consents_expire(on=on)}


@register(MAJORITY_TASK_NAME)
def consents_custody_ended(on: date) -> str:
    """Mark consents the guardians gave for a child now 18 as ended (the policy has already stopped their access)."""
    return _("%(count)d samtycken från vårdnadshavare markerade som upphörda när barnet fyllde 18.") % {
        "count": consents_end_at_majority(on=on)
    }

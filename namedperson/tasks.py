"""Time-based named-person work for `manage.py run_due_tasks`."""

from __future__ import annotations

from datetime import date

from core.tasks import register
from namedperson.services import TASK_NAME, handover_propose_due


@register(TASK_NAME)
def named_person_handovers(on: date) -> str:
    """Propose handovers for children entering a new stage and close assignments whose service has ended."""
    return str(handover_propose_due(on=on))

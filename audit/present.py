"""Turn audit rows into the columns of the log extract, for the page and for CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import basis_label

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class EventRow:
    """One access in a log extract, in words."""

    at: datetime
    who: str
    unit: str
    authority: str
    action: str
    surface: str
    target: str
    record: str
    basis: str
    reason: str


def event_row(event: AuditEvent) -> EventRow:
    record = f"{event.record_type} {event.record_id}".strip()
    return EventRow(
        at=timezone.localtime(event.at),
        who=event.username,
        unit=event.unit_name,
        authority=event.authority_name,
        action=str(event.get_action_display()),
        surface=str(event.get_surface_display()),
        target=event.target,
        record=record,
        basis=str(basis_label(event.basis)),
        reason=event.reason,
    )


def event_rows(events) -> list[EventRow]:
    return [event_row(event) for event in events]


def csv_safe(value: str) -> str:
    """Return a cell value that a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cells(row: EventRow) -> list[str]:
    """Return one CSV line's cells, each guarded against formula injection."""
    cells = [
        row.at.isoformat(timespec="seconds"),
        row.who,
        row.unit,
        row.authority,
        row.action,
        row.surface,
        row.target,
        row.record,
        row.basis,
        row.reason,
    ]
    return [csv_safe(cell) for cell in cells]

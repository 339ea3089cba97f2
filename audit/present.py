"""Turn audit rows into the columns of the log extract, in words, for the page and for CSV.

A row says who (name, title, unit and authority: names of public officials are public), when, what in
words (audit.phrases) and on what basis in words; never a route name, model name or id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import phrases
from audit.models import AuditEvent
from audit.selectors import basis_label

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class EventRow:
    """One access in a log extract, in words."""

    at: datetime
    who: str
    title: str
    unit: str
    authority: str
    action: str
    surface: str
    basis: str
    reason: str


@dataclass(frozen=True)
class Person:
    name: str
    title: str


def people(events: Iterable[AuditEvent]) -> dict[int, Person]:
    """Return the name and title of every user who acted in the events, in one query."""
    ids = {event.user_id for event in events if event.user_id is not None}
    if not ids:
        return {}
    return people_from(get_user_model().objects.filter(pk__in=ids).only(*PERSON_FIELDS))


PERSON_FIELDS = ("first_name", "last_name", "username", "title")


def people_rows(events: QuerySet[AuditEvent]) -> QuerySet:
    """Return the users who acted in the events of a queryset (which may be sliced), read with them in one batch."""
    return get_user_model().objects.filter(pk__in=events.values("user_id")).only(*PERSON_FIELDS).order_by("pk")


def people_from(users) -> dict[int, Person]:
    """Return the name and title of each of the users, by id."""
    return {user.pk: Person(user.get_full_name() or user.get_username(), user.title) for user in users}


def who(event: AuditEvent, known: dict[int, Person]) -> Person:
    """Name the actor: the user as now named, or for a scheduled run the run in words."""
    if event.user_id is not None and event.user_id in known:
        return known[event.user_id]
    if event.surface == AuditEvent.Surface.TASK or event.user_id is None:
        return Person(_("Schemalagd körning") if event.surface == AuditEvent.Surface.TASK else event.username, "")
    return Person(event.username, "")


def event_row(event: AuditEvent, known: dict[int, Person] | None = None) -> EventRow:
    person = who(event, known if known is not None else people([event]))
    return EventRow(
        at=timezone.localtime(event.at),
        who=person.name,
        title=person.title,
        unit=event.unit_name,
        authority=event.authority_name,
        action=phrases.describe(action=event.action, target=event.target),
        surface=str(event.get_surface_display()),
        basis=str(basis_label(event.basis)),
        reason=event.reason,
    )


def event_rows(events, known: dict[int, Person] | None = None) -> list[EventRow]:
    """Return the events as rows in words; `known`, the actors already read (`people_from`), spares a query."""
    events = list(events)
    known = known if known is not None else people(events)
    return [event_row(event, known) for event in events]


def chunks(events: Iterable[AuditEvent], size: int = 2000):
    """Yield the events in lists of `size`, so each list's users are named in one query."""
    chunk: list[AuditEvent] = []
    for event in events:
        chunk.append(event)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def csv_safe(value: str) -> str:
    """Return a cell value that a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_header() -> list[str]:
    return [
        _("Tidpunkt"),
        _("Användare"),
        _("Titel"),
        _("Enhet"),
        _("Myndighet"),
        _("Händelse"),
        _("Via"),
        _("Grund för åtkomst"),
        _("Skäl"),
    ]


def csv_cells(row: EventRow) -> list[str]:
    """Return one CSV line's cells, each guarded against formula injection."""
    cells = [
        row.at.isoformat(timespec="seconds"),
        row.who,
        row.title,
        row.unit,
        row.authority,
        row.action,
        row.surface,
        row.basis,
        row.reason,
    ]
    return [csv_safe(cell) for cell in cells]

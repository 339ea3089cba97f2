"""Write audit rows in the same transaction as the access, chained by hash; verify the chain.

`record()` must run inside the transaction of the access it records: if the audit insert fails,
the transaction rolls back and the access fails with it. Inside `deferred()` (used by every
child-data view and API route) rows are buffered and written just before the transaction
commits, so the chain lock is held only for the insert and commit, not while a page renders.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import AuditEvent

GENESIS = "0" * 64
# Arbitrary constant naming the advisory lock that serialises chain appends on PostgreSQL.
_CHAIN_LOCK_KEY = 4_711_2026

# Rows buffered by the innermost deferred() block; a context variable so threads and async tasks never share one.
_buffer: ContextVar[list[dict[str, Any]] | None] = ContextVar("audit_buffer", default=None)

CHAINED_FIELDS = (
    "id",
    "at",
    "user_id",
    "username",
    "unit_name",
    "authority_id",
    "authority_name",
    "child_id",
    "action",
    "surface",
    "target",
    "record_type",
    "record_id",
    "basis",
    "reason",
    "session_hash",
)


@dataclass(frozen=True)
class Actor:
    """Who acts, for the audit row; built once per request."""

    user_id: int | None
    username: str
    unit_name: str = ""
    authority_id: int | None = None
    authority_name: str = ""
    session_hash: str = ""


def row_digest(prev_hash: str, values: dict[str, Any]) -> str:
    """Return SHA-256 over the previous hash and the row's canonical JSON."""
    canonical = json.dumps(
        {name: _canonical(values[name]) for name in CHAINED_FIELDS}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def record(
    *,
    actor: Actor,
    action: str,
    surface: str,
    target: str,
    basis: str,
    child_id: UUID | None = None,
    record_type: str = "",
    record_id: str = "",
    reason: str = "",
) -> None:
    """Record one access; must be called inside the transaction that performs the access."""
    if not connection.in_atomic_block:
        raise RuntimeError("Audit rows must be written inside the transaction of the access.")
    # Fail closed: an action or surface the log does not know is a programming error, not a new kind of row.
    if action not in AuditEvent.Action.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    if surface not in AuditEvent.Surface.values:
        raise ValueError(f"Unknown audit surface {surface!r}.")
    if child_id is not None:
        # Canonical UUID before hashing, so the digest matches what the database gives back.
        child_id = UUID(str(child_id))
    event = {
        "at": timezone.now(),
        "user_id": actor.user_id,
        "username": actor.username[:150],
        "unit_name": actor.unit_name[:200],
        "authority_id": actor.authority_id,
        "authority_name": actor.authority_name[:200],
        "child_id": child_id,
        "action": str(action),
        "surface": str(surface),
        "target": target[:200],
        "record_type": str(record_type),
        "record_id": str(record_id)[:60],
        "basis": str(basis),
        "reason": reason[:300],
        "session_hash": actor.session_hash,
    }
    buffer = _buffer.get()
    if buffer is not None:
        buffer.append(event)
    else:
        _append([event])


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Run a block in one transaction and write its audit rows just before it commits."""
    if _buffer.get() is not None:
        yield
        return
    with transaction.atomic():
        events: list[dict[str, Any]] = []
        token = _buffer.set(events)
        try:
            yield
        finally:
            _buffer.reset(token)
        if events:
            _append(events)


def _append(events: list[dict[str, Any]]) -> None:
    """Insert rows at the head of the chain, holding the chain lock until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    prev_id, prev_hash = head if head else (0, GENESIS)
    rows = []
    for offset, values in enumerate(events, start=1):
        values = {**values, "id": prev_id + offset}
        digest = row_digest(prev_hash, values)
        rows.append(AuditEvent(**values, prev_hash=prev_hash, hash=digest))
        prev_hash = digest
    AuditEvent.objects.bulk_create(rows)


@dataclass(frozen=True)
class ChainProblem:
    """The first row at which the chain does not hold, what is wrong with it, and the outside anchor it fails."""

    event_id: int
    message: str
    anchor: tuple[int, str] | None = None


def head() -> tuple[int, str] | None:
    """Return the id and hash of the newest row, to be anchored outside the database."""
    return AuditEvent.objects.order_by("-id").values_list("id", "hash").first()


def verify(
    batch_size: int = 5000, *, anchors: Sequence[tuple[int, str]] = (), start: tuple[int, str] | None = None
) -> tuple[int, ChainProblem | None]:
    """Walk the chain in id order; return the number of rows checked and the first problem.

    Rows are read in keyset chunks (id > last id), so memory stays flat and no long-lived cursor or
    transaction is held however long the log is. `anchors` are (id, hash) pairs kept outside the
    database (an operator's note, a signed checkpoint): they catch a chain cut short or rebuilt from
    scratch, which links alone cannot. `start` is (first id, its prev_hash) once rows older than the
    retention period have been archived and removed; by default the chain starts at row 1 with the
    genesis hash.
    """
    columns = (*CHAINED_FIELDS, "prev_hash", "hash")
    first_id, prev_hash = start or (1, GENESIS)
    prev_id, checked = first_id - 1, 0
    while True:
        chunk = list(AuditEvent.objects.filter(id__gt=prev_id).order_by("id").values_list(*columns)[:batch_size])
        for values in chunk:
            row = dict(zip(columns, values, strict=True))
            checked += 1
            problem = _check_row(row, prev_id, prev_hash)
            if problem:
                return checked, ChainProblem(row["id"], problem)
            for anchor in anchors:
                if row["id"] == anchor[0] and row["hash"] != anchor[1]:
                    message = gettext("raden har inte den hash som sparades utanför databasen")
                    return checked, ChainProblem(row["id"], message, anchor)
            prev_hash, prev_id = row["hash"], row["id"]
        if len(chunk) < batch_size:
            break
    beyond = sorted(anchor for anchor in anchors if anchor[0] > prev_id)
    if beyond:
        message = gettext("raden saknas: loggen slutar vid rad %d") % prev_id
        return checked, ChainProblem(beyond[0][0], message, beyond[0])
    return checked, None


def _check_row(row: dict[str, Any], prev_id: int, prev_hash: str) -> str | None:
    """Return what is wrong with one row given its predecessor, or None."""
    if row["id"] != prev_id + 1:
        missing = f"{prev_id + 1}" if row["id"] == prev_id + 2 else f"{prev_id + 1}–{row['id'] - 1}"
        return gettext("rad %s saknas (luckan ligger före denna rad)") % missing
    if row["prev_hash"] != prev_hash:
        return gettext("prev_hash stämmer inte med föregående rads hash")
    if row_digest(prev_hash, row) != row["hash"]:
        return gettext("radens innehåll stämmer inte med dess hash (raden har ändrats)")
    return None

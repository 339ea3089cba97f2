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
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEvent

GENESIS = "0" * 64
# Arbitrary constant naming the advisory lock that serialises chain appends on PostgreSQL.
_CHAIN_LOCK_KEY = 4_711_2026

_state = threading.local()

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
    event = {
        "at": timezone.now(),
        "user_id": actor.user_id,
        "username": actor.username[:150],
        "unit_name": actor.unit_name[:200],
        "authority_id": actor.authority_id,
        "authority_name": actor.authority_name[:200],
        "child_id": child_id,
        "action": action,
        "surface": surface,
        "target": target[:200],
        "record_type": record_type,
        "record_id": str(record_id)[:60],
        "basis": basis,
        "reason": reason[:300],
        "session_hash": actor.session_hash,
    }
    buffer = getattr(_state, "buffer", None)
    if buffer is not None:
        buffer.append(event)
    else:
        _append([event])


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Run a block in one transaction and write its audit rows just before it commits."""
    if getattr(_state, "buffer", None) is not None:
        yield
        return
    with transaction.atomic():
        _state.buffer = []
        try:
            yield
            events = _state.buffer
        finally:
            _state.buffer = None
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
    event_id: int
    message: str


def verify(batch_size: int = 5000) -> tuple[int, ChainProblem | None]:
    """Walk the chain in id order; return the number of rows checked and the first problem."""
    prev_hash = GENESIS
    prev_id = 0
    checked = 0
    queryset = AuditEvent.objects.order_by("id").values(*CHAINED_FIELDS, "prev_hash", "hash")
    for row in queryset.iterator(chunk_size=batch_size):
        checked += 1
        if row["id"] != prev_id + 1:
            return checked, ChainProblem(row["id"], f"gap in sequence after row {prev_id}")
        if row["prev_hash"] != prev_hash:
            return checked, ChainProblem(row["id"], "prev_hash does not match the previous row")
        if row_digest(prev_hash, row) != row["hash"]:
            return checked, ChainProblem(row["id"], "row content does not match its hash")
        prev_hash = row["hash"]
        prev_id = row["id"]
    return checked, None

"""Write audit rows in the same transaction as the access, chained by hash; verify the chain.

`record()` must run inside the transaction of the access it records: if the audit insert fails,
the transaction rolls back and the access fails with it. Inside `deferred()` (used by every
child-data view and API route) rows are buffered and written just before the transaction
commits, so the chain lock is held only for the insert and commit, not while a page renders.

The log is several independent hash chains ("stripes", SAMPLAN_AUDIT_STRIPES): a writer locks and
extends only its own connection's chain, so concurrent requests do not wait for one another. Each
row's hash covers its chain and its place in it (seq, 1, 2, 3 ... without gaps); `verify` walks
every chain, and checkpoints keep every chain's head (docs/audit.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any, NamedTuple
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import AuditEvent

GENESIS = "0" * 64
# Arbitrary constant naming the advisory locks of chain appends on PostgreSQL; the second key is the stripe.
_CHAIN_LOCK_CLASS = 4_711_2026

# The values `record` accepts (the enums' `values` build a new list at every read).
_ACTIONS = frozenset(AuditEvent.Action.values)
_SURFACES = frozenset(AuditEvent.Surface.values)

# Rows buffered by the innermost deferred() block; a context variable so threads and async tasks never share one.
_buffer: ContextVar[list[dict[str, Any]] | None] = ContextVar("audit_buffer", default=None)

_CONTENT_FIELDS = (
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
# What a row's hash covers: its chain and place (hash form 2), or its id (form 1, rows from before chains).
CHAINED_FIELDS = ("stripe", "seq", *_CONTENT_FIELDS)
LEGACY_FIELDS = ("id", *_CONTENT_FIELDS)
_FORM_FIELDS = {AuditEvent.HashForm.STRIPED: CHAINED_FIELDS, AuditEvent.HashForm.BY_ID: LEGACY_FIELDS}


class Head(NamedTuple):
    """The newest row of one chain: its stripe, place, id and hash."""

    stripe: int
    seq: int
    id: int
    hash: str


class Anchor(NamedTuple):
    """A row's id and hash kept outside the database, and its chain when known (a checkpoint knows it)."""

    id: int
    hash: str
    stripe: int | None = None


@dataclass(frozen=True)
class Actor:
    """Who acts, for the audit row; built once per request."""

    user_id: int | None
    username: str
    unit_name: str = ""
    authority_id: int | None = None
    authority_name: str = ""
    session_hash: str = ""


def row_digest(prev_hash: str, values: dict[str, Any], form: int = AuditEvent.HashForm.STRIPED) -> str:
    """Return SHA-256 over the previous hash and the canonical JSON of the fields the row's hash form covers."""
    canonical = json.dumps(
        {name: _canonical(values[name]) for name in _FORM_FIELDS[form]}, sort_keys=True, ensure_ascii=False
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
    if action not in _ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}.")
    if surface not in _SURFACES:
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
    """Insert rows at the head of this connection's chain, holding that chain's lock until the transaction ends.

    On PostgreSQL the chain (stripe) is the backend's process id modulo SAMPLAN_AUDIT_STRIPES: fixed for a
    connection, so all rows of one transaction land in one chain, in order, and writers on other
    connections mostly take other chains' locks. SQLite serialises writing transactions itself and
    writes one chain. The id comes from the table's sequence when the row is inserted.
    """
    stripe = _stripe()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CHAIN_LOCK_CLASS, stripe])
    head = AuditEvent.objects.filter(stripe=stripe).order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = head or (0, GENESIS)
    rows = []
    for values in events:
        seq += 1
        values = {**values, "stripe": stripe, "seq": seq}
        digest = row_digest(prev_hash, values)
        rows.append({**values, "hash_form": AuditEvent.HashForm.STRIPED, "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
        _copy(rows)
    else:
        AuditEvent.objects.bulk_create(AuditEvent(**row) for row in rows)


# From this many rows (an import's batch) the rows are streamed with COPY: the same values, written
# without the ORM's per-value preparation, which is most of the cost of tens of thousands of rows.
COPY_FROM = 200
_COPY_COLUMNS = (*CHAINED_FIELDS, "hash_form", "prev_hash", "hash")


def _copy(rows: list[dict[str, Any]]) -> None:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _COPY_COLUMNS)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in _COPY_COLUMNS])


def _stripe() -> int:
    if connection.vendor != "postgresql":
        return 0
    return connection.connection.info.backend_pid % settings.SAMPLAN_AUDIT_STRIPES


@dataclass(frozen=True)
class ChainProblem:
    """The first row at which a chain does not hold, what is wrong with it, and the outside anchor it fails."""

    event_id: int
    message: str
    anchor: Anchor | None = None


def head() -> tuple[int, str] | None:
    """Return the id and hash of the newest row of the whole log."""
    return AuditEvent.objects.order_by("-id").values_list("id", "hash").first()


def stripes() -> range:
    """Return the chains to read: those configured, and any higher one rows were written to before a change."""
    highest = AuditEvent.objects.aggregate(highest=Max("stripe"))["highest"]
    return range(max(settings.SAMPLAN_AUDIT_STRIPES, 0 if highest is None else highest + 1))


def heads() -> list[Head]:
    """Return the newest row of every chain that has rows, to be kept outside the database."""
    columns = ("stripe", "seq", "id", "hash")
    found = (
        AuditEvent.objects.filter(stripe=stripe).order_by("-seq").values_list(*columns).first() for stripe in stripes()
    )
    return [Head(*row) for row in found if row is not None]


def verify(
    batch_size: int = 5000, *, anchors: Sequence[Anchor] = (), starts: Mapping[int, tuple[int, str]] | None = None
) -> tuple[int, ChainProblem | None]:
    """Walk every chain in order of place; return the number of rows checked and the first problem.

    Each chain is read in keyset chunks (seq > last seq, on the (stripe, seq) index), so memory stays
    flat and no long-lived cursor or transaction is held however long the log is. When several chains
    are broken, the problem at the lowest row id is returned. `anchors` are rows kept outside the
    database (an operator's note, a signed checkpoint's chain heads): they catch a chain cut short or
    rebuilt from scratch, which links alone cannot. `starts` maps a chain to (its first place, that
    row's prev_hash) once rows older than the retention period have been archived and removed; by
    default a chain starts at place 1 with the genesis hash.
    """
    starts = starts or {}
    by_id: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_id.setdefault(anchor.id, []).append(anchor)
    walks = [_walk(stripe, batch_size, starts.get(stripe), by_id) for stripe in stripes()]
    checked = sum(walk.checked for walk in walks)
    problems = [walk.problem for walk in walks if walk.problem is not None]
    if problems:
        return checked, min(problems, key=lambda problem: problem.event_id)
    ends = {walk.stripe: walk.last_id for walk in walks}
    seen = set().union(*(walk.seen for walk in walks))
    missing = [anchor for anchor in anchors if anchor.id not in seen]
    if missing:
        anchor = min(missing, key=lambda anchor: anchor.id)
        if anchor.stripe is None:
            message = gettext("raden saknas i loggen")
        elif ends.get(anchor.stripe):
            message = gettext("raden saknas: kedja %(stripe)d slutar vid rad %(end)d") % {
                "stripe": anchor.stripe,
                "end": ends[anchor.stripe],
            }
        else:
            message = gettext("raden saknas: kedja %(stripe)d är tom") % {"stripe": anchor.stripe}
        return checked, ChainProblem(anchor.id, message, anchor)
    return checked, None


@dataclass
class _Walk:
    stripe: int
    checked: int = 0
    last_id: int = 0
    problem: ChainProblem | None = None
    seen: set[int] = field(default_factory=set)


def _walk(stripe: int, batch_size: int, start: tuple[int, str] | None, anchors: dict[int, list[Anchor]]) -> _Walk:
    """Check one chain's links from its start to its head, stopping at the first problem."""
    columns = ("id", "hash_form", *CHAINED_FIELDS, "prev_hash", "hash")
    walk = _Walk(stripe)
    first_seq, prev_hash = start or (1, GENESIS)
    prev = {"seq": first_seq - 1, "id": 0, "hash_form": AuditEvent.HashForm.BY_ID, "hash": prev_hash}
    while True:
        chunk = list(
            AuditEvent.objects.filter(stripe=stripe, seq__gt=prev["seq"])
            .order_by("seq")
            .values_list(*columns)[:batch_size]
        )
        for values in chunk:
            row = dict(zip(columns, values, strict=True))
            walk.checked += 1
            problem = _check_row(row, prev)
            differs = [anchor for anchor in anchors.get(row["id"], ()) if anchor.hash != row["hash"]]
            if problem is None and differs:
                message = gettext("raden har inte den hash som sparades utanför databasen")
                walk.problem = ChainProblem(row["id"], message, differs[0])
                return walk
            if problem is not None:
                walk.problem = ChainProblem(row["id"], problem)
                return walk
            walk.seen.add(row["id"])
            walk.last_id, prev = row["id"], row
        if len(chunk) < batch_size:
            return walk


def _check_row(row: dict[str, Any], prev: dict[str, Any]) -> str | None:
    """Return what is wrong with one row given the row before it in its chain, or None."""
    if row["seq"] != prev["seq"] + 1:
        first, last = prev["seq"] + 1, row["seq"] - 1
        missing = f"{first}" if first == last else f"{first}–{last}"
        return gettext("plats %(missing)s i kedja %(stripe)d saknas (luckan ligger före denna rad)") % {
            "missing": missing,
            "stripe": row["stripe"],
        }
    # Ids only grow along a chain; a row from before chains sits in chain 0 at its id, after no newer row.
    legacy = row["hash_form"] == AuditEvent.HashForm.BY_ID
    misplaced = legacy and (row["stripe"] != 0 or row["seq"] != row["id"] or prev["hash_form"] != row["hash_form"])
    if row["id"] <= prev["id"] or misplaced or row["hash_form"] not in _FORM_FIELDS:
        return gettext("raden ligger inte där dess id och form säger (raden har flyttats)")
    if row["prev_hash"] != prev["hash"]:
        return gettext("prev_hash stämmer inte med föregående rads hash")
    if row_digest(prev["hash"], row, row["hash_form"]) != row["hash"]:
        return gettext("radens innehåll stämmer inte med dess hash (raden har ändrats)")
    return None

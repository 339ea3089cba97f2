"""Signed checkpoints of the audit chain's head, written outside the database.

The chain's links show a row edited or removed in the middle of the log, but not rows cut off its
end: what is left is still a valid chain. A checkpoint records the head (id and hash) and the row
count at a moment, signed, as one JSON line appended to a file (and optionally sent to syslog).
`audit_verify` checks the log against the latest one, so rows removed after it was written are
found. Writing a checkpoint only reads the audit table; it never adds a row of its own, or the
head would move with every checkpoint.

The signature is an HMAC-SHA256 with SAMPLAN_AUDIT_CHECKPOINT_KEY. A public-key signature would
only help if checkpoints were verified where the signing key is absent; Samplan both writes and
verifies them on the application server, and what the signature must withstand is someone who can
change the database and the checkpoint file but does not have the application's environment.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import os
import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from logging.handlers import SysLogHandler
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log
from audit.models import AuditEvent

VERSION = 1
SYSLOG_IDENT = "samplan-audit-checkpoint: "
# Domain separation: a checkpoint signature can never be mistaken for any other use of the key.
_SIGNED_PREFIX = b"samplan-audit-checkpoint\n"
_FIELDS = frozenset({"v", "id", "hash", "rows", "at", "after_restore", "sig"})
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_SOCKET_TYPES = {"udp": socket.SOCK_DGRAM, "tcp": socket.SOCK_STREAM, "unix": None}


class CheckpointError(Exception):
    """A checkpoint that cannot be read or trusted, or one that may not be written; the message is for operators."""


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """The chain's head at a moment: its id and hash (0 and the genesis hash for an empty log) and the row count."""

    head_id: int
    head_hash: str
    rows: int
    at: datetime
    after_restore: bool = False

    @property
    def anchor(self) -> tuple[int, str]:
        return self.head_id, self.head_hash


def current() -> Checkpoint:
    """Return a checkpoint of the log as it is now (read only)."""
    head_id, head_hash = log.head() or (0, log.GENESIS)
    # Counted up to the head just read, so a row committed in between cannot make the two disagree.
    rows = AuditEvent.objects.filter(id__lte=head_id).count()
    return Checkpoint(head_id, head_hash, rows, timezone.now().replace(microsecond=0))


def encode(checkpoint: Checkpoint, key: str) -> str:
    """Return the checkpoint as one signed JSON line (without the newline)."""
    payload = {
        "v": VERSION,
        "id": checkpoint.head_id,
        "hash": checkpoint.head_hash,
        "rows": checkpoint.rows,
        "at": checkpoint.at.astimezone(UTC).isoformat(),
        "after_restore": checkpoint.after_restore,
    }
    return json.dumps({**payload, "sig": _signature(payload, key)}, sort_keys=True, separators=(",", ":"))


def decode(line: str, keys: list[str]) -> Checkpoint:
    """Parse and authenticate one line; raise CheckpointError saying what is wrong with it."""
    data = _fields(line)
    at = _timestamp(data["at"])
    well_formed = (
        data["v"] == VERSION
        and _count(data["id"])
        and _count(data["rows"])
        and isinstance(data["after_restore"], bool)
        and all(isinstance(data[name], str) and _HEX64.match(data[name]) for name in ("hash", "sig"))
    )
    if not well_formed or at is None:
        raise CheckpointError(_("raden har ett ogiltigt värde"))
    payload = {name: data[name] for name in _FIELDS - {"sig"}}
    if not any(hmac.compare_digest(_signature(payload, key), data["sig"]) for key in keys):
        raise CheckpointError(
            _(
                "signaturen stämmer inte med SAMPLAN_AUDIT_CHECKPOINT_KEY: raden har ändrats, "
                "skrivits av någon annan eller signerats med en nyckel som inte längre är inställd"
            )
        )
    return Checkpoint(data["id"], data["hash"], data["rows"], at, data["after_restore"])


def latest(path: Path, *, before: datetime | None = None) -> Checkpoint | None:
    """Return the newest checkpoint in the file (written no later than `before`), or None if there is none.

    Every line is checked for form, so a damaged or inserted line is reported even when it is not
    the one chosen; only the chosen line's signature needs the key.
    """
    chosen: tuple[int, str] | None = None
    for number, line in _lines(path):
        try:
            at = _line_time(line)
        except CheckpointError as exc:
            raise CheckpointError(_problem(path, number, exc)) from exc
        if before is None or at <= before:
            chosen = number, line
    if chosen is None:
        return None
    number, line = chosen
    try:
        return decode(line, settings.SAMPLAN_AUDIT_CHECKPOINT_KEYS)
    except CheckpointError as exc:
        raise CheckpointError(_problem(path, number, exc)) from exc


def write(*, after_restore: bool = False) -> Checkpoint | None:
    """Append a checkpoint of the current head; return None when the head has not moved since the latest one.

    Refuses when the log no longer holds the latest checkpoint's head row: writing then would make
    rows cut off the end look like the legitimate state. After a restore to an older backup, the
    operator verifies the restored log and passes `after_restore` to start from its head.
    """
    path = settings.SAMPLAN_AUDIT_CHECKPOINT_FILE
    now = current()
    if not after_restore:
        previous = latest(path)
        if previous is not None and previous.anchor == now.anchor:
            return None
        if previous is not None and not _holds(previous):
            raise CheckpointError(
                _(
                    "Loggen innehåller inte längre rad %(id)d med den hash som den senaste kontrollpunkten "
                    "(%(at)s) sparade. Ingen ny kontrollpunkt skrevs. Kör manage.py audit_verify. Om databasen "
                    "har återställts från en äldre säkerhetskopia: följ docs/backup-and-restore.md och kör "
                    "manage.py audit_checkpoint --after-restore."
                )
                % {"id": previous.head_id, "at": local_time(previous.at)}
            )
    checkpoint = dataclasses.replace(now, after_restore=after_restore)
    line = encode(checkpoint, settings.SAMPLAN_AUDIT_CHECKPOINT_KEYS[0])
    _append(path, line)
    if settings.SAMPLAN_AUDIT_CHECKPOINT_SYSLOG is not None:
        _send_to_syslog(line, *settings.SAMPLAN_AUDIT_CHECKPOINT_SYSLOG)
    return checkpoint


def local_time(moment: datetime) -> str:
    """Return a checkpoint time as operators read it (Swedish local time)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _holds(checkpoint: Checkpoint) -> bool:
    """Whether the log still has the checkpoint's head row with the same hash (an empty log's head always holds)."""
    if checkpoint.head_id == 0:
        return True
    return AuditEvent.objects.filter(id=checkpoint.head_id, hash=checkpoint.head_hash).exists()


def _signature(payload: dict[str, Any], key: str) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key.encode(), _SIGNED_PREFIX + canonical, hashlib.sha256).hexdigest()


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _timestamp(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _fields(line: str) -> dict[str, Any]:
    """Return a line's JSON object if it has exactly a checkpoint's fields; raise CheckpointError otherwise."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise CheckpointError(_("raden är inte giltig JSON")) from exc
    if not isinstance(data, dict) or set(data) != _FIELDS:
        raise CheckpointError(_("raden har inte fälten en kontrollpunkt ska ha"))
    return data


def _line_time(line: str) -> datetime:
    """Return a line's time without authenticating it, to choose a line; raise CheckpointError if it has none."""
    at = _timestamp(_fields(line)["at"])
    if at is None:
        raise CheckpointError(_("raden har ett ogiltigt värde"))
    return at


def _problem(path: Path, number: int, exc: CheckpointError) -> str:
    return _("Rad %(number)d i kontrollpunktsfilen %(path)s är ingen giltig kontrollpunkt: %(reason)s.") % {
        "number": number,
        "path": path,
        "reason": exc,
    }


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) of the file's non-empty lines; nothing if the file does not exist yet."""
    try:
        with path.open(encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                if line.strip():
                    yield number, line.strip()
    except FileNotFoundError:
        return


def _append(path: Path, line: str) -> None:
    """Append one line with a single write and flush it to disk before returning."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class _RaisingSysLogHandler(SysLogHandler):
    """A syslog handler that lets a failed send raise, so a lost copy is reported rather than printed and ignored."""

    def handleError(self, record: logging.LogRecord) -> None:
        raise  # called from inside emit's except block: re-raise what failed there


def _send_to_syslog(line: str, address: str | tuple[str, int], transport: str) -> None:
    handler = _RaisingSysLogHandler(address=address, socktype=_SOCKET_TYPES[transport])
    handler.ident = SYSLOG_IDENT
    try:
        handler.emit(logging.makeLogRecord({"msg": line, "levelno": logging.INFO, "levelname": "INFO"}))
    finally:
        handler.close()

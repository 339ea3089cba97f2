"""Signed checkpoints of the audit chain's head, written outside the database.

The chains' links show a row edited or removed in the middle of the log, but not rows cut off the
end of a chain: what is left is still a valid chain. A checkpoint records the head (stripe, place, id
and hash) of every chain and the row count at a moment, signed, as one JSON line appended to a file
(and optionally sent to syslog). `audit_verify` checks the log against the latest one, so rows
removed after it was written are found. Lines of the single-chain format (version 1, one head) are
still read: their head is a row of chain 0. Writing a checkpoint only reads the audit table; it
never adds a row of its own, or the heads would move with every checkpoint.

The signature is an HMAC-SHA256 with SAMPLAN_AUDIT_CHECKPOINT_KEY. A public-key signature would
only help if checkpoints were verified where the signing key is absent; Samplan both writes and
verifies them on the application server, and what the signature must withstand is someone who can
change the database and the checkpoint file but does not have the application's environment.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import json
import logging
import operator
import os
import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from logging.handlers import SysLogHandler
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log
from audit.models import AuditEvent

VERSION = 2
SYSLOG_IDENT = "samplan-audit-checkpoint: "
# Domain separation: a checkpoint signature can never be mistaken for any other use of the key.
_SIGNED_PREFIX = b"samplan-audit-checkpoint\n"
_COMMON_FIELDS = frozenset({"v", "rows", "at", "after_restore", "sig"})
_FIELDS = {1: _COMMON_FIELDS | {"id", "hash"}, VERSION: _COMMON_FIELDS | {"heads"}}
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_SOCKET_TYPES = {"udp": socket.SOCK_DGRAM, "tcp": socket.SOCK_STREAM, "unix": None}


class CheckpointError(Exception):
    """A checkpoint that cannot be read or trusted, or one that may not be written; the message is for operators."""


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """Every chain's head at a moment (none for an empty log) and the number of rows up to them."""

    heads: tuple[log.Head, ...]
    rows: int
    at: datetime
    after_restore: bool = False

    @property
    def anchors(self) -> list[log.Anchor]:
        return [log.Anchor(head.id, head.hash, head.stripe) for head in self.heads]

    @property
    def newest_id(self) -> int:
        """The id of the newest head, for people reading messages (0 for an empty log)."""
        return max((head.id for head in self.heads), default=0)


def current() -> Checkpoint:
    """Return a checkpoint of the log as it is now (read only)."""
    heads = tuple(log.heads())
    # Counted up to the heads just read, so a row committed in between cannot make the two disagree.
    up_to_heads = functools.reduce(operator.or_, (Q(stripe=head.stripe, seq__lte=head.seq) for head in heads), Q())
    rows = AuditEvent.objects.filter(up_to_heads).count() if heads else 0
    return Checkpoint(heads, rows, timezone.now().replace(microsecond=0))


def encode(checkpoint: Checkpoint, key: str) -> str:
    """Return the checkpoint as one signed JSON line (without the newline)."""
    payload = {
        "v": VERSION,
        "heads": [list(head) for head in sorted(checkpoint.heads)],
        "rows": checkpoint.rows,
        "at": checkpoint.at.astimezone(UTC).isoformat(),
        "after_restore": checkpoint.after_restore,
    }
    return json.dumps({**payload, "sig": _signature(payload, key)}, sort_keys=True, separators=(",", ":"))


def decode(line: str, keys: list[str]) -> Checkpoint:
    """Parse and authenticate one line; raise CheckpointError saying what is wrong with it."""
    data = _fields(line)
    at = _timestamp(data["at"])
    heads = _heads(data)
    well_formed = (
        heads is not None
        and _count(data["rows"])
        and isinstance(data["after_restore"], bool)
        and isinstance(data["sig"], str)
        and _HEX64.match(data["sig"])
    )
    if not well_formed or at is None:
        raise CheckpointError(_("raden har ett ogiltigt värde"))
    payload = {name: data[name] for name in _FIELDS[data["v"]] - {"sig"}}
    if not any(hmac.compare_digest(_signature(payload, key), data["sig"]) for key in keys):
        raise CheckpointError(
            _(
                "signaturen stämmer inte med SAMPLAN_AUDIT_CHECKPOINT_KEY: raden har ändrats, "
                "skrivits av någon annan eller signerats med en nyckel som inte längre är inställd"
            )
        )
    return Checkpoint(heads, data["rows"], at, data["after_restore"])


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
    """Append a checkpoint of the current heads; return None when no head has moved since the latest one.

    Refuses when the log no longer holds one of the latest checkpoint's head rows: writing then would
    make rows cut off the end of a chain look like the legitimate state. After a restore to an older backup, the
    operator verifies the restored log and passes `after_restore` to start from its head.
    """
    path = settings.SAMPLAN_AUDIT_CHECKPOINT_FILE
    now = current()
    if not after_restore:
        previous = latest(path)
        if previous is not None and set(previous.heads) == set(now.heads):
            return None
        lost = _lost_head(previous) if previous is not None else None
        if lost is not None:
            raise CheckpointError(
                _(
                    "Loggen innehåller inte längre rad %(id)d med den hash som den senaste kontrollpunkten "
                    "(%(at)s) sparade. Ingen ny kontrollpunkt skrevs. Kör manage.py audit_verify. Om databasen "
                    "har återställts från en äldre säkerhetskopia: följ docs/backup-and-restore.md och kör "
                    "manage.py audit_checkpoint --after-restore."
                )
                % {"id": lost.id, "at": local_time(previous.at)}
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


def _lost_head(checkpoint: Checkpoint) -> log.Head | None:
    """Return the first of the checkpoint's heads the log no longer holds with the same hash, or None."""
    held = set(AuditEvent.objects.filter(id__in=[head.id for head in checkpoint.heads]).values_list("id", "hash"))
    return next((head for head in sorted(checkpoint.heads) if (head.id, head.hash) not in held), None)


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
    version = data.get("v") if isinstance(data, dict) else None
    if type(version) is not int or version not in _FIELDS or set(data) != _FIELDS[version]:
        raise CheckpointError(_("raden har inte fälten en kontrollpunkt ska ha"))
    return data


def _heads(data: dict[str, Any]) -> tuple[log.Head, ...] | None:
    """Return a line's chain heads, or None if they are not well formed.

    A version 1 line names one row, the head of the single chain, which is now chain 0 (its place
    is its id); id 0 is an empty log.
    """
    if data["v"] == 1:
        if not (_count(data["id"]) and isinstance(data["hash"], str) and _HEX64.match(data["hash"])):
            return None
        return (log.Head(0, data["id"], data["id"], data["hash"]),) if data["id"] else ()
    heads = data["heads"]
    if not isinstance(heads, list) or not all(isinstance(head, list) and len(head) == 4 for head in heads):
        return None
    parsed = tuple(log.Head(*head) for head in heads)
    if not all(_count(head.stripe) and _count(head.seq) and _count(head.id) for head in parsed):
        return None
    if not all(isinstance(head.hash, str) and _HEX64.match(head.hash) for head in parsed):
        return None
    return parsed if len({head.stripe for head in parsed}) == len(parsed) else None


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

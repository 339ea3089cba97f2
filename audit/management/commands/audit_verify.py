"""Verify the audit log's hash chains: `manage.py audit_verify` (run it after every restore)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import checkpoint, log

_ID_HASH = re.compile(r"^(?P<id>\d+):(?P<hash>[0-9a-f]{64})$")
_STRIPE_SEQ_HASH = re.compile(r"^(?P<stripe>\d+):(?P<seq>\d+):(?P<hash>[0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chains and check them against the latest signed checkpoint; exit non-zero "
        "naming the first bad row if one is broken or rows the checkpoint saw are missing or different."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows read per query (default 5000).")
        parser.add_argument(
            "--anchor",
            help="ID:HASH of a row whose hash was kept outside the database; fails if the row is gone or differs.",
        )
        parser.add_argument(
            "--start",
            action="append",
            default=[],
            help="STRIPE:SEQ:PREV_HASH of the first row of a chain kept after older rows were archived (repeat for "
            "each chain; default SEQ 1 with 000…0). ID:PREV_HASH is chain 0 at that place (rows from before chains).",
        )
        parser.add_argument(
            "--checkpoint-file",
            type=Path,
            help="Read checkpoints from this file instead of SAMPLAN_AUDIT_CHECKPOINT_FILE (e.g. lines collected "
            "from the log server).",
        )
        parser.add_argument(
            "--checkpoint-before",
            help="Use the newest checkpoint written no later than this time (YYYY-MM-DD HH:MM, Swedish time), "
            "e.g. when the backup was taken, instead of the latest one.",
        )
        parser.add_argument(
            "--no-checkpoint", action="store_true", help="Do not check against a checkpoint (the chain's links only)."
        )

    def handle(self, *args, batch_size: int, anchor: str | None, start: list[str], **options) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size måste vara minst 1."))
        anchored, starts = _pair("--anchor", anchor), _starts(start)
        saved = self._checkpoint(options["checkpoint_file"], options["checkpoint_before"], options["no_checkpoint"])
        anchors = ([log.Anchor(*anchored)] if anchored else []) + (saved.anchors if saved else [])
        newest = log.head()  # read first: the walk below is sure to reach it, so it is a verified head
        checked, problem = log.verify(batch_size, anchors=anchors, starts=starts)
        self.stdout.write(_("%(count)d rader kontrollerade.") % {"count": checked})
        if problem is not None and saved is not None and problem.anchor in saved.anchors:
            raise CommandError(
                _(
                    "Loggen stämmer inte med kontrollpunkten från %(at)s, rad %(id)d: %(message)s. Rader i slutet "
                    "av en kedja har tagits bort eller skrivits om efter att kontrollpunkten skrevs, eller så har "
                    "databasen återställts från en säkerhetskopia som är äldre än kontrollpunkten. Öppna inte "
                    "systemet; se docs/audit.md."
                )
                % {"at": checkpoint.local_time(saved.at), "id": problem.event_id, "message": problem.message}
            )
        if problem is not None:
            raise CommandError(
                _("Loggkedjan är bruten vid rad %(id)d: %(message)s. Återställ från en kontrollerad säkerhetskopia.")
                % {"id": problem.event_id, "message": problem.message}
            )
        if saved is not None:
            self.stdout.write(
                _("Loggen innehåller allt som kontrollpunkten från %(at)s såg (%(rows)d rader, senaste rad %(id)d).")
                % {"at": checkpoint.local_time(saved.at), "id": saved.newest_id, "rows": saved.rows}
            )
        if newest is None:
            self.stdout.write(_("Loggen är tom."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Kedjorna är hela. Senaste rad: %(id)d, hash %(hash)s (spara den utanför databasen).")
                % {"id": newest[0], "hash": newest[1]}
            )
        )

    def _checkpoint(self, path: Path | None, before: str | None, skip: bool) -> checkpoint.Checkpoint | None:
        """Return the checkpoint to verify against, or None (with a warning) when there is none to use."""
        if skip:
            if path is not None or before is not None:
                raise CommandError(
                    _("--no-checkpoint kan inte kombineras med --checkpoint-file eller --checkpoint-before.")
                )
            self.stderr.write(self.style.WARNING(_("Kontrollerar utan kontrollpunkt (--no-checkpoint).")))
            return None
        chosen_by_operator = path is not None or before is not None
        path = path or settings.SAMPLAN_AUDIT_CHECKPOINT_FILE
        try:
            saved = checkpoint.latest(path, before=_moment(before) if before else None)
        except checkpoint.CheckpointError as exc:
            raise CommandError(str(exc)) from exc
        if saved is None and (chosen_by_operator or settings.PRODUCTION):
            # Asked for by the operator, or in production, where run_due_tasks has been writing them.
            if before:
                raise CommandError(
                    _("Det finns ingen kontrollpunkt i %(path)s som skrevs före %(before)s.")
                    % {"path": path, "before": before}
                )
            raise CommandError(
                _(
                    "Det finns ingen kontrollpunkt att kontrollera mot i %(path)s. Kör manage.py audit_checkpoint "
                    "(run_due_tasks gör det också), eller ange --no-checkpoint."
                )
                % {"path": path}
            )
        if saved is None:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Ingen kontrollpunkt finns ännu i %(path)s, så rader som tagits bort i slutet av loggen "
                        "kan inte upptäckas. Kör manage.py audit_checkpoint."
                    )
                    % {"path": path}
                )
            )
            return None
        self.stdout.write(
            _("Kontrollerar mot kontrollpunkten från %(at)s i %(path)s (senaste rad %(id)d).")
            % {"at": checkpoint.local_time(saved.at), "path": path, "id": saved.newest_id}
        )
        return saved


def _pair(option: str, value: str | None) -> tuple[int, str] | None:
    """Parse ID:HASH, or None when the option was not given."""
    if not value:
        return None
    match = _ID_HASH.match(value.strip().lower())
    if not match:
        raise CommandError(
            _("Ange %(option)s som ID:HASH, till exempel 1234:<64 hexadecimala tecken>.") % {"option": option}
        )
    return int(match["id"]), match["hash"]


def _starts(values: list[str]) -> dict[int, tuple[int, str]]:
    """Parse --start values into {chain: (first place, prev_hash)}; ID:PREV_HASH is chain 0 (its place is its id)."""
    starts: dict[int, tuple[int, str]] = {}
    for value in values:
        text = value.strip().lower()
        match = _STRIPE_SEQ_HASH.match(text)
        legacy = _ID_HASH.match(text)
        if match:
            stripe, seq, prev_hash = int(match["stripe"]), int(match["seq"]), match["hash"]
        elif legacy:
            stripe, seq, prev_hash = 0, int(legacy["id"]), legacy["hash"]
        else:
            raise CommandError(
                _("Ange --start som KEDJA:PLATS:PREV_HASH, till exempel 3:1234:<64 hexadecimala tecken>.")
            )
        if stripe in starts:
            raise CommandError(_("--start anger kedja %(stripe)d två gånger.") % {"stripe": stripe})
        starts[stripe] = seq, prev_hash
    return starts


def _moment(value: str) -> datetime:
    """Parse a time given on the command line; without a zone it is Swedish time."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise CommandError(_("Ange --checkpoint-before som ÅÅÅÅ-MM-DD TT:MM, till exempel 2025-11-20 02:00.")) from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

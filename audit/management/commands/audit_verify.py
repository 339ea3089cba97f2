"""Verify the audit log's hash chain: `manage.py audit_verify` (run it after every restore)."""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from audit import log

_ID_HASH = re.compile(r"^(?P<id>\d+):(?P<hash>[0-9a-f]{64})$")


class Command(BaseCommand):
    help = "Walk the audit log's hash chain; exit non-zero naming the first bad row if it is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows read per query (default 5000).")
        parser.add_argument(
            "--anchor",
            help="ID:HASH of a row whose hash was kept outside the database; fails if the row is gone or differs.",
        )
        parser.add_argument(
            "--start",
            help="ID:PREV_HASH of the first row kept after older rows were archived (default 1:000…0).",
        )

    def handle(self, *args, batch_size: int, anchor: str | None, start: str | None, **options) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size måste vara minst 1."))
        anchored, started = _pair("--anchor", anchor), _pair("--start", start)
        newest = log.head()  # read first: the walk below is sure to reach it, so it is a verified head
        checked, problem = log.verify(batch_size, anchor=anchored, start=started)
        self.stdout.write(_("%(count)d rader kontrollerade.") % {"count": checked})
        if problem is not None:
            raise CommandError(
                _("Loggkedjan är bruten vid rad %(id)d: %(message)s. Återställ från en kontrollerad säkerhetskopia.")
                % {"id": problem.event_id, "message": problem.message}
            )
        if newest is None:
            self.stdout.write(_("Loggen är tom."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Kedjan är hel. Senaste rad: %(id)d, hash %(hash)s (spara den utanför databasen).")
                % {"id": newest[0], "hash": newest[1]}
            )
        )


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

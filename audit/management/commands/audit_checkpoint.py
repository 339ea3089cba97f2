"""Write a signed checkpoint of the audit chains' heads outside the database: `manage.py audit_checkpoint`."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from audit import checkpoint


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the newest row of every audit chain to SAMPLAN_AUDIT_CHECKPOINT_FILE (and "
        "syslog, if set) when the log has grown since the latest one. run_due_tasks does the same."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--after-restore",
            action="store_true",
            help="Start from the current heads even though a row of the latest checkpoint is gone (after a verified "
            "restore to an older backup; see docs/backup-and-restore.md).",
        )

    def handle(self, *args, after_restore: bool, **options) -> None:
        try:
            written = checkpoint.write(after_restore=after_restore)
        except (checkpoint.CheckpointError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if written is None:
            self.stdout.write(_("Loggen har inte vuxit sedan den senaste kontrollpunkten; ingen ny skrevs."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Kontrollpunkt skriven till %(path)s: %(chains)d kedjor, senaste rad %(id)d, %(rows)d rader.")
                % {
                    "path": settings.SAMPLAN_AUDIT_CHECKPOINT_FILE,
                    "chains": len(written.heads),
                    "id": written.newest_id,
                    "rows": written.rows,
                }
            )
        )

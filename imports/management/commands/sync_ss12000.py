"""Sync from an SS12000 server: `manage.py sync_ss12000 URL [--full] [--dry-run]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from imports import runs, ss12000
from imports.models import ImportRun
from imports.present import summary_lines


class Command(BaseCommand):
    help = "Hämta organisationer, personer, inskrivningar, placeringar och tjänstgöringar från en SS12000-server."

    def add_arguments(self, parser) -> None:
        parser.add_argument("url", help="Serverns basadress, t.ex. https://skolsystem.example/ss12000/v2")
        parser.add_argument("--full", action="store_true", help="Läs allt, inte bara ändringar sedan förra körningen.")
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle ändras utan att spara.")

    def handle(self, *args, url: str, full: bool, dry_run: bool, **options) -> None:
        run = runs.run_start(kind=ImportRun.Kind.SS12000, source_name=url, dry_run=dry_run, full=full)
        run = ss12000.sync(run)
        for line in summary_lines(run):
            self.stdout.write(line)
        if run.status != ImportRun.Status.DONE:
            raise CommandError(run.error)

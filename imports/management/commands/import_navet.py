"""Import a Navet-shaped population-register file: `manage.py import_navet FILE [--dry-run]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports import navet, runs
from imports.models import ImportRun
from imports.present import summary_lines


class Command(BaseCommand):
    help = "Läs in en fil från folkbokföringen (Navet, personposter i XML)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle ändras utan att spara.")

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"Filen {file} finns inte.")
        run = runs.run_start(kind=ImportRun.Kind.NAVET, source_name=file.name, dry_run=dry_run)
        with file.open("rb") as stream:
            run = navet.import_file(stream, run)
        for line in summary_lines(run):
            self.stdout.write(line)
        if run.status != ImportRun.Status.DONE:
            raise CommandError(run.error)

"""Recompute the precomputed access relation from the rules: `manage.py rebuild_access_relation`."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from sharing import access_relation


class Command(BaseCommand):
    help = (
        "Recompute the whole precomputed access relation from the rules and their source rows (after a restore, "
        "or after writing source rows outside the application)."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        written = access_relation.rebuild(
            progress=lambda *step: self.stdout.write(f"  {access_relation.progress_line(*step)}")
        )
        self.stdout.write(f"Åtkomstrelationen byggd om: {written} rader på {time.monotonic() - started:.1f} s.")

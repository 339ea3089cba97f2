"""Recompute the precomputed access relation from the rules: `manage.py rebuild_access_relation`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sharing import access_relation


class Command(BaseCommand):
    help = (
        "Recompute the whole precomputed access relation from the rules and their source rows (after a restore, "
        "or after writing source rows outside the application)."
    )

    def handle(self, *args, **options) -> None:
        written = access_relation.rebuild()
        self.stdout.write(f"Åtkomstrelationen byggd om: {written} rader.")

"""Run every time-based task that is due; safe to call at any interval and any number of times."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from core import tasks

# Arbitrary constant naming the advisory lock that keeps two runs from working at once on PostgreSQL.
_RUN_LOCK_KEY = 4_711_2027


@contextlib.contextmanager
def _single_run() -> Iterator[bool]:
    """Hold a session lock on PostgreSQL so overlapping scheduler calls do not race; yield whether we got it."""
    if connection.vendor != "postgresql":
        yield True  # SQLite serialises writers itself
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_RUN_LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_RUN_LOCK_KEY])


class Command(BaseCommand):
    help = "Kör alla tidsstyrda uppgifter (t.ex. överlämningar av namngiven person). Kan köras hur ofta som helst."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="Dag att köra för (ÅÅÅÅ-MM-DD); standard är i dag."
        )
        parser.add_argument(
            "--only", action="append", default=None, metavar="NAMN", help="Kör bara den här uppgiften (kan upprepas)."
        )

    def handle(self, *args, **options) -> None:
        on = options["date"] or timezone.localdate()
        with _single_run() as acquired:
            if not acquired:
                self.stdout.write("En annan körning pågår redan; inget gjort.")
                return
            try:
                results = tasks.run_all(on, only=options["only"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        failed = [result for result in results if result.error is not None]
        for result in results:
            if result.error is None:
                self.stdout.write(f"{result.name}: {result.summary}")
            else:
                self.stderr.write(f"{result.name}: MISSLYCKADES: {type(result.error).__name__}: {result.error}")
        if failed:
            raise CommandError(f"{len(failed)} av {len(results)} uppgifter misslyckades.")

"""Build the fictitious demo municipality (Sjöstads kommun) with staff, families and named persons."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from demo import build as demo
from evaluation.demo import demo_pilot_build
from indicators.demo import demo_indicators_build
from meetings.demo import demo_meetings
from programmes.demo import demo_programmes_build
from sharing import access_relation


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Bygg fiktiva demodata: Sjöstads kommun med myndigheter, enheter, personal, barn, vårdnadshavare, "
        "inskrivningar och namngivna personer. Samma frö ger samma data samma dag."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=_positive, default=5000, help="Antal barn (standard 5000).")
        parser.add_argument("--seed", type=int, default=1, help="Frö för slumpen (standard 1).")
        parser.add_argument(
            "--reset", action="store_true", help="Töm organisationer, barn, familjer och personal först."
        )
        parser.add_argument(
            "--force", action="store_true", help="Kör även när SAMPLAN_DEMO inte är på (t.ex. i en testdatabas)."
        )
        parser.add_argument(
            "--contact-details-limit",
            type=int,
            default=None,
            metavar="N",
            help="Skapa krypterade kontaktuppgifter bara för de första N barnen och deras vårdnadshavare.",
        )

    def handle(self, *args, **options) -> None:
        # Demo data deletes and invents people: never let it near a real database by accident.
        if not (settings.SAMPLAN_DEMO or options["force"]):
            raise CommandError(
                "demo_data körs bara i demoläge (SAMPLAN_DEMO=1). Använd --force om databasen verkligen är en "
                "test- eller demodatabas."
            )
        if demo.database_has_data():
            if not options["reset"]:
                raise CommandError(
                    "Databasen innehåller redan organisationer, barn eller personal. Kör med --reset för att tömma "
                    "den och bygga om demodata."
                )
            self.stdout.write("Tömmer tidigare data …")
            demo.demo_data_clear()
        started = time.monotonic()
        large = options["children"] > demo.CHUNK_CHILDREN
        summary = demo.demo_data_build(
            children=options["children"],
            seed=options["seed"],
            contact_limit=options["contact_details_limit"],
            progress=self._progress if large else None,
        )
        # the bulk writes above bypass the model signals that keep it current
        access_relation.rebuild(progress=self._relation_progress if large else None)
        summary.counts["teammöten"] = demo_meetings(today=timezone.localdate())
        summary.counts.update(demo_programmes_build(seed=options["seed"]))
        summary.counts["piloter"] = demo_pilot_build(today=timezone.localdate())
        summary.counts.update(demo_indicators_build(seed=options["seed"], today=timezone.localdate()))
        self._report(summary, time.monotonic() - started)

    def _progress(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def _relation_progress(self, step: str, rows: int, seconds: float) -> None:
        self._progress(f"Åtkomstrelationen: {access_relation.progress_line(step, rows, seconds)}")

    def _report(self, summary: demo.DemoSummary, seconds: float) -> None:
        write = self.stdout.write
        write(f"Demodata för Sjöstads kommun klara på {seconds:.1f} s. Alla personer och nummer är påhittade.")
        for label, count in summary.counts.items():
            write(f"  {label:<36} {count:>9}")
        if summary.contact_details_limit is not None:
            write(f"  Kontaktuppgifter bara för de första {summary.contact_details_limit} barnen och deras familjer.")
        write("")
        write(f"Demoinloggningar (lösenord: {demo.DEMO_PASSWORD}):")
        write(f"  {'användarnamn':<20} {'roll':<20} enhet eller barn")
        for username, role, unit in summary.logins:
            write(f"  {username:<20} {role:<20} {unit}")
        write("")
        write(
            "Tvåstegsverifiering: alla demoanvändare delar samma TOTP-hemlighet. Lägg in den i en "
            f"autentiseringsapp: {demo.DEMO_TOTP_SECRET_BASE32}"
        )
        write("Eller skriv ut aktuell kod med: python manage.py demo_code <användarnamn>")

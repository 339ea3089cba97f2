"""Fetch Kolada KPI values for Samplan's municipalities (incrementally with --from-date) and store revisions."""

from __future__ import annotations

import urllib.error
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from audit import log as audit
from indicators import kolada, services
from indicators.models import Indicator
from organisations.models import Municipality


class Command(BaseCommand):
    help = "Hämta nyckeltal från Koladas API (v3) för kommunerna i Samplan."

    def add_arguments(self, parser):
        parser.add_argument("--kpi", action="append", default=[], help="Kolada-id, t.ex. N02904 (flera går bra).")
        parser.add_argument("--municipality", action="append", default=[], help="Kommunkod, fyra siffror.")
        parser.add_argument("--from-date", help="Bara värden ändrade från denna dag (ÅÅÅÅ-MM-DD).")

    def handle(self, *args, kpi, municipality, from_date, **options):
        kpis = kpi or list(Indicator.objects.filter(source=Indicator.Source.KOLADA).values_list("code", flat=True))
        if not kpis:
            raise CommandError("Ange minst ett nyckeltal med --kpi.")
        codes = municipality or list(Municipality.objects.values_list("code", flat=True))
        if from_date:
            try:
                date.fromisoformat(from_date)
            except ValueError as exc:
                raise CommandError("--from-date ska skrivas ÅÅÅÅ-MM-DD.") from exc
        try:
            urls = [
                kolada.data_url(kpis=kpis, municipalities=codes[i : i + 20], from_date=from_date)
                for i in range(0, len(codes), 20)  # Kolada answers about 20 municipalities per call
            ]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        points = []
        try:
            for url in urls:
                points.extend(kolada.fetch_all(url, opener=self.opener))
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CommandError(f"Ingen förbindelse med Kolada: {exc}. Inget sparades.") from exc
        except kolada.KoladaRefused as exc:
            raise CommandError(str(exc)) from exc
        via = services.Via(
            actor=audit.Actor(user_id=None, username="sync_kolada"), surface="task", target="sync_kolada"
        )
        report = kolada.store(via=via, points=points, municipalities=set(codes))
        if not report.ok:
            reasons = "; ".join(f"post {n}: {reason}" for n, reason in report.errors[:10])
            raise CommandError(f"Kolada-svaret innehöll fel, inget sparades: {reasons}")
        self.stdout.write(
            f"{report.points} poster: {report.created} nya värden, {report.revised} reviderade, "
            f"{report.unchanged} oförändrade, {report.skipped_missing} saknade."
        )

    @staticmethod
    def opener(request, timeout):
        import urllib.request

        return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 (kolada.fetch allows only the API)

"""Indicators in a browser: the analyst reads the registry, an indicator over time and the calculator; axe-core
in Swedish and English."""

from __future__ import annotations

from decimal import Decimal

from e2e.helpers import check_page, log_in, switch_language
from indicators import services
from indicators.models import Indicator
from indicators.registry import install_shipped
from indicators.tests.setup import via


def test_an_analyst_reads_the_indicators_and_the_calculator(page, cast):
    install_shipped(Indicator)  # browser tests truncate the tables, so the migration's rows may be gone
    outside = Indicator.objects.get(code="N71-F03")  # Familjerådgivning: Antal familjer med barn
    for period, value in (("2023", 120), ("2024", 125)):
        services.value_record(
            via=via(cast.analyst),
            indicator=outside,
            municipality=cast.municipality,
            unit=None,
            period=period,
            value=Decimal(value),
        )
    log_in(page, cast.analyst)
    urls = ["/indikatorer/", f"/indikatorer/{outside.pk}/", "/indikatorer/kalkyl/", "/indikatorer/importera/"]
    for url in urls:
        check_page(page, url, language="sv")
    page.goto("/indikatorer/kalkyl/")
    assert "541 252 076" in page.locator("main").inner_text().replace("\u00a0", " ").replace("\u202f", " ")
    switch_language(page, "en")
    for url in urls:
        check_page(page, url, language="en")

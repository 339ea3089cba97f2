"""Kolada: the v3 JSON shape from a file or from recorded API responses; never the internet in tests."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from indicators import kolada
from indicators.management.commands import sync_kolada
from indicators.models import Indicator, IndicatorValue
from indicators.tests.setup import via

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_it_stores_the_values_of_a_downloaded_file_by_gender(cast):
    report = kolada.store(via=via(cast.analyst), points=kolada.parse((DATA / "kolada_page1.json").read_bytes()))
    assert report.ok and report.created == 4 and report.skipped_missing == 1
    assert Indicator.objects.get(code="N02904").source == Indicator.Source.KOLADA
    assert IndicatorValue.objects.get(period="2022", gender="K").value == Decimal("12.10")
    again = kolada.store(via=via(cast.analyst), points=kolada.parse((DATA / "kolada_page1.json").read_bytes()))
    assert again.unchanged == 4 and IndicatorValue.objects.count() == 4


@pytest.mark.parametrize(
    ("point", "reason"),
    [
        ({"kpi": "N2904", "municipality": "9999", "period": 2023, "values": []}, "Kolada-id"),
        ({"kpi": "n02904", "municipality": "9999", "period": 2023, "values": []}, "Kolada-id"),
        ({"kpi": "N02904", "municipality": "999", "period": 2023, "values": []}, "fyra siffror"),
        ({"kpi": "N02904", "municipality": "1860", "period": 2023, "values": []}, "finns inte i Samplan"),
        ({"kpi": "N02904", "municipality": "9999", "period": "23", "values": []}, "årtal"),
        ({"kpi": "N02904", "municipality": "9999", "period": 2023, "values": [{"gender": "X", "value": 1}]}, "Kön"),
    ],
)
def test_a_bad_point_refuses_the_whole_document(cast, point, reason):
    good = {"kpi": "N02904", "municipality": "9999", "period": 2022, "values": [{"gender": "T", "value": 3}]}
    report = kolada.store(via=via(cast.analyst), points=[good, point])
    assert not report.ok and reason in report.errors[0][1] and report.errors[0][0] == 2
    assert not IndicatorValue.objects.exists()


def test_it_refuses_a_file_that_is_not_kolada_json():
    for content in (b"not json", b"[1, 2]", json.dumps({"data": []}).encode()):
        with pytest.raises(kolada.KoladaRefused):
            kolada.parse(content)


def test_the_url_asks_for_changes_since_a_day():
    url = kolada.data_url(kpis=["N02904", "N33009"], municipalities=["0180", "1860"], from_date="2025-01-01")
    assert url.startswith("https://api.kolada.se/v3/data/kpi/N02904,N33009/municipality/0180,1860?")
    assert "from_date=2025-01-01" in url and "per_page=5000" in url
    with pytest.raises(ValueError):
        kolada.data_url(kpis=["N0290"], municipalities=["0180"])


class Recorded:
    """Answers the Kolada URLs with the recorded pages; remembers what was asked."""

    def __init__(self):
        self.asked = []

    def __call__(self, request, timeout):
        self.asked.append(request.full_url)
        name = "kolada_page2.json" if "page=2" in request.full_url else "kolada_page1.json"
        return io.BytesIO((DATA / name).read_bytes())


def test_sync_kolada_follows_next_page_and_stores_the_values(cast, monkeypatch):
    recorded = Recorded()
    monkeypatch.setattr(sync_kolada.Command, "opener", staticmethod(recorded))
    out = io.StringIO()
    call_command("sync_kolada", "--kpi", "N02904", "--municipality", "9999", "--from-date", "2024-01-01", stdout=out)
    assert "from_date=2024-01-01" in recorded.asked[0] and len(recorded.asked) == 2
    assert "5 nya värden" in out.getvalue()
    assert IndicatorValue.objects.filter(indicator__code="N33009").get().value == Decimal(2104)


def test_sync_kolada_without_a_connection_saves_nothing(cast, monkeypatch):
    def offline(request, timeout):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(sync_kolada.Command, "opener", staticmethod(offline))
    with pytest.raises(CommandError, match="Ingen förbindelse med Kolada"):
        call_command("sync_kolada", "--kpi", "N02904", "--municipality", "9999")
    assert not IndicatorValue.objects.exists()


def test_sync_kolada_refuses_bad_ids():
    with pytest.raises(CommandError, match="fyra siffror"):
        call_command("sync_kolada", "--kpi", "N02904", "--municipality", "180")

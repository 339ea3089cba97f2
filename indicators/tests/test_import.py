"""File imports: a good CSV or XLSX saves every row; one bad row (or a bad file) saves nothing and says why."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from audit.models import AuditEvent
from indicators import services
from indicators.models import Indicator, IndicatorValue
from indicators.tests.setup import social_analyst, via

pytestmark = pytest.mark.django_db

HEADER = "indikator;kommunkod;enhet;period;kön;åldersgrupp;värde;kommentar"


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def _import(user, name: str, content: bytes) -> services.ImportReport:
    return services.values_import(via=via(user), rows=services.read_table(name, content))


def test_it_imports_a_good_csv_and_revises_on_a_second_file(cast):
    analyst = social_analyst(cast)
    first = _import(
        analyst,
        "bou.csv",
        _csv(
            "N71-S08;9999;Barn och familj;2024;T;;33;",
            "N71-S08;9999;Barn och familj;2024;K;;15;",
            "n71-s04;9999;Barn och familj;2024;T;;140;",
        ),
    )
    assert first.ok and first.created == 3
    second = _import(analyst, "bou.csv", _csv("N71-S08;9999;Barn och familj;2024;T;;34;rättat"))
    assert second.ok and second.revised == 1
    assert IndicatorValue.objects.filter(indicator__code="N71-S08", gender="T").count() == 2
    assert AuditEvent.objects.filter(record_type="IndicatorImport").count() == 2


def test_it_imports_an_xlsx_file(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(["Indikator", "Kommunkod", "Enhet", "Period", "Kön", "Åldersgrupp", "Värde", "Kommentar"])
    sheet.append(["HV-F02", "9999", None, "2024", "T", None, 71.5, None])
    buffer = BytesIO()
    book.save(buffer)
    report = _import(cast.analyst, "utredningstider.xlsx", buffer.getvalue())
    assert report.ok and report.created == 1
    assert IndicatorValue.objects.get().value == Decimal("71.50")


def test_one_bad_row_saves_nothing_and_every_bad_row_gets_a_reason(cast):
    analyst = social_analyst(cast)
    report = _import(
        analyst,
        "bou.csv",
        _csv(
            "N71-S08;9999;Barn och familj;2024;T;;33;",  # good, but the file is refused as a whole
            "X99;9999;Barn och familj;2024;T;;3;",
            "N71-S08;123;Barn och familj;2024;T;;3;",
            "N71-S08;9999;Finns inte;2024;T;;3;",
            "N71-S08;9999;Barn och familj;2024;T;;tre;",
            "N71-S08;9999;Barn och familj;2024-VT;T;;3;",
            "N71-S08;9999;Östra skolan;2024;T;;3;",  # another authority's unit
        ),
    )
    assert not report.ok
    reasons = dict(report.errors)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "Okänd indikator" in reasons[3]
    assert "Okänd kommunkod" in reasons[4]
    assert "ingen enhet som heter" in reasons[5]
    assert "inget tal" in reasons[6]
    assert "2024" in reasons[7]
    assert "Du rapporterar inte för Östra skolan" in reasons[8]
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.filter(record_type__startswith="Indicator").exists()


def test_the_same_figure_twice_in_one_file_refuses_the_file(cast):
    analyst = social_analyst(cast)
    services.value_record(
        via=via(analyst),
        indicator=Indicator.objects.get(code="N71-S08"),
        municipality=cast.social_team.authority.municipality,
        unit=cast.social_team,
        period="2023",
        value=Decimal(30),
    )
    before = AuditEvent.objects.count()
    report = _import(
        analyst,
        "bou.csv",
        _csv(
            "N71-S08;9999;Barn och familj;2024;T;;33;",
            "N71-S08;9999;Barn och familj;2024;K;;15;",  # another gender: a different figure
            "N71-S08;9999;;2024;T;;33;",  # the whole municipality: a different figure
            "n71-s08;9999;Barn och familj;2024;t;;34;",  # row 2 again, in other letter case
            "N71-S08;9999;Barn och familj;2023;T;;31;",  # a revision of a stored figure is fine
        ),
    )
    assert not report.ok
    reasons = dict(report.errors)
    assert sorted(reasons) == [5]
    assert "finns redan på rad 2 i filen" in reasons[5]
    assert IndicatorValue.objects.count() == 1  # the file changed nothing
    assert AuditEvent.objects.count() == before


def test_the_duplicate_check_reads_xlsx_files_too(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(["indikator", "kommunkod", "period", "värde"])
    sheet.append(["HV-F02", "9999", "2024", 71.5])
    sheet.append(["HV-F02", 9999, 2024, 72])
    buffer = BytesIO()
    book.save(buffer)
    report = _import(cast.analyst, "utredningstider.xlsx", buffer.getvalue())
    assert dict(report.errors).keys() == {3}
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("values.txt", b"indikator", "CSV- eller XLSX-fil"),
        ("values.csv", b"", "tom"),
        ("values.csv", b"kod;kommun\nN71-S08;9999\n", "Kolumner saknas"),
        ("values.csv", "indikator;kommunkod;period;värde\n".encode("utf-16"), "UTF-8"),
        ("values.xlsx", b"PK\x03\x04 not a workbook", "XLSX-filen"),
    ],
)
def test_it_refuses_an_unreadable_file(name, content, reason):
    with pytest.raises(services.ImportRefused) as caught:
        services.read_table(name, content)
    assert reason in str(caught.value)

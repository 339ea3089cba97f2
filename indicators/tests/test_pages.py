"""The indicator pages over HTTP: who may open what, entry, import, rounds, the calculator and its exports."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from indicators import services
from indicators.models import Indicator, IndicatorValue, ReportingRound
from indicators.tests.setup import other_municipality_analyst, region_analyst, social_analyst, via
from testsupport.cast import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed():
    return Indicator.objects.get(code="N71-S08")


def _enter(cast, indicator, value, unit=None, gender="T", period="2024"):
    user = social_analyst(cast) if unit is not None else cast.analyst
    return services.value_record(
        via=via(user),
        indicator=indicator,
        municipality=cast.municipality,
        unit=unit,
        period=period,
        gender=gender,
        value=Decimal(value),
    )


@pytest.mark.parametrize(
    ("persona", "offered"), [("analyst", True), ("manager", True), ("social_worker", False), ("teacher", False)]
)
def test_analysts_and_managers_get_the_menu_entry_and_practitioners_do_not(cast, client, persona, offered):
    sign_in(client, getattr(cast, persona))
    page = client.get(reverse("core:home")).content.decode()
    assert (f'href="{reverse("indicators:list")}"' in page) is offered


@pytest.mark.parametrize("name", ["list", "rounds", "calculator", "import"])
def test_anonymous_users_are_sent_to_sign_in(client, name):
    response = client.get(reverse(f"indicators:{name}"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["social_worker", "teacher", "outsider", "expired", "bvc_nurse"])
def test_practitioners_without_an_analyst_role_are_refused(cast, client, placed, persona):
    sign_in(client, getattr(cast, persona))
    for url in (
        reverse("indicators:list"),
        reverse("indicators:detail", args=[placed.pk]),
        reverse("indicators:calculator"),
        reverse("indicators:enter", args=[placed.pk]),
        reverse("indicators:import"),
    ):
        assert client.get(url).status_code == 403, url


def test_the_list_searches_and_pages(cast, client):
    sign_in(client, cast.manager)
    response = client.get(reverse("indicators:list"))
    assert response.status_code == 200
    assert "Antalet barn som utretts" in response.content.decode()
    assert "Sida 1 av 2" in response.content.decode()  # 35 shipped indicators, 25 a page, by code
    assert "Antal aktuella barn" in client.get(reverse("indicators:list"), {"sida": 2}).content.decode()
    found = client.get(reverse("indicators:list"), {"q": "familjerådgivning"}).content.decode()
    assert "Antal familjer med barn" in found and "Antal aktuella barn" not in found
    assert "Ingen indikator matchar" in client.get(reverse("indicators:list"), {"q": "zzz"}).content.decode()


def test_the_detail_shows_values_over_time_and_hides_small_counts(cast, client, placed):
    _enter(cast, placed, 33, unit=cast.social_team, period="2023")
    _enter(cast, placed, 35, unit=cast.social_team, period="2024")
    _enter(cast, placed, 3, unit=cast.social_team, period="2024", gender="K")
    sign_in(client, region_analyst(cast))  # another authority in the municipality reads the aggregates
    page = client.get(reverse("indicators:detail", args=[placed.pk])).content.decode()
    assert '<th scope="col">2023</th>' in page and '<th scope="col">2024</th>' in page
    assert ">33<" in page and ">35<" in page
    assert "färre än 5" in page and ">3<" not in page
    assert AuditEvent.objects.filter(record_type="Indicator", action="read").exists()


def test_another_municipality_does_not_see_the_values(cast, client, placed):
    _enter(cast, placed, 33, unit=cast.social_team)
    sign_in(client, other_municipality_analyst())
    page = client.get(reverse("indicators:detail", args=[placed.pk])).content.decode()
    assert "Inga värden är rapporterade" in page and ">33<" not in page


def test_the_reporting_actor_enters_and_revises_a_figure(cast, client, placed):
    analyst = social_analyst(cast)
    sign_in(client, analyst)
    url = reverse("indicators:enter", args=[placed.pk])
    form = client.get(url).content.decode()
    assert "Barn och familj" in form and "Östra skolan" not in form  # only its own authority's units
    place = f"u{cast.social_team.pk}"
    response = client.post(url, {"place": place, "period": "2024", "gender": "T", "value": "31", "note": ""})
    assert response.status_code == 302
    client.post(url, {"place": place, "period": "2024", "gender": "T", "value": "32", "note": "Rättat"})
    assert list(IndicatorValue.objects.order_by("revision").values_list("value", flat=True)) == [31, 32]
    bad = client.post(url, {"place": place, "period": "2024-HT", "gender": "T", "value": "3"})
    assert bad.status_code == 400 and "Perioden ska skrivas som 2024" in bad.content.decode()
    forged = client.post(url, {"place": f"u{cast.school.pk}", "period": "2024", "gender": "T", "value": "3"})
    assert forged.status_code == 400  # not one of the offered places
    assert IndicatorValue.objects.count() == 2


def test_the_import_page_reports_bad_rows_and_saves_nothing(cast, client):
    sign_in(client, social_analyst(cast))
    content = "indikator;kommunkod;enhet;period;värde\nN71-S08;9999;Barn och familj;2024;33\nX;9999;;2024;1\n"
    response = client.post(
        reverse("indicators:import"),
        {"kind": "table", "file": SimpleUploadedFile("bou.csv", content.encode(), content_type="text/csv")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Okänd indikator X" in page and "Inget sparades" in page
    assert not IndicatorValue.objects.exists()
    good = content.splitlines()[:2]
    response = client.post(
        reverse("indicators:import"),
        {"kind": "table", "file": SimpleUploadedFile("bou.csv", "\n".join(good).encode(), content_type="text/csv")},
    )
    assert response.status_code == 302 and IndicatorValue.objects.count() == 1


def test_the_import_page_takes_a_kolada_file_from_an_analyst(cast, client):
    sign_in(client, cast.analyst)
    point = {"kpi": "N02904", "municipality": "9999", "period": 2023, "values": [{"gender": "T", "value": 9.5}]}
    body = json.dumps({"values": [point]}).encode()
    response = client.post(
        reverse("indicators:import"),
        {"kind": "kolada", "file": SimpleUploadedFile("kolada.json", body, content_type="application/json")},
    )
    assert response.status_code == 302 and IndicatorValue.objects.get().value == Decimal("9.50")


def test_a_reporting_round_lists_who_has_not_reported(cast, client, placed):
    sign_in(client, cast.analyst)
    response = client.post(
        reverse("indicators:rounds"),
        {"year": "2024", "due_on": "2025-02-28", "municipality": str(cast.municipality.pk)},
    )
    reporting_round = ReportingRound.objects.get()
    assert response.status_code == 302
    _enter(cast, placed, 33, unit=cast.social_team)
    page = client.get(reverse("indicators:round", args=[reporting_round.pk])).content.decode()
    missing, done = page.split("Rapporterat (")
    assert "Antal aktuella barn" in missing and "Antalet barn placerade utanför hemmet" in done
    again = client.post(
        reverse("indicators:rounds"),
        {"year": "2024", "due_on": "2025-02-28", "municipality": str(cast.municipality.pk)},
    )
    assert again.status_code == 400 and "redan en rapporteringsomgång" in again.content.decode()
    sign_in(client, other_municipality_analyst())
    assert client.get(reverse("indicators:round", args=[reporting_round.pk])).status_code == 404


def test_the_calculator_shows_the_ystad_example_and_exports_it(cast, client):
    sign_in(client, cast.manager)
    page = client.get(reverse("indicators:calculator")).content.decode()
    for figure in ("541\xa0252\xa0076", "41\xa0634\xa0775", "1\xa0040\xa0869", "273\xa0888\xa0921"):
        assert figure in page
    assert "Vem betalar och vem vinner?" in page
    csv = client.get(reverse("indicators:calculator_export", args=["csv"])).content.decode("utf-8-sig")
    assert "541252076" in csv and "Arbetsförmedlingen" in csv and "8913725" in csv
    pdf = client.get(reverse("indicators:calculator_export", args=["pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", target="indicators:calculator").count() == 2


def test_the_calculator_takes_other_inputs_and_refuses_bad_ones(cast, client):
    sign_in(client, cast.analyst)
    inputs = {"cohort": "585", "rate_percent": "12.8", "years": "40"} | {
        f"cost_{key}": "100000"
        for key in (
            "arbetsformedlingen",
            "region",
            "forsakringskassan",
            "rattsvasendet",
            "kommun",
            "ovrigt",
            "produktionsvarde",
        )
    }
    page = client.get(reverse("indicators:calculator"), inputs).content.decode()
    assert "75 personer" in page  # 585 × 12,8 % = 74,88
    bad = client.get(reverse("indicators:calculator"), inputs | {"rate_percent": "120"})
    assert bad.status_code == 400

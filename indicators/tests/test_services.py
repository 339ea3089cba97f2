"""Entering figures: revisions keep the history, every change has an audit row, only the reporting actor writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from indicators import selectors, services
from indicators.models import Indicator, IndicatorValue
from indicators.tests.setup import other_municipality_analyst, region_analyst, social_analyst, via

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed():
    return Indicator.objects.get(code="N71-S08")  # Antalet barn placerade utanför hemmet (Socialtjänsten BoU)


def test_it_ships_the_nacka_and_hasselby_indicators():
    assert Indicator.objects.filter(origin__startswith="Nacka").count() == 23
    assert Indicator.objects.get(code="N71-S01").title_sv == "Antal aktuella barn"
    assert Indicator.objects.get(code="N71-S09").reporter_name == "BVC"
    assert Indicator.objects.get(code="HV-F02").title_sv == "Andel utredningar som avslutas inom 60 dagar"
    assert Indicator.objects.get(code="N71-F01").reporter_kind == Indicator.Reporter.OUTSIDE  # Familjerådgivning


def test_it_keeps_every_revision_and_reads_the_latest(cast, placed):
    analyst = social_analyst(cast)
    key = dict(indicator=placed, municipality=cast.municipality, unit=cast.social_team, period="2024")
    services.value_record(via=via(analyst), value=Decimal(31), **key)
    services.value_record(via=via(analyst), value=Decimal(33), note="Sena placeringar i december", **key)
    assert services.value_record(via=via(analyst), value=Decimal(33), **key) is None  # same figure: no revision
    rows = IndicatorValue.objects.filter(indicator=placed).order_by("revision")
    assert [(r.revision, r.value) for r in rows] == [(1, Decimal(31)), (2, Decimal(33))]
    current = selectors.current_values(municipalities=[cast.municipality]).get(indicator=placed)
    assert current.value == Decimal(33)
    assert AuditEvent.objects.filter(record_type="IndicatorValue", action="create").count() == 1
    assert AuditEvent.objects.filter(record_type="IndicatorValue", action="update").count() == 1


def test_the_current_value_of_a_whole_municipality_is_its_latest_revision(cast):
    outside = Indicator.objects.get(code="N71-F03")  # Familjerådgivning: entered by the municipality's analyst
    key = dict(indicator=outside, municipality=cast.municipality, unit=None, period="2023")
    services.value_record(via=via(cast.analyst), value=Decimal(120), **key)
    services.value_record(via=via(cast.analyst), value=Decimal(125), **key)
    current = list(selectors.current_values(municipalities=[cast.municipality]).filter(indicator=outside))
    assert [(c.revision, c.value) for c in current] == [(2, Decimal(125))]


@pytest.mark.parametrize(
    ("period", "gender", "age_band", "value", "field"),
    [
        ("24", "T", "", Decimal(3), "period"),
        ("2024-13", "T", "", Decimal(3), "period"),
        ("2024", "X", "", Decimal(3), "gender"),
        ("2024", "T", "0-5", Decimal(3), "age_band"),  # the indicator is not split by age
        ("2024", "T", "", Decimal(-1), "value"),
        ("2024", "T", "", Decimal("2.5"), "value"),  # a count is a whole number
    ],
)
def test_it_refuses_bad_figures_with_a_swedish_reason(cast, placed, period, gender, age_band, value, field):
    with pytest.raises(ValidationError) as caught:
        services.value_record(
            via=via(social_analyst(cast)),
            indicator=placed,
            municipality=cast.municipality,
            unit=cast.social_team,
            period=period,
            gender=gender,
            age_band=age_band,
            value=value,
        )
    assert field in caught.value.message_dict
    assert not IndicatorValue.objects.exists()


def test_a_share_is_at_most_a_hundred(cast):
    share = Indicator.objects.get(code="HV-F02")
    with pytest.raises(ValidationError):
        services.value_record(
            via=via(cast.analyst),
            indicator=share,
            municipality=cast.municipality,
            unit=None,
            period="2024",
            value=Decimal(101),
        )


def test_only_the_reporting_actor_enters(cast, placed):
    key = dict(indicator=placed, municipality=cast.municipality, unit=cast.social_team, period="2024", value=Decimal(4))
    refused = [region_analyst(cast), cast.social_worker, cast.outsider, cast.teacher, other_municipality_analyst()]
    for user in refused:
        with pytest.raises(PermissionError):
            services.value_record(via=via(user), **key)
    # The education authority's analyst reports for its own units, not for social services.
    with pytest.raises(PermissionError):
        services.value_record(via=via(cast.analyst), **key)
    assert services.value_record(via=via(social_analyst(cast)), **key) is not None

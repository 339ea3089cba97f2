"""The price of exclusion: the Ystad 2019 table to the krona, and the rules that hold for any input."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import calculator

PUBLISHED = {
    "arbetsformedlingen": 8_913_725,
    "region": 45_355_211,
    "forsakringskassan": 120_492_038,
    "rattsvasendet": 55_165_326,
    "kommun": 23_001_985,
    "ovrigt": 14_434_870,
    "produktionsvarde": 273_888_921,
}


def test_it_reproduces_the_ystad_table_to_the_krona():
    result = calculator.ystad()
    assert result.persons == 41  # 314 × 13 % = 40.82
    assert result.total == 541_252_076
    assert {row.key: row.amount for row in result.payers} == PUBLISHED
    assert result.per_point == 41_634_775  # 541 252 076 / 13
    assert result.per_point_per_year == 1_040_869  # 41 634 775 / 40
    # The published shares are these, rounded to whole percent.
    assert [round(row.share) for row in result.payers] == [2, 8, 22, 10, 4, 3, 51]


def test_it_names_the_largest_gainer():
    assert calculator.ystad().largest_gainer.key == "produktionsvarde"


costs = st.fixed_dictionaries(
    {key: st.decimals(min_value=0, max_value=10_000_000, places=2) for key in calculator.PAYER_KEYS}
)
rates = st.decimals(min_value=Decimal("0.5"), max_value=100, places=1)


@settings(max_examples=40, deadline=None)
@given(cohort=st.integers(0, 50_000), rate=rates, years=st.integers(1, 60), costs=costs, factor=st.integers(2, 5))
def test_it_is_linear_in_the_cohort(cohort, rate, years, costs, factor):
    one = calculator.calculate(cohort=cohort, rate_percent=rate, years=years, costs=costs, whole_persons=False)
    many = calculator.calculate(
        cohort=cohort * factor, rate_percent=rate, years=years, costs=costs, whole_persons=False
    )
    # Each of the seven payer amounts is rounded to the krona once: at most 7 × (factor + 1) / 2 kronor apart.
    assert abs(many.total - factor * one.total) <= 7 * (factor + 1) / 2


@settings(max_examples=40, deadline=None)
@given(cohort=st.integers(0, 50_000), years=st.integers(1, 60), costs=costs)
def test_it_is_zero_at_a_zero_rate(cohort, years, costs):
    result = calculator.calculate(cohort=cohort, rate_percent=Decimal(0), years=years, costs=costs)
    assert result.persons == 0 and result.total == 0
    assert all(row.amount == 0 for row in result.payers)
    assert result.per_point is None  # nothing to divide: the page shows a dash


@settings(max_examples=40, deadline=None)
@given(cohort=st.integers(1, 50_000), rate=rates, years=st.integers(1, 60), costs=costs)
def test_its_shares_sum_to_a_hundred(cohort, rate, years, costs):
    result = calculator.calculate(cohort=cohort, rate_percent=rate, years=years, costs=costs)
    if result.total:
        assert abs(sum(row.share for row in result.payers) - 100) < Decimal("0.000001")
        assert sum(row.amount for row in result.payers) == result.total


def test_it_refuses_impossible_inputs():
    for bad in ({"cohort": -1}, {"rate_percent": Decimal(101)}, {"years": 0}):
        inputs = {"cohort": 10, "rate_percent": Decimal(10), "years": 10, "costs": calculator.YSTAD_COSTS} | bad
        try:
            calculator.calculate(**inputs)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")

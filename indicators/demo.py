"""Demo indicator values: seven years of plausible yearly figures, a few revisions and one open reporting round.

The shipped indicators (Nacka appendix 7.1, Hässelby outcome indicators) get a figure per year for the
whole demo municipality, with girls and boys beside the total where the indicator is split; an indicator
reported by a kind of unit (BVC, BUP, the social services' teams …) also gets a figure per such unit, the
units' counts adding up to the municipality's. Counts are
rates per 1 000 children times the demo's own child count, so a small demo has small figures; shares
follow the Hässelby seed (about 60 % accept a granted intervention, 73 % of cases investigated more
than once). The rows are written in bulk — hundreds of them, through the same checks as the services —
and each gets the audit row the services write, in the name of the demo run.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from audit import log as audit
from indicators import services
from indicators.models import Gender, Indicator, IndicatorValue, ReportingRound
from organisations.models import Municipality, Unit
from people.models import Child

YEARS = 7  # full years of history before the current one: 2019-2025 when the demo is built in 2026
REVISIONS = 4  # corrected figures per municipality, each keeping the first figure as history
REVISION_NOTE = "Rättad siffra efter avstämning mot verksamhetssystemet."
NOT_YET_REPORTED = 0.35  # share of indicators without a figure yet in the open round

# code: (rate per 1 000 children for a count, or a share in per cent; girls' share of the total; yearly drift)
PROFILE: dict[str, tuple[float, float, float]] = {
    "N71-F01": (8.0, 0.50, 0.02),
    "N71-F02": (40.0, 0.47, 0.01),
    "N71-F03": (6.0, 0.50, 0.00),
    "N71-F04": (12.0, 0.52, 0.03),
    "N71-F05": (2.0, 0.45, 0.04),
    "N71-F06": (6.0, 0.58, 0.02),
    "N71-F07": (7.0, 0.49, 0.01),
    "N71-F08": (9.0, 0.36, 0.06),
    "N71-F09": (2.5, 0.40, 0.00),
    "N71-F10": (5.0, 0.50, 0.03),
    "N71-F11": (10.0, 0.48, 0.02),
    "N71-F12": (8.0, 0.50, 0.01),
    "N71-F13": (3.0, 0.38, 0.02),
    "N71-S01": (55.0, 0.52, 0.04),
    "N71-S02": (20.0, 0.50, 0.03),
    "N71-S03": (25.0, 0.35, 0.02),
    "N71-S04": (22.0, 0.46, 0.01),
    "N71-S05": (18.0, 0.46, 0.01),
    "N71-S06": (8.0, 0.37, 0.01),
    "N71-S07": (7.0, 0.40, 0.00),
    "N71-S08": (6.0, 0.48, -0.01),
    "N71-S09": (4.0, 0.50, 0.02),
    "N71-S10": (13.0, 0.47, 0.02),
    "HV-B01": (1.5, 0.48, 0.10),
    "HV-B02": (1.8, 0.48, 0.10),
    "HV-B03": (2.0, 0.46, 0.10),
    "HV-B04": (6.0, 0.50, 0.08),
    "HV-M01": (58.0, 0.0, 2.5),
    "HV-M02": (64.0, 0.0, 1.5),
    "HV-M03": (55.0, 0.0, 2.0),
    "HV-M04": (70.0, 0.0, 0.5),
    "HV-F01": (73.0, 0.0, -2.0),
    "HV-F02": (68.0, 0.0, 1.5),
    "HV-F03": (60.0, 0.0, 2.0),
    "HV-F04": (74.0, 0.0, 1.0),
}
DEFAULT_PROFILE = (5.0, 0.5, 0.0)  # an indicator added later without a profile of its own

# The kinds of unit that report an indicator whose reporting actor is a unit, by the name the source gives.
# The demo writes their figures per unit as well as for the whole municipality; the units' counts add up to
# the municipality's figure. A reporting actor not listed here (e.g. "Förvaltningen") reports only the whole.
UNIT_TYPES: dict[str, tuple[str, ...]] = {
    "Socialtjänsten BoU": ("social_services_team",),
    "Socialtjänsten, Hässelby-Vällingby": ("social_services_team",),
    "BVC": ("child_health_centre",),
    "BUP": ("child_psychiatry",),
    "Habiliteringscenter": ("habilitation",),
    "Familjecentralen, Välfärd samhällsservice": ("first_line",),
    "Familje- och ungdomsverksamheten, Välfärd samhällsservice": ("first_line",),
    "Ungdomsverksamheten, Välfärd samhällsservice": ("first_line", "leisure"),
    "Familjeverksamheten, Välfärd samhällsservice": ("first_line",),
    "Mini-Maria, Välfärd samhällsservice": ("first_line",),
}


def _recorded(year: int, rng: random.Random, today: date) -> datetime:
    """The figures for a year are reported in the first months of the next (the current year: lately)."""
    if year >= today.year:
        day = today - timedelta(days=rng.randint(1, 20))
    else:
        day = date(year + 1, 1, 15) + timedelta(days=rng.randint(0, 75))
    at = datetime(day.year, day.month, day.day, 9 + rng.randint(0, 7), rng.randint(0, 59), tzinfo=UTC)
    return min(at, _now())


def _now() -> datetime:
    return timezone.now() - timedelta(hours=1)


def _figures(indicator: Indicator, year_index: int, children: int, rng: random.Random) -> dict[str, Decimal]:
    """Return {gender: value} for one indicator and year: the total, and girls and boys when split."""
    level, girls, drift = PROFILE.get(indicator.code, DEFAULT_PROFILE)
    if indicator.measure == Indicator.Measure.SHARE:
        share = level + drift * year_index + rng.uniform(-2.5, 2.5)
        return {Gender.TOTAL: Decimal(f"{min(max(share, 0.0), 100.0):.1f}")}
    expected = level * children / 1000 * (1 + drift) ** year_index * rng.uniform(0.9, 1.1)
    total = max(0, round(expected))
    figures = {Gender.TOTAL: Decimal(total)}
    if indicator.by_gender:
        girls_count = min(total, max(0, round(total * rng.uniform(girls - 0.04, girls + 0.04))))
        figures[Gender.GIRLS] = Decimal(girls_count)
        figures[Gender.BOYS] = Decimal(total - girls_count)
    return figures


def _revise(indicator: Indicator, figures: dict[str, Decimal], rng: random.Random) -> dict[str, Decimal]:
    """A corrected figure: a share moves a little; a count moves its total and its boys alike, so K + M = T."""
    if indicator.measure == Indicator.Measure.SHARE:
        return {Gender.TOTAL: min(Decimal(100), figures[Gender.TOTAL] + Decimal(rng.choice([-2, -1, 1, 2])))}
    delta = Decimal(rng.choice([1, 2, 3]))
    return {gender: value + delta for gender, value in figures.items() if gender != Gender.GIRLS}


def demo_indicators_build(*, seed: int, today: date) -> dict[str, int]:
    """Fill every municipality's shipped indicators with demo figures and open this year's round; return counts."""
    via = services.Via(actor=audit.Actor(user_id=None, username="demo_data"), surface="task", target="demo_data")
    indicators = list(Indicator.objects.filter(period_type=Indicator.PeriodType.YEAR).order_by("code"))
    first_year = today.year - YEARS
    made = {"indikatorvärden": 0, "rapporteringsomgångar": 0}
    with audit.deferred():
        for municipality in Municipality.objects.order_by("code"):
            rng = random.Random(f"indicators-{seed}-{municipality.code}")  # noqa: S311 -- fictitious data
            children = Child.objects.filter(Q(is_expected=False), municipality=municipality).count()
            if not children or not indicators:
                continue
            made["indikatorvärden"] += _values(via, municipality, indicators, children, first_year, today, rng)
            made["rapporteringsomgångar"] += _rounds(via, municipality, first_year, today)
    return made


def _reporting_units(municipality: Municipality, indicator: Indicator) -> list[Unit]:
    """The municipality's units that report a unit-reported indicator (empty for every other indicator)."""
    if indicator.reporter_kind != Indicator.Reporter.UNIT:
        return []
    kinds = UNIT_TYPES.get(indicator.reporter_name, ())
    return list(Unit.objects.filter(authority__municipality=municipality, unit_type__in=kinds).order_by("pk"))


def _split(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Share a whole count among units by weight; the parts add up to the total exactly."""
    parts = [int(total * Decimal(w / sum(weights))) for w in weights]
    parts[weights.index(max(weights))] += int(total) - sum(parts)
    return [Decimal(part) for part in parts]


def _unit_figures(indicator, figures, weights: list[float], rng) -> list[dict[str, Decimal]]:
    """Each unit's figures: a count split by weight per gender (so K + M = T per unit), a share near the whole's."""
    if indicator.measure == Indicator.Measure.SHARE:
        return [
            {Gender.TOTAL: Decimal(f"{min(max(float(figures[Gender.TOTAL]) + rng.uniform(-5, 5), 0.0), 100.0):.1f}")}
            for _w in weights
        ]
    if Gender.GIRLS in figures:
        girls, boys = _split(figures[Gender.GIRLS], weights), _split(figures[Gender.BOYS], weights)
        return [{Gender.TOTAL: k + m, Gender.GIRLS: k, Gender.BOYS: m} for k, m in zip(girls, boys, strict=True)]
    return [{Gender.TOTAL: part} for part in _split(figures[Gender.TOTAL], weights)]


def _values(via, municipality, indicators, children, first_year, today, rng) -> int:
    reporting = set(rng.sample([i.code for i in indicators], round(len(indicators) * (1 - NOT_YET_REPORTED))))
    units = {indicator.pk: _reporting_units(municipality, indicator) for indicator in indicators}
    weights = {unit.pk: rng.uniform(0.5, 1.5) for unit_list in units.values() for unit in unit_list}
    rows: list[IndicatorValue] = []
    firsts: list[tuple[Indicator, int, dict[str, Decimal]]] = []  # past figures a revision may correct
    for indicator in indicators:
        for year in range(first_year, today.year + 1):
            if year == today.year and indicator.code not in reporting:
                continue  # not reported yet: the open round lists it as missing
            figures = _figures(indicator, year - first_year, children, rng)
            recorded_at = _recorded(year, rng, today)
            rows += [_row(indicator, municipality, year, g, v, 1, recorded_at) for g, v in figures.items()]
            if units[indicator.pk]:
                parts = _unit_figures(indicator, figures, [weights[unit.pk] for unit in units[indicator.pk]], rng)
                for unit, unit_figures in zip(units[indicator.pk], parts, strict=True):
                    rows += [
                        _row(indicator, municipality, year, g, v, 1, recorded_at, unit=unit)
                        for g, v in unit_figures.items()
                    ]
            if year < today.year:
                firsts.append((indicator, year, figures))
    for indicator, year, figures in rng.sample(firsts, min(REVISIONS, len(firsts))):
        recorded_at = min(_recorded(year, rng, today) + timedelta(days=120), _now() + timedelta(minutes=30))
        rows += [
            _row(indicator, municipality, year, g, v, 2, recorded_at, note=REVISION_NOTE)
            for g, v in _revise(indicator, figures, rng).items()
        ]
    for row in rows:  # the services' own checks, without a query per row
        services.check_period(row.indicator, row.period)
        services.check_split(row.indicator, row.gender, row.age_band)
        services.check_value(row.indicator, row.value)
    IndicatorValue.objects.bulk_create(rows)
    for row in rows:
        action = "update" if row.revision > 1 else "create"
        services.log(via=via, action=action, record_type="IndicatorValue", record_id=str(row.pk))
    return len(rows)


def _row(indicator, municipality, year, gender, value, revision, recorded_at, note="", unit=None) -> IndicatorValue:
    return IndicatorValue(
        indicator=indicator,
        municipality=municipality,
        unit=unit,
        period=str(year),
        gender=gender,
        age_band="",
        revision=revision,
        value=value,
        origin=IndicatorValue.Origin.ENTERED,
        note=note,
        recorded_by=None,
        recorded_at=recorded_at,
    )


def _rounds(via, municipality, first_year, today) -> int:
    """Closed rounds for the past years, and this year's open round, due at the end of January."""
    rounds = [
        ReportingRound(municipality=municipality, year=year, due_on=date(year + 1, 1, 31), closed=True)
        for year in range(first_year, today.year)
    ]
    rounds.append(ReportingRound(municipality=municipality, year=today.year, due_on=date(today.year + 1, 1, 31)))
    ReportingRound.objects.bulk_create(rounds)
    for reporting_round in rounds:
        services.log(via=via, action="create", record_type="ReportingRound", record_id=str(reporting_round.pk))
    return len(rounds)

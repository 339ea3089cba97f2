"""Pilot against baseline and control: difference-in-differences with a 95 % confidence interval.

The estimate is the regression form: y = a + b·pilot + c·after + d·(pilot × after) + e, fitted by least
squares on one observation per child (or plan), with heteroskedasticity-robust (HC2) standard errors.
In this saturated 2 × 2 design d equals the difference of the four group means,
(pilot after − pilot before) − (control after − control before), and its HC2 variance equals
Σ s²ᵍ / nᵍ over the four groups, so the database only needs each group's n, Σy and Σy²; nothing loops
over children in Python. The interval is d ± 1.96 · SE (normal approximation; with small groups it is
too narrow, which the caveats say).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Case, Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from core import disclosure
from evaluation import kpis
from evaluation.models import Pilot
from evaluation.scope import Period, Scope
from namedperson.models import Assignment

Z95 = 1.96


def _coverage_values(scope: Scope, period: Period) -> QuerySet:
    day = period.end
    current = Assignment.objects.filter(kpis._open_on(day), child=OuterRef("pk"))
    has = Case(When(Exists(current), then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    return scope.children(day).annotate(value=has)


def _coverage_counts(scope: Scope, period: Period) -> tuple[int, int]:
    return kpis.coverage_counts(scope, period.end)


def _reactualisation_values(scope: Scope, period: Period) -> QuerySet:
    return kpis.reactualised_plans(scope, period).annotate(value=Cast("again", FloatField()))


def _wellbeing_values(scope: Scope, period: Period) -> QuerySet:
    return kpis.wellbeing_changes(scope, period).annotate(value=F("change"))


@dataclass(frozen=True)
class Outcome:
    title: str
    unit: str  # "share" (0/1 per unit, shown in per cent) or "points"
    values: Callable[[Scope, Period], QuerySet]
    counts: Callable[[Scope, Period], tuple[int, int]] | None = None  # (n, ones) for a 0/1 outcome, if faster


def outcomes() -> dict[str, Outcome]:
    return {
        "reactualisation": Outcome(_("Återaktualisering inom 12 månader"), "share", _reactualisation_values),
        "coverage": Outcome(_("Barn med namngiven person"), "share", _coverage_values, _coverage_counts),
        "wellbeing_change": Outcome(_("Förändring i välbefinnandehjulet"), "points", _wellbeing_values),
    }


@dataclass(frozen=True)
class Group:
    label: str
    period: Period
    n: int
    total: float
    squares: float
    binary: bool

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def variance(self) -> float | None:
        if self.n < 2:
            return None
        return max(0.0, (self.squares - self.n * self.mean**2) / (self.n - 1))

    @property
    def hidden(self) -> bool:
        if disclosure.is_small(self.n):
            return True
        if self.binary:
            ones = round(self.total)
            return disclosure.is_small(ones) or disclosure.is_small(self.n - ones)
        return False


@dataclass(frozen=True)
class Comparison:
    pilot: Pilot
    outcome_key: str
    outcome: Outcome
    groups: dict[str, Group]  # pilot_before, pilot_after, control_before, control_after
    estimate: float | None
    low: float | None
    high: float | None

    @property
    def hidden(self) -> bool:
        return any(group.hidden or group.n < 2 for group in self.groups.values())

    def scaled(self, value: float | None) -> float | None:
        if value is None:
            return None
        return round(100 * value, 1) if self.outcome.unit == "share" else round(value, 2)


def periods(pilot: Pilot, today: date) -> tuple[Period, Period]:
    """The baseline (the months before the start) and the pilot period (from the start, up to today)."""
    after_end = min(Period(pilot.start, pilot.start).shifted_back(-pilot.months).end - timedelta(days=1), today)
    before = Period(Period(pilot.start, pilot.start).shifted_back(pilot.months).start, pilot.start - timedelta(days=1))
    return before, Period(pilot.start, max(after_end, pilot.start))


def scopes(pilot: Pilot) -> tuple[Scope, Scope]:
    base = Scope(municipality_id=pilot.municipality_id)
    control = replace(base, area=pilot.control_area) if pilot.control_area else replace(base, exclude_area=pilot.area)
    return replace(base, area=pilot.area), control


def _group(label: str, outcome: Outcome, scope: Scope, period: Period) -> Group:
    binary = outcome.unit == "share"
    if binary:  # y² = y for a 0/1 outcome: two counts give n, Σy and Σy²
        if outcome.counts is not None:
            n, ones = outcome.counts(scope, period)
        else:
            values = outcome.values(scope, period)
            n, ones = kpis.count_both(values, value=1)
        return Group(label, period, n, float(ones), float(ones), binary)
    sums = (
        outcome.values(scope, period)
        .filter(value__isnull=False)
        .aggregate(
            n=Count("pk"),
            total=Sum("value"),
            squares=Sum(ExpressionWrapper(F("value") * F("value"), output_field=FloatField())),
        )
    )
    return Group(label, period, sums["n"], float(sums["total"] or 0), float(sums["squares"] or 0), binary)


def compare(pilot: Pilot, outcome_key: str, *, today: date) -> Comparison:
    """Baseline vs pilot period, in the pilot area and the control group, with the DiD estimate."""
    outcome = outcomes()[outcome_key]
    before, after = periods(pilot, today)
    in_pilot, control = scopes(pilot)
    groups = {
        "pilot_before": _group(_("Pilotområdet före"), outcome, in_pilot, before),
        "pilot_after": _group(_("Pilotområdet under piloten"), outcome, in_pilot, after),
        "control_before": _group(_("Kontrollgruppen före"), outcome, control, before),
        "control_after": _group(_("Kontrollgruppen under piloten"), outcome, control, after),
    }
    estimate = low = high = None
    if all(group.n >= 2 for group in groups.values()):
        g = groups
        estimate = (g["pilot_after"].mean - g["pilot_before"].mean) - (
            g["control_after"].mean - g["control_before"].mean
        )
        se = math.sqrt(sum(group.variance / group.n for group in groups.values()))
        low, high = estimate - Z95 * se, estimate + Z95 * se
    return Comparison(pilot, outcome_key, outcome, groups, estimate, low, high)


def caveats() -> list[str]:
    return [
        _(
            "Skillnaden i skillnader visar hur mycket mer utfallet ändrades i pilotområdet än i kontrollgruppen. "
            "Den bygger på att båda hade utvecklats lika utan piloten; det går inte att bevisa med de här siffrorna."
        ),
        _(
            "Konfidensintervallet (95 %) visar osäkerheten av slumpen. Med få barn i en grupp är det för smalt, "
            "och det fångar inte andra förändringar som hände samtidigt i ett av områdena."
        ),
        _(
            "Barnen väljs inte slumpmässigt: områdena skiljer sig åt i befolkning och i hur noga uppgifter "
            "registreras. Perioden under piloten kan vara kortare än baslinjen fram till att piloten är slut."
        ),
        _("Grupper med för få barn visas inte, och då räknas ingen skillnad i skillnader ut."),
    ]

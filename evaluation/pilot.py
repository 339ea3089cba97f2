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


def _wellbeing_values(scope: Scope, period: Period) -> QuerySet:
    return kpis.wellbeing_changes(scope, period).annotate(value=F("change"))


def _kpi_share(key: str, label: Callable[[], str]) -> Callable[[Scope, Period], tuple[int, int]]:
    """(n, ones) of one share figure of a KPI: each child (plan, consent) behind it is 1 when counted, else 0."""

    def counts(scope: Scope, period: Period) -> tuple[int, int]:
        wanted = str(label())
        figure = next(f for f in kpis.KPIS[key](scope, period).figures if f.label == wanted)
        return figure.n, figure.count or 0

    return counts


@dataclass(frozen=True)
class Outcome:
    title: str
    unit: str  # "share" (0/1 per unit, shown in per cent) or "points"
    values: Callable[[Scope, Period], QuerySet] | None = None
    counts: Callable[[Scope, Period], tuple[int, int]] | None = None  # (n, ones) for a 0/1 outcome, if faster
    definition: str = ""


def outcomes() -> dict[str, Outcome]:
    """Every KPI as an outcome to compare: its share figure (0/1 per child, plan or consent), or a mean change."""
    return {
        "reactualisation": Outcome(
            _("Återaktualisering inom 12 månader"),
            "share",
            counts=kpis.reactualisation_counts,
            definition=_("Andel av planerna som avslutades i perioden där en ny oro eller plan kom inom ett år."),
        ),
        "coverage": Outcome(
            _("Barn med namngiven person"),
            "share",
            _coverage_values,
            _coverage_counts,
            definition=_("Andel av barnen på periodens sista dag som då hade en namngiven person."),
        ),
        "time_to_support": Outcome(
            _("Har fått stöd efter första oro"),
            "share",
            counts=_kpi_share("time_to_support", lambda: _("Har fått stöd")),
            definition=_("Andel av barnen med en första oro i perioden som har fått en första åtgärd i en plan."),
        ),
        "reviews_on_time": Outcome(
            _("Planer som följs upp i tid"),
            "share",
            counts=_kpi_share("reviews_on_time", lambda: _("Planer i tid")),
            definition=_("Andel av de pågående planerna på periodens sista dag vars uppföljningsdatum inte passerat."),
        ),
        "consents": Outcome(
            _("Lämnade samtycken"),
            "share",
            counts=_kpi_share("consents", lambda: _("Alla mottagare")),
            definition=_("Andel av samtyckena som begärdes i perioden som lämnades (varje samtycke räknas en gång)."),
        ),
        "wellbeing_change": Outcome(
            _("Förändring i välbefinnandehjulet"),
            "points",
            _wellbeing_values,
            definition=_("Medelvärdet av förändringen per plan mellan första och senaste skattningen (skala 1–5)."),
        ),
        "sdq_change": Outcome(
            _("Lägre band i SDQ (bättre)"),
            "share",
            counts=_kpi_share("sdq_change", lambda: _("Lägre band (bättre)")),
            definition=_("Andel av barnen med minst två SDQ-formulär vars senaste låg i ett lägre band än det första."),
        ),
        "referral_wait": Outcome(
            _("Remisser där insatsen har startat"),
            "share",
            counts=_kpi_share("referral_wait", lambda: _("Insatsen har startat")),
            definition=_("Andel av remisserna till insatser under perioden där insatsen har startat."),
        ),
        "handover_wait": Outcome(
            _("Accepterade överlämningar"),
            "share",
            counts=_kpi_share("handover_wait", lambda: _("Accepterade")),
            definition=_("Andel av förslagen om överlämning under perioden som mottagaren har accepterat."),
        ),
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
    """The baseline and the pilot period.

    The baseline is the chosen one, or else the planned number of months before the start. The pilot period runs
    from the start to the day the pilot was ended, or else to the end of its planned months, and never past today.
    """
    planned_end = Period(pilot.start, pilot.start).shifted_back(-pilot.months).end - timedelta(days=1)
    after_end = min(pilot.ended_on or planned_end, today)
    if pilot.baseline_start and pilot.baseline_end:
        before = Period(pilot.baseline_start, pilot.baseline_end)
    else:
        before = Period(
            Period(pilot.start, pilot.start).shifted_back(pilot.months).start, pilot.start - timedelta(days=1)
        )
    return before, Period(pilot.start, max(after_end, pilot.start))


def scopes(pilot: Pilot) -> tuple[Scope, Scope]:
    """The pilot's children (its area or units) and the control group's (the control area or units, else the rest)."""
    base = Scope(municipality_id=pilot.municipality_id)
    units = tuple(sorted(unit.pk for unit in pilot.units.all())) if pilot.pk else ()
    control_units = tuple(sorted(unit.pk for unit in pilot.control_units.all())) if pilot.pk else ()
    in_pilot = replace(base, area=pilot.area, unit_ids=units)
    if pilot.control_area or control_units:
        control = replace(base, area=pilot.control_area, unit_ids=control_units)
    else:  # everyone else: the municipality's other areas and units ("vanlig verksamhet")
        control = replace(base, exclude_area=pilot.area, exclude_unit_ids=units)
    return in_pilot, control


def _group(label: str, outcome: Outcome, scope: Scope, period: Period) -> Group:
    binary = outcome.unit == "share"
    if binary:  # y² = y for a 0/1 outcome: two counts give n, Σy and Σy²
        if outcome.counts is not None or outcome.values is None:
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

"""The socio-economic calculator: the price of exclusion per cohort and per payer (Nilsson & Wadeskog).

The method as the Ystad application (seed 003, "Socioekonomisk beskrivning") uses it:

- persons = the cohort times the exclusion rate, rounded to whole persons (314 × 13 % → 41);
- each payer's amount = persons × the payer's cost per excluded person over the years of exclusion,
  rounded to whole kronor; the total is the sum of the payers' amounts;
- one percentage point of exclusion = the total divided by the rate in percent (541 252 076 / 13);
- per year = one percentage point divided by the years of exclusion (40 years: age 25 to 65).

The per-person costs shipped as the Ystad example are the published amounts divided by 41 persons,
kept to the öre: they reproduce the published table to the krona.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

ONE = Decimal(1)
HUNDRED = Decimal(100)

# The payers in the order of the published table, with what the cost mostly is (seed 003).
PAYERS: tuple[tuple[str, object, object], ...] = (
    ("arbetsformedlingen", _("Arbetsförmedlingen"), _("Främst a-kassa")),
    ("region", _("Region (hälso- och sjukvård)"), _("Främst läkarbesök, missbruksvård, avgiftning")),
    ("forsakringskassan", _("Försäkringskassan"), _("Sjukpenning och aktivitetsersättning")),
    ("rattsvasendet", _("Rättsväsendet"), _("Polisingripande, rättegång, fängelsestraff")),
    ("kommun", _("Kommun"), _("Främst institutionsvistelse, missbruksvård")),
    ("ovrigt", _("Övrigt"), _("Kostnader i samband med brott och inkomstförluster")),
    (
        "produktionsvarde",
        _("Produktionsvärde"),
        _("Utebliven moms, kommunalskatt, regionskatt och statlig skatt på grund av uteblivet arbete"),
    ),
)
PAYER_KEYS = tuple(key for key, _label, _kind in PAYERS)

# Ystad 2019: cost per excluded person from age 25 to 65, kronor (published amount / 41).
YSTAD_COSTS: dict[str, Decimal] = {
    "arbetsformedlingen": Decimal("217407.93"),
    "region": Decimal("1106224.66"),
    "forsakringskassan": Decimal("2938830.20"),
    "rattsvasendet": Decimal("1345495.76"),
    "kommun": Decimal("561024.02"),
    "ovrigt": Decimal("352070.00"),
    "produktionsvarde": Decimal("6680217.59"),
}
YSTAD = {"cohort": 314, "rate_percent": Decimal(13), "years": 40, "costs": YSTAD_COSTS}


def kronor(value: Decimal) -> int:
    return int(value.quantize(ONE, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PayerRow:
    key: str
    label: object
    kind: object
    cost_per_person: Decimal
    amount: int  # kronor for the whole cohort
    share: Decimal  # percent of the total, two decimals (unrounded shares sum to 100)
    per_point: int  # kronor saved for each percentage point of exclusion avoided
    per_year: int  # the same, per year


@dataclass(frozen=True)
class Result:
    cohort: int
    rate_percent: Decimal
    years: int
    persons_exact: Decimal
    persons: int
    total: int
    per_point: int | None  # None when the rate is zero: nothing to divide
    per_point_per_year: int | None
    payers: list[PayerRow]

    @property
    def largest_gainer(self) -> PayerRow | None:
        rows = [row for row in self.payers if row.amount > 0]
        return max(rows, key=lambda row: row.amount) if rows else None


def calculate(
    *, cohort: int, rate_percent: Decimal, years: int, costs: dict[str, Decimal], whole_persons: bool = True
) -> Result:
    """Price the exclusion of a cohort per payer; `whole_persons=False` keeps fractional persons."""
    if cohort < 0 or years <= 0 or not (0 <= rate_percent <= 100):
        raise ValueError("cohort ≥ 0, 0 ≤ rate ≤ 100 and years > 0")
    if set(costs) != set(PAYER_KEYS) or any(cost < 0 for cost in costs.values()):
        raise ValueError("one non-negative cost per payer")
    persons_exact = Decimal(cohort) * Decimal(rate_percent) / HUNDRED
    persons = kronor(persons_exact)
    basis = Decimal(persons) if whole_persons else persons_exact
    amounts = {key: kronor(basis * Decimal(costs[key])) for key in PAYER_KEYS}
    total = sum(amounts.values())
    per_point = kronor(Decimal(total) / Decimal(rate_percent)) if rate_percent > 0 else None
    rows = []
    for key, label, kind in PAYERS:
        share = (Decimal(amounts[key]) * HUNDRED / Decimal(total)) if total else Decimal(0)
        payer_point = kronor(Decimal(amounts[key]) / Decimal(rate_percent)) if rate_percent > 0 else 0
        rows.append(
            PayerRow(
                key=key,
                label=label,
                kind=kind,
                cost_per_person=Decimal(costs[key]),
                amount=amounts[key],
                share=share,
                per_point=payer_point,
                per_year=kronor(Decimal(payer_point) / Decimal(years)),
            )
        )
    return Result(
        cohort=cohort,
        rate_percent=Decimal(rate_percent),
        years=years,
        persons_exact=persons_exact,
        persons=persons,
        total=total,
        per_point=per_point,
        per_point_per_year=kronor(Decimal(per_point) / Decimal(years)) if per_point is not None else None,
        payers=rows,
    )


def ystad() -> Result:
    return calculate(**YSTAD)

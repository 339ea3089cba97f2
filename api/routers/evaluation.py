"""Follow-up figures: KPIs from Samplan's own records and pilot comparisons, aggregates only, suppressed.

No child is ever returned. Managers and analysts see their own municipalities' figures; everyone else gets
the same 404 as for a municipality or pilot that does not exist. Counts below the disclosure threshold
are null, with complementary suppression in tables with totals (core.disclosure).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from api.access import rule
from api.auth import actor
from api.schemas import Error, Invalid
from audit import log as audit
from core.access import AUTHENTICATED
from evaluation import access, present
from evaluation.kpis import KPIS
from evaluation.models import Pilot
from evaluation.pilot import compare
from evaluation.scope import Period, Scope
from sharing import policy

router = Router(tags=["Uppföljning"])


class FigureOut(Schema):
    label: str
    value: float | None = Field(description="Null när siffran döljs (för få bakom den).")
    unit: str = Field(description="share (procent), days, points eller count.")
    n: int | None = Field(description="Antal bakom siffran; null när antalet är under gränsen.")
    suppressed: bool


class TableRowOut(Schema):
    label: str
    cells: list[int | None]
    total: int | None


class TableOut(Schema):
    columns: list[str]
    rows: list[TableRowOut]
    column_totals: list[int | None]
    total: int | None


class KpiOut(Schema):
    key: str
    title: str
    definition: str
    figures: list[FigureOut]
    table: TableOut | None
    rule: str = Field(description="Regeln för små antal, i klartext.")


class GroupOut(Schema):
    key: str
    label: str
    start: date
    end: date
    n: int | None
    mean: float | None
    suppressed: bool


class ComparisonOut(Schema):
    pilot: str
    outcome: str
    outcome_title: str
    unit: str = Field(description="percentage_points eller points.")
    groups: list[GroupOut]
    difference_in_differences: float | None
    ci95_low: float | None
    ci95_high: float | None
    method: str
    rule: str


class KpiFilters(Schema):
    start: date | None = None
    end: date | None = None
    area: str = Field("", max_length=100, pattern=r"^[^\x00-\x1f]*$", description="Område, tomt för hela kommunen.")
    age_band: Literal["", "0-5", "6-12", "13-17"] = ""
    gender: Literal["", "K", "M"] = ""


def _record(request: HttpRequest, target: str, record_type: str, record_id: int) -> None:
    audit.record(
        actor=actor(request),
        action="read",
        surface="api",
        target=target,
        basis=policy.Basis.FOLLOW_UP,
        record_type=record_type,
        record_id=str(record_id),
    )


@router.get(
    "/evaluation/municipalities/{int:municipality_id}/kpis",
    response={200: list[KpiOut], 400: Error, 401: Error, 404: Error, 422: Invalid},
    summary="Nyckeltal för en kommun",
    description="Nyckeltalen ur Samplans egna uppgifter för perioden och urvalet, med små antal dolda.",
)
@rule(AUTHENTICATED)
def municipality_kpis(request: HttpRequest, municipality_id: int, filters: Query[KpiFilters]):
    municipality = access.municipality_for(request.auth, municipality_id)
    default = Period.last_year(policy.today())
    period = Period(filters.start or default.start, filters.end or default.end)
    if period.start > period.end:
        return 400, {"detail": _("Startdatumet måste vara före slutdatumet. Ändra datumen och försök igen.")}
    scope = replace(
        Scope(municipality_id=municipality.pk), area=filters.area, age_band=filters.age_band, gender=filters.gender
    )
    with transaction.atomic():
        results = [present.result_dict(kpi(scope, period)) for kpi in KPIS.values()]
        _record(request, "api:evaluation_kpis", "Municipality", municipality.pk)
    return results


@router.get(
    "/evaluation/pilots/{int:pilot_id}/comparison",
    response={200: ComparisonOut, 401: Error, 404: Error, 422: Invalid},
    summary="Pilotens jämförelse",
    description="Baslinje, pilotperiod och kontrollgrupp, med skillnad i skillnader och 95 % konfidensintervall.",
)
@rule(AUTHENTICATED)
def pilot_comparison(
    request: HttpRequest,
    pilot_id: int,
    outcome: Literal[
        "reactualisation",
        "coverage",
        "time_to_support",
        "reviews_on_time",
        "consents",
        "wellbeing_change",
        "sdq_change",
        "referral_wait",
        "handover_wait",
    ] = "reactualisation",
):
    pilot = Pilot.objects.filter(pk=pilot_id, municipality__in=access.municipalities_for(request.auth)).first()
    if pilot is None:
        raise Http404
    with transaction.atomic():
        data = present.comparison_dict(compare(pilot, outcome, today=policy.today()))
        _record(request, "api:evaluation_pilot", "Pilot", pilot.pk)
    return data

"""Indicators: the registry, current values (small counts hidden), entering a figure and the calculator.

No child data: the rule is `authenticated`. Reading is for analysts, managers and administrators
(indicators.selectors.may_read), scoped to their municipalities; writing for the reporting actor
(indicators.selectors.may_enter). Anyone else gets 403 with the same text as the pages.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, parse_body
from api.schemas import Error, Id, Invalid, page_limit, page_offset
from core.access import AUTHENTICATED
from indicators import calculator, present, selectors, services
from indicators.models import Indicator
from indicators.views import READERS_ONLY, REPORTERS_ONLY
from organisations.models import Municipality, Unit

SURFACE = "api"
INVALID_BODY = _("Begäran innehåller ogiltiga värden. Rätta fälten som anges i errors och försök igen.")
NOT_YOURS = _("Du rapporterar inte för den enheten eller kommunen.")

router = Router(tags=["Indikatorer"])


class IndicatorOut(Schema):
    id: int
    code: str
    title_sv: str
    title_en: str
    definition: str
    reporter: str = Field(description="Aktören som rapporterar, som källan namnger den.")
    reporter_kind: str = Field(description="unit, authority eller outside (organisation utanför Samplan).")
    level: str = Field(description="first_line, specialised eller none.")
    measure: str = Field(description="count, share eller kr.")
    period_type: str = Field(description="year, term eller month.")
    by_gender: bool
    by_age: bool
    source: str = Field(description="entered, imported, computed eller kolada.")


class ValueOut(Schema):
    municipality_code: str
    unit_id: int | None = Field(description="Enheten, eller null för hela kommunen.")
    unit: str
    period: str
    gender: str = Field(description="T (totalt), K (flickor) eller M (pojkar).")
    age_band: str
    value: Decimal | None = Field(description="Värdet; null när ett litet antal barn döljs (se shown).")
    shown: str = Field(description="Värdet som sidorna visar, t.ex. ”färre än 5”.")
    revision: int = Field(description="1 för första värdet; högre när värdet har ändrats.")


class ValueIn(Schema):
    municipality_code: str = Field(pattern=r"^\d{4}$", description="Kommunkod, fyra siffror.")
    unit_id: Id | None = Field(None, description="Enheten, eller utelämnad för hela kommunen.")
    period: str = Field(max_length=7, description="2024, 2024-VT/2024-HT eller 2024-03 efter indikatorns periodtyp.")
    gender: str = Field("T", description="T, K eller M.")
    age_band: str = Field("", max_length=10)
    value: Decimal = Field(ge=0, le=Decimal("99999999999999.99"), decimal_places=2)
    note: str = Field("", max_length=300)


class CostsIn(Schema):
    arbetsformedlingen: Decimal = Field(ge=0, le=10_000_000_000)
    region: Decimal = Field(ge=0, le=10_000_000_000)
    forsakringskassan: Decimal = Field(ge=0, le=10_000_000_000)
    rattsvasendet: Decimal = Field(ge=0, le=10_000_000_000)
    kommun: Decimal = Field(ge=0, le=10_000_000_000)
    ovrigt: Decimal = Field(ge=0, le=10_000_000_000)
    produktionsvarde: Decimal = Field(ge=0, le=10_000_000_000)


class CalculationIn(Schema):
    cohort: int = Field(ge=0, le=10_000_000, description="Årskullens storlek.")
    rate_percent: Decimal = Field(ge=0, le=100, description="Andel i utanförskap, procent.")
    years: int = Field(ge=1, le=80, description="År i utanförskap (Ystad: 40).")
    costs: CostsIn = Field(description="Kostnad per person i utanförskap under hela perioden, kronor, per aktör.")


class PayerOut(Schema):
    payer: str
    amount: int
    share_percent: Decimal
    per_point: int
    per_point_per_year: int


class CalculationOut(Schema):
    persons: int
    total: int
    per_point: int | None = Field(description="Vinst per procentenhet mindre utanförskap; null vid andel 0.")
    per_point_per_year: int | None
    payers: list[PayerOut]


def _indicator_out(i: Indicator) -> dict:
    return {
        "id": i.pk,
        "code": i.code,
        "title_sv": i.title_sv,
        "title_en": i.title_en,
        "definition": i.definition,
        "reporter": i.reporter_name,
        "reporter_kind": i.reporter_kind,
        "level": i.level,
        "measure": i.measure,
        "period_type": i.period_type,
        "by_gender": i.by_gender,
        "by_age": i.by_age,
        "source": i.source,
    }


def _value_out(v) -> dict:
    hidden = present.suppressed(v.indicator, v.value)
    return {
        "municipality_code": v.municipality.code,
        "unit_id": v.unit_id,
        "unit": v.unit.name if v.unit else "",
        "period": v.period,
        "gender": v.gender,
        "age_band": v.age_band,
        "value": None if hidden else v.value,
        "shown": present.shown(v.indicator, v.value),
        "revision": v.revision,
    }


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], 401: Error, 403: Error, 422: Invalid},
    summary="Indikatorregistret",
    description="Analytiker, chefer och administratörer.",
)
@rule(AUTHENTICATED)
def indicator_list(request: HttpRequest, q: str = "", limit: int = page_limit(100, 500), offset: int = page_offset()):
    if not selectors.may_read(request.auth):
        return Status(403, {"detail": str(READERS_ONLY)})
    return [_indicator_out(i) for i in selectors.indicators(search=q[:100])[offset : offset + limit]]


@router.get(
    "/indicators/{int:indicator_id}/values",
    response={200: list[ValueOut], 401: Error, 403: Error, 404: Error},
    summary="Indikatorns aktuella värden i dina kommuner",
    description="Senaste versionen av varje värde. Antal barn under tröskeln skickas aldrig: value är då null.",
)
@rule(AUTHENTICATED)
def value_list(request: HttpRequest, indicator_id: int):
    user = request.auth
    if not selectors.may_read(user):
        return Status(403, {"detail": str(READERS_ONLY)})
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    values = selectors.current_values(municipalities=selectors.municipalities_for(user)).filter(indicator=indicator)
    with transaction.atomic():
        via = services.Via(actor=actor(request), surface=SURFACE, target="api:indicator_values", user=user)
        services.log(via=via, action="read", record_type="Indicator", record_id=str(indicator.pk))
    return [_value_out(v) for v in values]


@router.post(
    "/indicators/{int:indicator_id}/values",
    response={201: ValueOut, 200: ValueOut, 401: Error, 403: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(ValueIn),
    summary="Rapportera ett värde",
    description="Den rapporterande aktören. Ett ändrat värde blir en ny version (201); samma värde igen ändrar "
    "inget (200).",
)
@rule(AUTHENTICATED)
def value_create(request: HttpRequest, indicator_id: int):
    user = request.auth
    if not (selectors.reportable_units(user).exists() or selectors.reportable_municipalities(user).exists()):
        return Status(403, {"detail": str(REPORTERS_ONLY)})
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    payload, refused = parse_body(ValueIn, request, detail=str(INVALID_BODY))
    if refused is not None:
        return refused
    municipality = Municipality.objects.filter(code=payload.municipality_code).first()
    unit = Unit.objects.filter(pk=payload.unit_id).select_related("authority").first() if payload.unit_id else None
    if municipality is None or (payload.unit_id and unit is None):
        return Status(403, {"detail": str(NOT_YOURS)})
    via = services.Via(actor=actor(request), surface=SURFACE, target="api:indicator_value_create", user=user)
    try:
        row = services.value_record(
            via=via,
            indicator=indicator,
            municipality=municipality,
            unit=unit,
            period=payload.period,
            gender=payload.gender,
            age_band=payload.age_band,
            value=payload.value,
            note=payload.note,
        )
    except PermissionError:
        return Status(403, {"detail": str(NOT_YOURS)})
    except ValidationError as exc:
        errors = [
            {"loc": ["body", "payload", name], "msg": message, "type": "value_error"}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
        return Status(422, {"detail": str(INVALID_BODY), "errors": errors})
    if row is None:
        row = selectors.latest(
            indicator=indicator,
            municipality=municipality,
            unit=unit,
            period=payload.period,
            gender=payload.gender,
            age_band=payload.age_band,
        )
        return Status(200, _value_out(row))
    return Status(201, _value_out(row))


@router.post(
    "/calculator",
    response={200: CalculationOut, 401: Error, 403: Error, 422: Invalid},
    openapi_extra=body_schema(CalculationIn),
    summary="Utanförskapets pris",
    description="Personer, summa, belopp och andel per aktör, vinst per procentenhet och per år (Nilsson och "
    "Wadeskogs metod som i Ystads ansökan). Sparar ingenting.",
)
@rule(AUTHENTICATED)
def calculation(request: HttpRequest):
    if not selectors.may_read(request.auth):
        return Status(403, {"detail": str(READERS_ONLY)})
    payload, refused = parse_body(CalculationIn, request, detail=str(INVALID_BODY))
    if refused is not None:
        return refused
    result = calculator.calculate(
        cohort=payload.cohort,
        rate_percent=payload.rate_percent,
        years=payload.years,
        costs=payload.costs.model_dump(),
    )
    return {
        "persons": result.persons,
        "total": result.total,
        "per_point": result.per_point,
        "per_point_per_year": result.per_point_per_year,
        "payers": [
            {
                "payer": str(row.label),
                "amount": row.amount,
                "share_percent": row.share.quantize(Decimal("0.01")),
                "per_point": row.per_point,
                "per_point_per_year": row.per_year,
            }
            for row in result.payers
        ],
    }

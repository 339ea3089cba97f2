"""The practice model over the API: chronology entries, wellbeing assessments and instrument scores.

Every operation loads the child through the policy first; bodies are read afterwards (api.body),
so a user without a relation to the child gets 404 whatever they send.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, invalid, parse_body
from api.schemas import Error, Id, Invalid
from core.access import CHILD_DATA
from sharing import policy
from sharing.display import Display, display_for
from wellbeing import selectors, services
from wellbeing.labels import Wording, wording_for
from wellbeing.models import Assessment, ChronologyEntry, InstrumentResponse

SURFACE = "api"
router = Router(tags=["Välbefinnande"])
NO_ENTRY = _("Posten som ska rättas finns inte, eller syns inte för dig. Kontrollera id:t.")
NO_INSTRUMENT = _("Okänt instrument eller version. Välj ett av instrumenten som finns i Samplan.")


class EntryIn(Schema):
    kind: Literal["concern", "strength", "event"] = Field(description="Oro, styrka eller betydelsefull händelse.")
    start_date: date
    end_date: date | None = None
    what_happened: str = Field(max_length=10000, description="Sakligt och med vanliga ord; familjen kan läsa det.")
    source: str = Field(max_length=300)
    indicators: list[str] = Field(default_factory=list, description="Indikatorkoder: safe, healthy, achieving …")
    impact: Literal["positive", "negative", "neutral"]
    action_taken: str = Field(default="", max_length=10000)
    corrects_id: Id | None = Field(default=None, description="Posten som rättas (din myndighets egen).")


class EntryOut(Schema):
    id: int
    kind: str
    start_date: date
    end_date: date | None
    what_happened: str
    source: str
    indicators: list[str]
    indicator_labels: list[str] = Field(description="Indikatorernas namn i barnets kommuns benämningar.")
    impact: str
    action_taken: str
    owner_authority: str
    author_unit: str | None = Field(None, description="Null när enheten skulle röja var ett skyddat barn finns.")
    created_at: datetime
    corrects_id: int | None


class RatingIO(Schema):
    indicator: str
    score: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=500)


class RatingOut(RatingIO):
    label: str = Field(description="Indikatorns namn i barnets kommuns benämningar; koden är det som lagras.")


class WheelIn(Schema):
    rater_kind: Literal["practitioner", "child"] = Field(
        description="child: barnets egna svar, registrerade av dig när du satt med barnet."
    )
    assessed_on: date
    ratings: list[RatingIO]
    note: str = Field(default="", max_length=5000)


class AssessmentOut(Schema):
    id: int
    kind: str
    rater_kind: str
    assessed_on: date
    owner_authority: str
    note: str
    ratings: list[RatingOut]


class ScoreOut(Schema):
    subscale: str
    score: int
    band: str | None
    band_certain: bool | None


class ResponseIn(Schema):
    instrument: str = Field(description="Instrumentkod, t.ex. sdq.")
    version: str = Field(description="Instrumentversion, t.ex. uk-3band-per-informant-2025.")
    respondent: str = Field(description="Vem fyllde i: parent, teacher eller self; tolkningen följer formuläret.")
    completed_on: date
    scores: dict[str, int] = Field(description="Poäng per delskala från det officiella formuläret.")


class ResponseOut(Schema):
    id: int
    instrument: str
    version: str
    respondent: str
    completed_on: date
    owner_authority: str
    total: int | None
    total_band: str | None
    total_band_certain: bool | None = Field(description="false: gränsvärdet är inte bekräftat.")
    bands_informant: str | None = Field(description="Vems gränsvärden tolkningen följer: parent, teacher, self.")
    scores: list[ScoreOut]


def _entry_out(entry: ChronologyEntry, wording: Wording, display: Display) -> dict:
    codes = [row.indicator for row in entry.indicators.all()]
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "what_happened": entry.what_happened,
        "source": entry.source,
        "indicators": codes,
        "indicator_labels": wording.labels(codes),
        "impact": entry.impact,
        "action_taken": entry.action_taken,
        "owner_authority": entry.owner_authority.name,
        "author_unit": display.unit(entry.author_unit_id, entry.author_unit.name),
        "created_at": entry.created_at,
        "corrects_id": entry.corrects_id,
    }


def _assessment_out(assessment: Assessment, wording: Wording) -> dict:
    return {
        "id": assessment.pk,
        "kind": assessment.kind,
        "rater_kind": assessment.rater_kind,
        "assessed_on": assessment.assessed_on,
        "owner_authority": assessment.owner_authority.name,
        "note": assessment.note,
        "ratings": [
            {"indicator": r.indicator, "label": wording.label(r.indicator), "score": r.score, "comment": r.comment}
            for r in assessment.ratings.all()
        ],
    }


def _response_out(response: InstrumentResponse) -> dict:
    return {
        "id": response.pk,
        "instrument": response.instrument.code,
        "version": response.instrument.version,
        "respondent": response.respondent,
        "completed_on": response.completed_on,
        "owner_authority": response.owner_authority.name,
        "total": response.total,
        "total_band": response.total_band.level if response.total_band else None,
        "total_band_certain": response.total_band.certain if response.total_band else None,
        "bands_informant": response.total_band.informant if response.total_band else None,
        "scores": [
            {
                "subscale": s.subscale.code,
                "score": s.score,
                "band": s.band.level if s.band else None,
                "band_certain": s.band.certain if s.band else None,
            }
            for s in response.scores.all()
        ],
    }


def _open(request: HttpRequest, child_id: UUID, target: str):
    who = actor(request)
    access = policy.child_for_user(request.auth, child_id, actor=who, surface=SURFACE, target=target)
    return access, services.Via(actor=who, surface=SURFACE, target=target, basis=access.basis)


def _logged(rows, access, via) -> list:
    rows = list(rows)
    policy.log_shared_reads(rows, actor=via.actor, surface=SURFACE, target=via.target, access=access)
    return rows


@router.get(
    "/children/{uuid:child_id}/chronology",
    response={200: list[EntryOut], 401: Error, 404: Error, 422: Invalid},
    url_name="child_chronology",
    summary="Barnets kronologi",
    description="Alla poster du får se, från alla myndigheter, i datumordning. Filtrera med indicator, "
    "authority_id, date_from och date_to.",
)
@rule(CHILD_DATA)
def chronology_list(
    request: HttpRequest,
    child_id: UUID,
    indicator: str = "",
    authority_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    access, via = _open(request, child_id, "api:child_chronology")
    filters = selectors.ChronologyFilter(indicator, authority_id, date_from, date_to)
    wording = wording_for(access.child.municipality_id)
    shown = display_for(access)
    return [_entry_out(e, wording, shown) for e in _logged(selectors.chronology_for(access, filters), access, via)]


@router.post(
    "/children/{uuid:child_id}/chronology",
    response={201: EntryOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(EntryIn),
    url_name="child_chronology_create",
    summary="Ny post i kronologin",
    description="Poster kan inte ändras eller tas bort. Ange corrects_id för att rätta en post; båda visas.",
)
@rule(CHILD_DATA)
def chronology_create(request: HttpRequest, child_id: UUID):
    access, via = _open(request, child_id, "api:child_chronology_create")
    payload, refused = parse_body(EntryIn, request)
    if refused is not None:
        return refused
    corrects = None
    if payload.corrects_id is not None:
        corrects = selectors.chronology_for(access).filter(pk=payload.corrects_id).first()
        if corrects is None:
            return invalid(ValidationError({"corrects_id": [NO_ENTRY]}))
    data = payload.model_dump(exclude={"corrects_id"})
    try:
        entry = services.chronology_entry_create(access=access, author=request.auth, corrects=corrects, via=via, **data)
    except ValidationError as exc:
        return invalid(exc)
    wording = wording_for(access.child.municipality_id)
    entry = selectors.chronology_for(access).get(pk=entry.pk)
    return Status(201, _entry_out(entry, wording, display_for(access)))


@router.get(
    "/children/{uuid:child_id}/assessments",
    response={200: list[AssessmentOut], 401: Error, 404: Error},
    url_name="child_assessments",
    summary="Barnets bedömningar i välbefinnandehjulet",
    description="Bedömningar du får se, nyast först.",
)
@rule(CHILD_DATA)
def assessment_list(request: HttpRequest, child_id: UUID):
    access, via = _open(request, child_id, "api:child_assessments")
    rows = selectors.assessments_for(access, Assessment.Kind.WHEEL)
    wording = wording_for(access.child.municipality_id)
    return [_assessment_out(a, wording) for a in _logged(rows, access, via)]


@router.post(
    "/children/{uuid:child_id}/assessments",
    response={201: AssessmentOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(WheelIn),
    url_name="child_assessments_create",
    summary="Ny bedömning i välbefinnandehjulet",
)
@rule(CHILD_DATA)
def assessment_create(request: HttpRequest, child_id: UUID):
    access, via = _open(request, child_id, "api:child_assessments_create")
    payload, refused = parse_body(WheelIn, request)
    if refused is not None:
        return refused
    ratings = {r.indicator: (r.score, r.comment) for r in payload.ratings}
    try:
        assessment = services.wheel_assessment_record(
            child=access.child,
            owner=services.author_for(request.auth),
            rater_kind=payload.rater_kind,
            rated_by=request.auth,
            assessed_on=payload.assessed_on,
            ratings=ratings,
            note=payload.note,
            via=via,
        )
    except ValidationError as exc:
        return invalid(exc)
    wording = wording_for(access.child.municipality_id)
    return Status(201, _assessment_out(selectors.assessments_for(access).get(pk=assessment.pk), wording))


@router.get(
    "/children/{uuid:child_id}/instrument-responses",
    response={200: list[ResponseOut], 401: Error, 404: Error},
    url_name="child_instrument_responses",
    summary="Barnets resultat på bedömningsinstrument",
)
@rule(CHILD_DATA)
def response_list(request: HttpRequest, child_id: UUID):
    access, via = _open(request, child_id, "api:child_instrument_responses")
    return [_response_out(r) for r in _logged(selectors.instrument_responses_for(access), access, via)]


@router.post(
    "/children/{uuid:child_id}/instrument-responses",
    response={201: ResponseOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(ResponseIn),
    url_name="child_instrument_responses_create",
    summary="Registrera poäng från ett instrument",
    description="Bara delskalornas poäng från det officiella formuläret; totalpoäng och tolkning räknas ut.",
)
@rule(CHILD_DATA)
def response_create(request: HttpRequest, child_id: UUID):
    access, via = _open(request, child_id, "api:child_instrument_responses_create")
    payload, refused = parse_body(ResponseIn, request)
    if refused is not None:
        return refused
    instrument = selectors.active_instruments().filter(code=payload.instrument, version=payload.version).first()
    if instrument is None:
        return invalid(ValidationError({"instrument": [NO_INSTRUMENT]}))
    try:
        response = services.instrument_response_record(
            access=access,
            instrument=instrument,
            respondent=payload.respondent,
            completed_on=payload.completed_on,
            scores=payload.scores,
            recorded_by=request.auth,
            via=via,
        )
    except ValidationError as exc:
        return invalid(exc)
    return Status(201, _response_out(selectors.instrument_responses_for(access).get(pk=response.pk)))

"""Referrals, requests for support and the intake over the API, under the same policy and audit as the pages.

The child's referrals and requests load the child through `policy.child_for_user` and the records
through `records_for_user`; the provider's queue and the intake read only `policy.referrals_for_provider`
and `policy.requests_for_intake`, each row logged, a protected child's name left out (null). A stranger
gets the same 404 as for a missing child or record.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, invalid, parse_body
from api.schemas import Error, Invalid
from catalogue import intake, referrals, selectors
from catalogue.models import Colour, Referral, SupportRequest
from core.access import CHILD_DATA
from plans import selectors as plan_selectors
from plans import services as plan_services
from sharing import policy
from sharing.display import listed_name
from teams.models import Team
from wellbeing.services import Via

SURFACE = "api"
CHILD_REFERRALS = "child_referrals"
QUEUE = "referral_queue"
QUEUE_STATUS = "referral_status"
CHILD_REQUESTS = "child_support_requests"
INTAKE = "intake_requests"
TRIAGE = "intake_triage"
ROUTE = "intake_route"

router = Router(tags=["Remisser och mottagning"])


class ReferralOut(Schema):
    id: int
    child_name: str | None = Field(description="Barnets namn; null när namnet är skyddat.")
    intervention: str = Field(description="Insatsens namn.")
    provider: str = Field(description="Utföraren.")
    status: str = Field(
        description="requested, accepted, waiting, started, completed, declined_family, "
        "declined_provider eller withdrawn."
    )
    reason: str
    status_note: str
    requested_on: date
    accepted_on: date | None
    started_on: date | None
    closed_on: date | None
    waiting_days: int | None = Field(description="Dagar från remiss till start; medan den väntar, dagar hittills.")
    plan_action_id: int | None = Field(description="Åtgärden i barnets plan som remissen gjordes som, om någon.")


class ReferralIn(Schema):
    intervention_id: int = Field(description="Insatsens id i katalogen (i barnets kommun).")
    reason: str = Field(min_length=1, max_length=4000, description="Skälet till remissen.")
    in_plan: bool = Field(False, description="Lägg remissen som en åtgärd i barnets öppna plan (om du får ändra den).")


class StatusIn(Schema):
    status: str = Field(description="Den nya statusen.")
    note: str = Field("", max_length=2000, description="Varför (krävs när remissen avböjs eller återkallas).")


class RequestOut(Schema):
    id: int
    child_name: str | None = Field(description="Barnets namn; null när namnet är skyddat.")
    intake_unit: str
    source: str = Field(description="practitioner, guardian eller child.")
    concern: str
    status: str = Field(description="received, triaged, routed eller supported.")
    received_at: datetime
    colour: str = Field(description="blue, green, orange, red eller tom.")
    triage_reason: str
    route: str = Field(description="provider, team, plan eller tom.")
    referral_id: int | None
    first_support_on: date | None
    days_to_support: int | None


class RequestIn(Schema):
    intake_unit_id: int = Field(description="Mottagningens enhet (en enhet med rollen mottagning i barnets kommun).")
    concern: str = Field(min_length=1, max_length=4000, description="Vad det gäller.")


class TriageIn(Schema):
    colour: str = Field(pattern=f"^({'|'.join(Colour.values)})$", description="blue, green, orange eller red.")
    reason: str = Field(min_length=1, max_length=4000, description="Skälet till bedömningen.")


class RouteIn(Schema):
    route: str = Field(pattern="^(provider|team|plan)$", description="provider, team eller plan.")
    intervention_id: int | None = Field(None, description="Insatsen, när begäran går till en utförare.")
    team_id: int | None = Field(None, description="Teamet, när begäran går till ett team.")


def _referral(row: Referral, *, name: str | None, today: date) -> dict:
    return {
        "id": row.pk,
        "child_name": name,
        "intervention": row.intervention.name,
        "provider": row.intervention.provider.name,
        "status": row.status,
        "reason": row.reason,
        "status_note": row.status_note,
        "requested_on": row.requested_on,
        "accepted_on": row.accepted_on,
        "started_on": row.started_on,
        "closed_on": row.closed_on,
        "waiting_days": row.waiting_days(today),
        "plan_action_id": row.plan_action_id,
    }


def _request(row: SupportRequest, *, name: str | None) -> dict:
    return {
        "id": row.pk,
        "child_name": name,
        "intake_unit": row.intake_unit.name,
        "source": row.source,
        "concern": row.concern,
        "status": row.status,
        "received_at": row.received_at,
        "colour": row.colour,
        "triage_reason": row.triage_reason,
        "route": row.route,
        "referral_id": row.referral_id,
        "first_support_on": row.first_support_on,
        "days_to_support": row.days_to_support(),
    }


def _child(request: HttpRequest, child_id: UUID, target: str):
    who = actor(request)
    access = policy.child_for_user(request.auth, child_id, actor=who, surface=SURFACE, target=target)
    return who, access


@router.get(
    "/children/{uuid:child_id}/referrals",
    response={200: list[ReferralOut], 401: Error, 404: Error},
    url_name=CHILD_REFERRALS,
    summary="Barnets remisser",
    description="Remisserna som du får se: din myndighets, eller en annan myndighets med familjens samtycke.",
)
@rule(CHILD_DATA)
def child_referrals(request: HttpRequest, child_id: UUID):
    who, access = _child(request, child_id, f"api:{CHILD_REFERRALS}")
    rows = list(referrals.referrals_for(access))
    policy.log_shared_reads(rows, actor=who, surface=SURFACE, target=f"api:{CHILD_REFERRALS}", access=access)
    name = listed_name(access.child, shown=True)
    return [_referral(row, name=name, today=access.on) for row in rows]


@router.post(
    "/children/{uuid:child_id}/referrals",
    response={201: ReferralOut, 401: Error, 403: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(ReferralIn),
    url_name=CHILD_REFERRALS,
    summary="Remittera barnet till en insats",
    description="Med in_plan blir remissen samtidigt en åtgärd i barnets öppna plan, om du får ändra planen.",
)
@rule(CHILD_DATA)
def child_referral_create(request: HttpRequest, child_id: UUID):
    target = "api:referral_create"
    who, access = _child(request, child_id, target)
    payload, refused = parse_body(ReferralIn, request)
    if refused is not None:
        return refused
    intervention = (
        selectors.interventions_for(request.auth)
        .filter(pk=payload.intervention_id, provider__municipality=access.child.municipality_id)
        .first()
    )
    if intervention is None:
        return invalid(ValidationError({"intervention_id": [referrals.OTHER_MUNICIPALITY]}))
    plan = None
    if payload.in_plan:
        plan = referrals.open_plan_to_edit(access, plan_selectors.plans_for(access))
        if plan is None:
            return Status(403, {"detail": str(referrals.PLAN_LOCKED)})
    try:
        row = referrals.referral_make(
            access=access,
            user=request.auth,
            intervention=intervention,
            reason=payload.reason,
            plan=plan,
            via=Via(actor=who, surface=SURFACE, target=target, basis=access.basis),
        )
    except PermissionDenied:
        return Status(403, {"detail": str(referrals.PLAN_LOCKED)})
    except ValidationError as exc:
        return invalid(exc)
    return Status(201, _referral(row, name=listed_name(access.child, shown=True), today=access.on))


@router.get(
    "/referrals/queue",
    response={200: list[ReferralOut], 401: Error},
    url_name=QUEUE,
    summary="Remisser till din enhet",
    description="Utförarens kö: remisserna till insatserna vid enheterna där du arbetar med barn.",
)
@rule(CHILD_DATA)
def referral_queue(request: HttpRequest):
    rows = list(policy.referrals_for_provider(request.auth))
    policy.log_provider_reads(rows, actor=actor(request), surface=SURFACE, target=f"api:{QUEUE}")
    today = policy.today()
    return [_referral(row, name=listed_name(row.child), today=today) for row in rows]


@router.post(
    "/referrals/{int:referral_id}/status",
    response={200: ReferralOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(StatusIn),
    url_name=QUEUE_STATUS,
    summary="För en remiss i kön vidare",
    description="Antagen, väntar, påbörjad, avslutad eller avböjd av utföraren (med skäl), från där den står.",
)
@rule(CHILD_DATA)
def referral_status(request: HttpRequest, referral_id: int):
    target = f"api:{QUEUE_STATUS}"
    who = actor(request)
    row = policy.referral_for_provider(request.auth, referral_id, actor=who, surface=SURFACE, target=target)
    payload, refused = parse_body(StatusIn, request)
    if refused is not None:
        return refused
    try:
        referrals.referral_move_by_provider(
            referral=row, status=payload.status, note=payload.note, actor=who, target=target, surface=SURFACE
        )
    except ValidationError as exc:
        return invalid(exc)
    return _referral(row, name=listed_name(row.child), today=policy.today())


@router.post(
    "/children/{uuid:child_id}/support-requests",
    response={201: RequestOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(RequestIn),
    url_name=CHILD_REQUESTS,
    summary="Be mottagningen om stöd för barnet",
    description="En begäran till en mottagning i barnets kommun; den blir din myndighets uppgift om barnet.",
)
@rule(CHILD_DATA)
def child_request_create(request: HttpRequest, child_id: UUID):
    target = f"api:{CHILD_REQUESTS}"
    who, access = _child(request, child_id, target)
    payload, refused = parse_body(RequestIn, request)
    if refused is not None:
        return refused
    unit = intake.intake_units(access.child.municipality_id).filter(pk=payload.intake_unit_id).first()
    if unit is None:
        return invalid(ValidationError({"intake_unit_id": [intake.NOT_INTAKE]}))
    try:
        row = intake.request_make(
            child=access.child,
            intake_unit=unit,
            source=SupportRequest.Source.PRACTITIONER,
            user=request.auth,
            concern=payload.concern,
            owner_authority=plan_services.user_authority(request.auth),
            via=Via(actor=who, surface=SURFACE, target=target, basis=access.basis),
        )
    except ValidationError as exc:
        return invalid(exc)
    return Status(201, _request(row, name=listed_name(access.child, shown=True)))


@router.get(
    "/intake/requests",
    response={200: list[RequestOut], 401: Error},
    url_name=INTAKE,
    summary="Begäran om stöd till din mottagning",
    description="För personal med rollen mottagning: begäran till enheterna där du har rollen, nyast först.",
)
@rule(CHILD_DATA)
def intake_requests(request: HttpRequest):
    rows = list(policy.requests_for_intake(request.auth))
    policy.log_intake_reads(rows, actor=actor(request), surface=SURFACE, target=f"api:{INTAKE}")
    return [_request(row, name=listed_name(row.child)) for row in rows]


def _intake_via(request: HttpRequest, target: str) -> intake.IntakeVia:
    return intake.IntakeVia(user=request.auth, actor=actor(request), surface=SURFACE, target=target)


@router.post(
    "/intake/requests/{int:request_id}/triage",
    response={200: RequestOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(TriageIn),
    url_name=TRIAGE,
    summary="Bedöm en begäran",
    description="Nivå (blå, grön, orange, röd) med skäl, tills begäran har förts vidare.",
)
@rule(CHILD_DATA)
def intake_triage(request: HttpRequest, request_id: int):
    target = f"api:{TRIAGE}"
    via = _intake_via(request, target)
    row = policy.request_for_intake(request.auth, request_id, actor=via.actor, surface=SURFACE, target=target)
    payload, refused = parse_body(TriageIn, request)
    if refused is not None:
        return refused
    try:
        intake.request_triage(request=row, colour=payload.colour, reason=payload.reason, via=via)
    except ValidationError as exc:
        return invalid(exc)
    return _request(row, name=listed_name(row.child))


@router.post(
    "/intake/requests/{int:request_id}/route",
    response={200: RequestOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(RouteIn),
    url_name=ROUTE,
    summary="För en bedömd begäran vidare",
    description="Till en utförare (blir en remiss), ett samverkansteam eller barnets plan.",
)
@rule(CHILD_DATA)
def intake_route(request: HttpRequest, request_id: int):
    target = f"api:{ROUTE}"
    via = _intake_via(request, target)
    row = policy.request_for_intake(request.auth, request_id, actor=via.actor, surface=SURFACE, target=target)
    payload, refused = parse_body(RouteIn, request)
    if refused is not None:
        return refused
    municipality = row.child.municipality_id
    intervention = (
        selectors.interventions_for(request.auth)
        .filter(pk=payload.intervention_id, provider__municipality=municipality)
        .first()
        if payload.intervention_id
        else None
    )
    team = Team.objects.filter(pk=payload.team_id, municipality=municipality).first() if payload.team_id else None
    try:
        intake.request_route(request=row, route=payload.route, intervention=intervention, team=team, via=via)
    except ValidationError as exc:
        return invalid(exc)
    return _request(row, name=listed_name(row.child))

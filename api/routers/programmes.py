"""Programmes: programmes with budgets, calls, applications by role, lecture sessions and registrations.

No child data lives here, so the rule is `authenticated`; what a user sees is scoped to the programmes
of the municipalities they work in, and applications by role: managers and administrators of the
municipality see every application, a call's assessors the submitted and decided ones, others their own.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, parse_body
from api.schemas import Error, Id, Invalid
from core.access import AUTHENTICATED
from organisations.models import Unit
from programmes import selectors, services
from programmes.models import Application, EventSession, GrantCall, Profession, Registration
from sharing import policy

SURFACE = "api"
INVALID_BODY = _("Begäran innehåller ogiltiga värden. Rätta fälten som anges i errors och försök igen.")
NOT_YOUR_UNIT = _("Välj en enhet där du arbetar i dag, eller ingen enhet.")
UNKNOWN_PROFESSION = _("Okänd yrkesgrupp. Välj en av: %(choices)s.")

router = Router(tags=["Program"])


class ProgrammeOut(Schema):
    id: int
    name: str
    owner: str
    starts_on: date
    ends_on: date
    steering_group: list[str]
    sub_projects: list[str]


class BudgetRowOut(Schema):
    year: int
    part: str = Field(description="Delprojektets namn, eller tomt för hela programmet.")
    allocated: int = Field(description="Avsatt, kronor.")
    committed: int = Field(description="Beslutat (bidrag, kostnader), kronor.")
    used: int = Field(description="Använt, kronor.")
    uncommitted: int = Field(description="Avsatt men inte beslutat, kronor; aldrig negativt.")


class CriterionOut(Schema):
    title: str
    weight: int


class CallOut(Schema):
    id: int
    title: str
    purpose: str
    target_group: str
    who_may_apply: str
    opens_at: datetime
    closes_at: datetime = Field(description="Sista ansökningstid: en ansökan vid eller efter denna tidpunkt avvisas.")
    award_levels: list[int]
    budget: int
    scale_max: int
    criteria: list[CriterionOut]


class ApplicationOut(Schema):
    id: int
    organisation: str
    title: str
    amount_requested: int
    status: str = Field(description="draft, submitted, withdrawn, awarded eller declined.")
    submitted_at: datetime | None
    awarded_amount: int | None = Field(description="Beviljat belopp när ansökan är beviljad.")
    motivation: str = Field(description="Beslutets motivering, tom före beslut.")


class SessionOut(Schema):
    id: int
    event: str
    speakers: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    free_places: int


class RegistrationOut(Schema):
    id: int
    session_id: int
    event: str
    starts_at: datetime
    status: str = Field(description="place (plats), waiting (väntelista) eller cancelled.")
    profession: str


class RegistrationIn(Schema):
    profession: str = Field(description="Yrkesgrupp: " + ", ".join(Profession.values) + ".")
    unit_id: Id | None = Field(None, description="Enheten där du arbetar, eller utelämnad.")


def _programme(request: HttpRequest, programme_id: int):
    programme = selectors.programmes_for(request.auth).filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


@router.get("/programmes", response={200: list[ProgrammeOut], 401: Error}, summary="Program i din kommun")
@rule(AUTHENTICATED)
def programme_list(request: HttpRequest):
    programmes = selectors.programmes_for(request.auth).prefetch_related("sub_projects")
    return [
        {
            "id": p.pk,
            "name": p.name,
            "owner": p.owner,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "steering_group": p.steering_members,
            "sub_projects": [s.name for s in p.sub_projects.all()],
        }
        for p in programmes
    ]


@router.get(
    "/programmes/{int:programme_id}/budget",
    response={200: list[BudgetRowOut], 401: Error, 404: Error},
    summary="Programmets budget per år",
    description="Avsatt, beslutat och använt per år och delprojekt.",
)
@rule(AUTHENTICATED)
def programme_budget(request: HttpRequest, programme_id: int):
    rows = selectors.budget_rows(_programme(request, programme_id))
    return [
        {
            "year": r.line.year,
            "part": r.line.sub_project.name if r.line.sub_project else "",
            "allocated": r.allocated,
            "committed": r.committed,
            "used": r.used,
            "uncommitted": r.uncommitted,
        }
        for r in rows
    ]


@router.get(
    "/programmes/{int:programme_id}/calls",
    response={200: list[CallOut], 401: Error, 404: Error},
    summary="Programmets utlysningar",
)
@rule(AUTHENTICATED)
def call_list(request: HttpRequest, programme_id: int):
    calls = _programme(request, programme_id).calls.prefetch_related("criteria")
    return [
        {
            "id": c.pk,
            "title": c.title,
            "purpose": c.purpose,
            "target_group": c.target_group,
            "who_may_apply": c.who_may_apply,
            "opens_at": c.opens_at,
            "closes_at": c.closes_at,
            "award_levels": c.levels,
            "budget": c.budget,
            "scale_max": c.scale_max,
            "criteria": [{"title": k.title, "weight": k.weight} for k in c.criteria.all()],
        }
        for c in calls
    ]


@router.get(
    "/calls/{int:call_id}/applications",
    response={200: list[ApplicationOut], 401: Error, 404: Error},
    summary="Ansökningar till en utlysning",
    description="Chefer och administratörer i kommunen ser alla, utlysningens bedömare de inskickade och "
    "beslutade, övriga sina egna.",
)
@rule(AUTHENTICATED)
def application_list(request: HttpRequest, call_id: int):
    user = request.auth
    programmes = selectors.programmes_for(user)
    call = GrantCall.objects.filter(pk=call_id, programme__in=programmes).select_related("programme").first()
    if call is None:
        raise Http404
    applications = call.applications.select_related("decision")
    if not selectors.may_run(user, call.programme):
        shown = Q(created_by=user)
        if services.is_assessor(call, user):
            shown |= ~Q(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
        applications = applications.filter(shown)
    result = []
    for a in applications.order_by("organisation"):
        decision = getattr(a, "decision", None)
        result.append(
            {
                "id": a.pk,
                "organisation": a.organisation,
                "title": a.title,
                "amount_requested": a.amount_requested,
                "status": a.status,
                "submitted_at": a.submitted_at,
                "awarded_amount": decision.amount if decision and decision.awarded else None,
                "motivation": decision.motivation if decision else "",
            }
        )
    return result


def _sessions(user):
    return EventSession.objects.filter(event__programme__in=selectors.programmes_for(user)).select_related("event")


@router.get("/sessions", response={200: list[SessionOut], 401: Error}, summary="Kommande föreläsningstillfällen")
@rule(AUTHENTICATED)
def session_list(request: HttpRequest):
    sessions = _sessions(request.auth).filter(starts_at__gt=timezone.now()).order_by("starts_at")
    result = []
    for s in sessions:
        taken = s.registrations.filter(status=Registration.Status.PLACE).count()
        result.append(
            {
                "id": s.pk,
                "event": s.event.title,
                "speakers": s.event.speakers,
                "place": s.event.place,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "capacity": s.capacity,
                "free_places": max(s.capacity - taken, 0),
            }
        )
    return result


def _registration_out(r: Registration) -> dict:
    return {
        "id": r.pk,
        "session_id": r.session_id,
        "event": r.session.event.title,
        "starts_at": r.session.starts_at,
        "status": r.status,
        "profession": r.profession,
    }


@router.get("/registrations/mine", response={200: list[RegistrationOut], 401: Error}, summary="Mina anmälningar")
@rule(AUTHENTICATED)
def registration_mine(request: HttpRequest):
    mine = Registration.objects.filter(user=request.auth).select_related("session__event").order_by("-registered_at")
    return [_registration_out(r) for r in mine]


@router.post(
    "/sessions/{int:session_id}/registrations",
    response={201: RegistrationOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(RegistrationIn),
    summary="Anmäl dig till ett tillfälle",
    description="Ger en plats, eller en plats på väntelistan när tillfället är fullt.",
)
@rule(AUTHENTICATED)
def registration_create(request: HttpRequest, session_id: int):
    user = request.auth
    session = _sessions(user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    payload, refused = parse_body(RegistrationIn, request, detail=str(INVALID_BODY))
    if refused is not None:
        return refused
    errors = []
    if payload.profession not in Profession.values:
        message = UNKNOWN_PROFESSION % {"choices": ", ".join(Profession.values)}
        errors.append({"loc": ["body", "payload", "profession"], "msg": str(message), "type": "value_error"})
    unit = None
    if payload.unit_id is not None:
        unit = Unit.objects.filter(pk=payload.unit_id, memberships__in=policy.memberships(user)).first()
        if unit is None:
            errors.append({"loc": ["body", "payload", "unit_id"], "msg": str(NOT_YOUR_UNIT), "type": "value_error"})
    if errors:
        return Status(422, {"detail": str(INVALID_BODY), "errors": errors})
    try:
        registration = services.registration_create(
            session=session,
            user=user,
            profession=payload.profession,
            unit=unit,
            via=services.Via(actor=actor(request), surface=SURFACE, target="api:programme_registration_create"),
        )
    except ValidationError as exc:
        errors = [{"loc": ["body", "payload"], "msg": message, "type": "value_error"} for message in exc.messages]
        return Status(422, {"detail": exc.messages[0], "errors": errors})
    return Status(201, _registration_out(registration))

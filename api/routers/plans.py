"""The child's plan over the API: read the current plan, start one, change it with its version, record a review.

Every operation loads the child through the policy and the plan through `records_for_user`, and
reads its body only afterwards, so a stranger gets the same 404 as for a missing child. Changes
name the version they are based on; a newer saved version answers 409 with the saved values.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, invalid, parse_body
from api.schemas import Error, Id, Invalid
from core.access import CHILD_DATA
from plans import selectors, services
from plans.models import ChildPlan
from plans.models import Status as PlanStatus
from sharing import duty_to_report, policy
from sharing.display import Display, display_for
from wellbeing.selectors import unreported_suspicion

SURFACE = "api"
CHILD_PLAN = "child_plan"  # GET the current plan, POST a new one
PLAN = "plan"
REVIEWS = "plan_reviews"

READ_ONLY = _("Planen ägs av en annan myndighet. Du kan läsa den men inte ändra den.")
CONFLICT = _(
    "Någon annan har sparat planen efter den version du utgick från. Ingenting har sparats. Hämta planen, jämför "
    "och skicka igen med den nya versionen."
)
NO_PLAN = _("Barnet har ingen pågående plan som du får se.")

router = Router(tags=["Barnets plan"])


class ActionOut(Schema):
    id: int
    description: str
    owner_authority: str
    owner_person: str | None = Field(description="Tomt när ingen person är ansvarig; null när namnet är skyddat.")
    resources: str
    start: date
    end: date
    expected_outcome: str
    indicators: list[str]
    status: str


class ParticipantOut(Schema):
    id: int
    name: str | None = Field(description="Null för personal vars namn skulle röja var ett skyddat barn finns.")
    role: str
    authority: str
    view: str = Field(description="Deltagarens synpunkter med egna ord.")


class PlanOut(Schema):
    id: int
    child_id: UUID
    owner_authority: str
    kind: str
    status: str
    version: int = Field(description="Skicka med versionen när du ändrar planen.")
    lead_professional_id: int | None
    reasons: str
    risk_level: str
    harmful_behaviour: str
    risk_triggers: str
    risk_effect: str
    contingency: str
    review_arrangements: str
    review_interval_weeks: int
    next_review_on: date | None
    closed_at: datetime | None
    closed_reason: str
    participants: list[ParticipantOut]
    needs: dict[str, str] = Field(description="Behov per indikator.")
    actions: list[ActionOut]
    agreed_versions: list[int]


class PlanIn(Schema):
    kind: str = Field(description="single_agency eller multi_agency.")
    reasons: str = Field(max_length=5000)
    lead_professional_id: Id | None = Field(None, description="Krävs när planen omfattar två eller fler myndigheter.")
    unit_id: Id | None = Field(
        None,
        description="Enheten som planen ska höra till; dess myndighet äger planen. En av enheterna där du arbetar "
        "i dag. Utan den: den första av dina enheter (myndighetens namn, enhetens namn).",
    )


class PlanPatch(Schema):
    version: int = Field(description="Versionen du utgick från (från GET).")
    kind: str | None = None
    lead_professional_id: Id | None = None
    reasons: str | None = Field(None, max_length=5000)
    risk_level: str | None = None
    harmful_behaviour: str | None = Field(None, max_length=5000)
    risk_triggers: str | None = Field(None, max_length=5000)
    risk_effect: str | None = Field(None, max_length=5000)
    contingency: str | None = Field(None, max_length=5000)
    review_arrangements: str | None = Field(None, max_length=5000)
    review_interval_weeks: int | None = Field(None, ge=1, le=52)
    next_review_on: date | None = None


class ConflictOut(Schema):
    detail: str
    current: PlanOut


class ReviewIn(Schema):
    held_on: date
    improved: str = Field(max_length=5000, description="Vad har blivit bättre i barnets liv?")
    worsened: str = Field("", max_length=5000, description="Har något blivit sämre?")
    aims_met: str = Field(max_length=5000, description="Har planens syfte uppnåtts?")
    must_change: str = Field("", max_length=5000, description="Om inte: behöver något i planen ändras?")
    can_continue: str = Field("", max_length=5000, description="Kan insatserna fortsätta?")
    ratings: dict[str, int] = Field(default_factory=dict, description="Välbefinnandehjulet på nytt: indikator → 1–5.")


class ReviewOut(Schema):
    id: int
    plan_id: int
    held_on: date | None
    assessment_id: int | None


def _out(plan: ChildPlan, display: Display) -> dict:
    """Return the plan as the API shows it, staff names masked as `display` decides for a protected child."""
    plan = selectors.plan_contents(plan)
    fields = {name: getattr(plan, name) for name in services.EDITABLE if name != "lead_professional"}
    return {
        **fields,
        "id": plan.pk,
        "child_id": plan.child_id,
        "owner_authority": plan.owner_authority.name,
        "status": plan.status,
        "version": plan.version,
        "lead_professional_id": plan.lead_professional_id,
        "closed_at": plan.closed_at,
        "closed_reason": plan.closed_reason,
        "participants": [
            {
                "id": row.pk,
                "name": row.name if row.user_id is None else display.staff(row.user_id, row.name),
                "role": row.role,
                "authority": row.authority.name if row.authority else "",
                "view": row.view,
            }
            for row in plan.participants.all()
        ],
        "needs": {row.indicator: row.summary for row in plan.needs.all()},
        "actions": [
            {
                "id": row.pk,
                "description": row.description,
                "owner_authority": row.owner_authority.name,
                "owner_person": display.staff(row.owner_person_id, row.owner_person.get_full_name())
                if row.owner_person
                else "",
                "resources": row.resources,
                "start": row.start,
                "end": row.end,
                "expected_outcome": row.expected_outcome,
                "indicators": row.indicators,
                "status": row.status,
            }
            for row in plan.actions.all()
        ],
        "agreed_versions": sorted(row.number for row in plan.versions.all()),
    }


def _via(access, who, target: str) -> services.Via:
    return services.Via(actor=who, surface=SURFACE, target=target, basis=access.basis)


def _open_plan(request: HttpRequest, plan_id: int, target: str):
    """Load a plan by id through the child's access and the records filter; 404 alike for missing and not shared."""
    who = actor(request)
    access, plan = policy.plan_for_user(request.auth, plan_id, actor=who, surface=SURFACE, target=target)
    return who, access, plan


@router.get(
    "/children/{uuid:child_id}/plan",
    response={200: PlanOut, 401: Error, 404: Error},
    url_name=CHILD_PLAN,
    summary="Barnets pågående plan",
    description="Planen som inte är avslutad, om du får se den: din myndighets, eller en annan myndighets med "
    "familjens samtycke.",
)
@rule(CHILD_DATA)
def plan_current(request: HttpRequest, child_id: UUID):
    who = actor(request)
    target = f"api:{CHILD_PLAN}"
    access = policy.child_for_user(request.auth, child_id, actor=who, surface=SURFACE, target=target)
    plan = selectors.plans_for(access).exclude(status__in=[PlanStatus.CLOSED, PlanStatus.DECLINED]).first()
    if plan is None:
        return Status(404, {"detail": str(NO_PLAN)})
    policy.log_shared_reads([plan], actor=who, surface=SURFACE, target=target, access=access)
    return _out(plan, display_for(access))


@router.post(
    "/children/{uuid:child_id}/plan",
    response={201: PlanOut, 401: Error, 404: Error, 409: Error, 422: Invalid},
    openapi_extra=body_schema(PlanIn),
    url_name=CHILD_PLAN,
    summary="Starta en plan",
    description="Startar ett utkast som ägs av den valda enhetens myndighet (unit_id) eller din. Barnet och "
    "vårdnadshavarna blir deltagare. Svarar 409 medan din myndighet har svarat att det finns anledning att "
    "misstänka att barnet far illa och ingen orosanmälan har gjorts sedan dess: anmälan först.",
)
@rule(CHILD_DATA)
def plan_create(request: HttpRequest, child_id: UUID):
    who = actor(request)
    target = "api:plan_create"
    access = policy.child_for_user(request.auth, child_id, actor=who, surface=SURFACE, target=target)
    if unreported_suspicion(access) is not None:  # the report of concern comes before a plan or a consent request
        return Status(409, {"detail": str(duty_to_report.REPORT_FIRST)})
    payload, refused = parse_body(PlanIn, request)
    if refused is not None:
        return refused
    lead = (
        services.User.objects.filter(pk=payload.lead_professional_id).first() if payload.lead_professional_id else None
    )
    unit = None
    if payload.unit_id is not None:
        unit = services.user_units(request.auth).filter(pk=payload.unit_id).first()
        if unit is None:  # not a unit of the caller's today (or none at all): the same answer either way
            return invalid(ValidationError({"unit": [services.NOT_YOUR_UNIT]}))
    try:
        plan = services.plan_start(
            child=access.child,
            user=request.auth,
            kind=payload.kind,
            reasons=payload.reasons,
            lead_professional=lead,
            unit=unit,
            via=_via(access, who, target),
        )
    except ValidationError as exc:
        return invalid(exc)
    return Status(201, _out(plan, display_for(access)))


@router.patch(
    "/plans/{int:plan_id}",
    response={200: PlanOut, 401: Error, 403: Error, 404: Error, 409: ConflictOut, 422: Invalid},
    openapi_extra=body_schema(PlanPatch),
    url_name=PLAN,
    summary="Ändra planen",
    description="Skicka versionen du utgick från och bara de fält du ändrar. Har någon annan sparat efter den "
    "versionen svarar API:et 409 med planen som den är sparad nu, och ingenting ändras.",
)
@rule(CHILD_DATA)
def plan_patch(request: HttpRequest, plan_id: int):
    target = f"api:{PLAN}"
    who, access, plan = _open_plan(request, plan_id, target)
    if not policy.may_edit_plan(access, plan):
        return Status(403, {"detail": str(READ_ONLY)})
    payload, refused = parse_body(PlanPatch, request)
    if refused is not None:
        return refused
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    if "lead_professional_id" in values:
        lead_id = values.pop("lead_professional_id")
        values["lead_professional"] = services.User.objects.filter(pk=lead_id).first() if lead_id else None
    try:
        plan = services.plan_update(
            plan=plan, version=version, values=values, user=request.auth, via=_via(access, who, target)
        )
    except services.PlanConflict as conflict:
        return Status(409, {"detail": str(CONFLICT), "current": _out(conflict.current, display_for(access))})
    except ValidationError as exc:
        return invalid(exc)
    return _out(plan, display_for(access))


@router.post(
    "/plans/{int:plan_id}/reviews",
    response={201: ReviewOut, 401: Error, 403: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(ReviewIn),
    url_name=REVIEWS,
    summary="Registrera en uppföljning",
    description="Svaren på uppföljningsfrågorna och, om ni gjorde det, välbefinnandehjulet på nytt. Startar "
    "uppföljningen om den inte redan pågår.",
)
@rule(CHILD_DATA)
def plan_review(request: HttpRequest, plan_id: int):
    target = f"api:{REVIEWS}"
    who, access, plan = _open_plan(request, plan_id, target)
    if not policy.may_edit_plan(access, plan):
        return Status(403, {"detail": str(READ_ONLY)})
    payload, refused = parse_body(ReviewIn, request)
    if refused is not None:
        return refused
    via = _via(access, who, target)
    ratings = {code: (score, "") for code, score in payload.ratings.items()}
    try:
        with transaction.atomic():  # a refused review leaves no started one behind
            review = plan.reviews.filter(completed_at__isnull=True).first()
            if review is None:
                review = services.plan_review_start(plan=plan, user=request.auth, via=via)
            review = services.plan_review_complete(
                review=review,
                user=request.auth,
                held_on=payload.held_on,
                answers=payload.model_dump(),
                ratings=ratings,
                via=via,
            )
    except ValidationError as exc:
        return invalid(exc)
    return Status(
        201, {"id": review.pk, "plan_id": plan.pk, "held_on": review.held_on, "assessment_id": review.assessment_id}
    )

"""Emergency access (nödåtkomst): start with password and code, end early, and the owning authority's review."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, parse_body
from api.schemas import Error, Id, Invalid, page_limit, page_offset
from audit import log as audit
from core.access import CHILD_DATA
from sharing import policy, selectors
from sharing.forms.emergency import EmergencyReviewForm, EmergencyStartForm
from sharing.models import EmergencyAccess
from sharing.services import emergency as services

SURFACE = "api"
START = "emergency_start"
END = "emergency_end"
QUEUE = "emergency_review_queue"
MINE = "emergency_mine"
REVIEW = "emergency_review"
DEFAULT_LIMIT = 25
MAX_LIMIT = 100

NOT_HEALTH_CARE = services.NOT_HEALTH_CARE
INSTEAD = _(
    "Gör en orosanmälan i stället (anmälan går före sekretessen och familjens samtycke behövs inte): %(routes)s."
)
INVALID_BODY = _("Skicka owner_authority_id, reason, password och code som JSON i begärans kropp.")

router = Router(tags=["Nödåtkomst"])


class AuthorityRef(Schema):
    id: int
    name: str


class EmergencyStartIn(Schema):
    owner_authority_id: Id = Field(description="Vårdgivaren vars journaluppgifter du behöver (inte din egen).")
    reason: str = Field(max_length=2000, description="Varför uppgifterna behövs nu och inte kan vänta.")
    password: str = Field(max_length=200, description="Ditt lösenord, för att bekräfta att det är du.")
    code: str = Field(max_length=20, description="En ny engångskod från appen; varje kod gäller en gång.")


class EmergencyOut(Schema):
    id: int
    child_id: UUID
    owner_authority: AuthorityRef
    reason: str
    started_at: datetime
    ends_at: datetime = Field(description="När nödåtkomsten upphör av sig själv.")
    ended_at: datetime | None = Field(description="När den avslutades i förtid.")
    review: str = Field(description="pending, justified eller unjustified.")


class EmergencyReviewItem(EmergencyOut):
    child_name: str | None = Field(description="Tomt för barn med skyddade personuppgifter.")
    holder: str = Field(description="Vem som hade nödåtkomsten.")
    holder_unit: str | None = Field(description="Personens enhet när nödåtkomsten startade.")
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str


class EmergencyReviewPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EmergencyReviewItem]


class EmergencyMineItem(EmergencyOut):
    child_name: str | None = Field(description="Tomt för barn med skyddade personuppgifter.")
    active: bool = Field(description="Sant medan nödåtkomsten pågår; avsluta den med /end.")
    reviewed_at: datetime | None
    review_note: str = Field(description="Granskarens kommentar; tom tills nödåtkomsten är granskad.")


class EmergencyMinePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EmergencyMineItem]


class EmergencyReviewIn(Schema):
    outcome: str = Field(description="justified eller unjustified.")
    note: str = Field(max_length=2000, description="Motivering till bedömningen.")


def _out(emergency: EmergencyAccess) -> dict:
    return {
        "id": emergency.pk,
        "child_id": emergency.child_id,
        "owner_authority": {"id": emergency.owner_authority_id, "name": emergency.owner_authority.name},
        "reason": emergency.reason,
        "started_at": emergency.started_at,
        "ends_at": emergency.ends_at,
        "ended_at": emergency.ended_at,
        "review": emergency.review,
    }


def _review_item(emergency: EmergencyAccess) -> dict:
    child = emergency.child
    return {
        **_out(emergency),
        # A protected child is not named in a list: the reviewer judges the access, not who the child is.
        "child_name": child.listed_name,
        "holder": str(emergency.user),
        "holder_unit": emergency.holder_unit,
        "reviewed_by": str(emergency.reviewed_by) if emergency.reviewed_by else None,
        "reviewed_at": emergency.reviewed_at,
        "review_note": emergency.review_note,
    }


def _not_health_care(user, child_id: UUID) -> dict:
    """Name the routes that do exist: the report of concern, and for deciding roles a disclosure decision."""
    routes = [reverse("api:report_file", kwargs={"child_id": child_id})]
    if policy.deciding_authorities(user).exists():
        routes.append(reverse("api:child_disclosures", kwargs={"child_id": child_id}))
    return {"loc": ["body", "payload"], "msg": str(INSTEAD) % {"routes": ", ".join(routes)}, "type": "not_health_care"}


def _invalid(form) -> Status:
    errors = [
        {"loc": ["body", "payload", *([field] if field != "__all__" else [])], "msg": message, "type": "invalid"}
        for field, messages in form.errors.items()
        for message in messages
    ]
    # A response, not an exception: failed codes counted towards the lockout must commit.
    return Status(422, {"detail": errors[0]["msg"], "errors": errors})


def _read(request: HttpRequest, emergency: EmergencyAccess, target: str) -> None:
    audit.record(
        actor=actor(request),
        action="read",
        surface=SURFACE,
        target=f"api:{target}",
        basis=policy.Basis.EMERGENCY_REVIEW,
        child_id=emergency.child_id,
        record_type="EmergencyAccess",
        record_id=str(emergency.pk),
    )


@router.post(
    "/children/{uuid:child_id}/emergency-access",
    response={201: EmergencyOut, 401: Error, 404: Error, 422: Invalid},
    url_name=START,
    # The body is read inside, after the relation check, so a stranger gets 404 whatever they send.
    openapi_extra=body_schema(EmergencyStartIn),
    summary="Starta nödåtkomst",
    description="Nödåtkomst enligt patientdatalagen: vårdpersonal vid en vårdgivare öppnar en annan vårdgivares "
    "journaluppgifter (hälso- och sjukvård) om ett barn du redan har en relation till, under den tid kommunen har "
    "bestämt (24 timmar om inget annat angetts). Aldrig skolans, socialtjänstens eller polisens uppgifter. Kräver "
    "ditt lösenord och en ny engångskod i samma anrop. Allt loggas, granskas av den ägande vårdgivarens chef och "
    "visas för familjen. Den som inte arbetar i vården får 422 med vägen till en orosanmälan "
    "(POST /children/{id}/reports).",
)
@rule(CHILD_DATA)
def emergency_start(request: HttpRequest, child_id: UUID):
    user = request.auth
    # No relation: the same 404 as a child that does not exist, before the body is read or a code is tried.
    if not policy.visible_children(user).filter(pk=child_id).exists():
        raise Http404
    # Nödåtkomst is a health-care rule: anyone else is told so, and where to go, before a code is tried.
    if not policy.emergency.may_start(user):
        return Status(422, {"detail": str(NOT_HEALTH_CARE), "errors": [_not_health_care(user, child_id)]})
    payload, refused = parse_body(EmergencyStartIn, request, detail=str(INVALID_BODY))
    if refused is not None:
        return refused
    data = {
        "owner_authority": payload.owner_authority_id,
        "reason": payload.reason,
        "password": payload.password,
        "code": payload.code,
    }
    form = EmergencyStartForm(user, data, authorities=selectors.emergency_authority_choices(user), request=request)
    if not form.is_valid():
        return _invalid(form)
    try:
        emergency = services.emergency_access_start(
            user=user,
            child=child_id,
            owner_authority=form.cleaned_data["owner_authority"],
            reason=form.cleaned_data["reason"],
            reauthenticated_at=timezone.now(),  # verified just above, in this request
            actor=actor(request),
            surface=SURFACE,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _invalid(form)
    return Status(201, _out(emergency))


@router.post(
    "/emergency-access/{int:emergency_id}/end",
    response={200: EmergencyOut, 401: Error, 404: Error},
    url_name=END,
    summary="Avsluta nödåtkomst",
    description="Avslutar din egen nödåtkomst direkt. Någon annans nödåtkomst svarar 404.",
)
@rule(CHILD_DATA)
def emergency_end(request: HttpRequest, emergency_id: int):
    emergency = selectors.own_emergency_access(request.auth, emergency_id)
    emergency = services.emergency_access_end(
        user=request.auth, emergency=emergency, actor=actor(request), surface=SURFACE
    )
    return _out(emergency)


@router.get(
    "/emergency-access/mine",
    response={200: EmergencyMinePage, 401: Error, 422: Invalid},
    url_name=MINE,
    summary="Mina nödåtkomster",
    description="Nödåtkomster som du har startat, pågående först och sedan de senaste. Med granskningens utfall "
    "och granskarens kommentar. Barn med skyddade personuppgifter namnges inte.",
)
@rule(CHILD_DATA)
def emergency_mine(
    request: HttpRequest,
    limit: int = page_limit(DEFAULT_LIMIT, MAX_LIMIT),
    offset: int = page_offset(),
):
    mine = selectors.own_emergency_accesses(request.auth)
    page = list(mine[offset : offset + limit])
    who = actor(request)
    items = []
    for emergency in page:
        audit.record(
            actor=who,
            action="read",
            surface=SURFACE,
            target=f"api:{MINE}",
            basis=f"{policy.Basis.EMERGENCY}:{emergency.pk}",
            child_id=emergency.child_id,
            record_type="EmergencyAccess",
            record_id=str(emergency.pk),
        )
        items.append(
            {
                **_out(emergency),
                # A protected child is not named in a list, not even to the one who held the access.
                "child_name": emergency.child.listed_name,
                "active": emergency.running,
                "reviewed_at": emergency.reviewed_at,
                "review_note": emergency.review_note,
            }
        )
    return {"count": mine.count(), "limit": limit, "offset": offset, "items": items}


@router.get(
    "/emergency-access/reviews",
    response={200: EmergencyReviewPage, 401: Error, 422: Invalid},
    url_name=QUEUE,
    summary="Nödåtkomster att granska",
    description="Nödåtkomster till uppgifter som din myndighet äger, de som väntar på granskning först. "
    "Tom för den som inte är chef.",
)
@rule(CHILD_DATA)
def emergency_review_queue(
    request: HttpRequest,
    limit: int = page_limit(DEFAULT_LIMIT, MAX_LIMIT),
    offset: int = page_offset(),
):
    queue = selectors.emergency_review_queue(request.auth)
    page = list(queue[offset : offset + limit])
    for emergency in page:
        _read(request, emergency, QUEUE)
    return {"count": queue.count(), "limit": limit, "offset": offset, "items": [_review_item(e) for e in page]}


@router.post(
    "/emergency-access/{int:emergency_id}/review",
    response={200: EmergencyReviewItem, 401: Error, 404: Error, 422: Invalid},
    url_name=REVIEW,
    openapi_extra=body_schema(EmergencyReviewIn),
    summary="Granska nödåtkomst",
    description="Bara chef vid den myndighet som äger uppgifterna, och aldrig den som hade nödåtkomsten. "
    "En nödåtkomst som bedöms inte befogad och fortfarande pågår avslutas direkt.",
)
@rule(CHILD_DATA)
def emergency_review(request: HttpRequest, emergency_id: int):
    emergency = selectors.emergency_for_reviewer(request.auth, emergency_id)
    payload, refused = parse_body(EmergencyReviewIn, request)
    if refused is not None:
        return refused
    form = EmergencyReviewForm({"outcome": payload.outcome, "note": payload.note})
    if not form.is_valid():
        return _invalid(form)
    try:
        services.emergency_access_review(
            reviewer=request.auth,
            emergency=emergency,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            actor=actor(request),
            surface=SURFACE,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _invalid(form)
    return _review_item(selectors.emergency_for_reviewer(request.auth, emergency_id))

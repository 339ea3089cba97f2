"""Consents over the API: a child's consents and new requests for staff; withdrawal; the family's list and answers."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, parse_body
from api.schemas import Error, Id, Invalid
from core.access import CHILD_DATA, FAMILY_DATA
from family.access import family_child_for_user, family_children
from organisations.models import Authority
from sharing import consent_selectors as selectors
from sharing import duty_to_report, policy
from sharing.forms.consents import until_moment
from sharing.services import consents as services
from teams.models import Team
from wellbeing.selectors import unreported_suspicion

SURFACE = "api"
LIST = "consent_list"
NAME = "child_consents"  # one name for the path: GET lists, POST requests
WITHDRAW = "consent_withdraw"
FAMILY_LIST = "family_consents"
FAMILY_ANSWER = "family_consent_answer"

router = Router(tags=["Samtycken"])


class ConsentIn(Schema):
    shared_under_duty: bool = Field(
        description="Sant om uppgifterna lämnas ändå enligt en skyldighet: då skapas ingen begäran (422), "
        "informera familjen i stället."
    )
    purpose: str = Field(max_length=2000)
    categories: list[str] = Field(description="Kategorier, t.ex. education, health, social.")
    recipient_ids: list[Id] = Field(
        default_factory=list,
        description="Mottagande myndigheter (inte din egen); får vara tom när deltagarna i planen är mottagare.",
    )
    to_plan_participants: bool = Field(
        False,
        description="Sant om myndigheterna som deltar i barnets pågående plan ska få uppgifterna, så länge de deltar. "
        "Minst en mottagare krävs: recipient_ids eller detta.",
    )
    recipient_team_ids: list[Id] = Field(
        default_factory=list,
        description="Aktiva team i barnets kommun: myndigheterna som teamens nuvarande medlemmar deltar för får "
        "uppgifterna, så länge de är med. Räknas som mottagare.",
    )
    valid_from: date
    valid_until: date = Field(description="Sista dag samtycket gäller.")


class WithdrawIn(Schema):
    party_id: Id = Field(description="Parten (vårdnadshavare eller barnet) som har återkallat samtycket.")
    note: str = Field("", max_length=2000)


class AnswerIn(Schema):
    decision: str = Field("", description="given eller declined; tomt när du lämnar en inställning (view).")
    view: str = Field("", max_length=2000, description="Barnets inställning med egna ord, under samtyckesåldern.")


class PartyOut(Schema):
    name: str
    decision: str = Field(description="pending, given, declined eller view_only.")
    method: str
    decided_at: datetime | None
    view: str


class TeamRecipientOut(Schema):
    id: int
    name: str
    authorities_today: list[str] | None = Field(
        description="Myndigheterna (utom den som begärde samtycket) som teamets nuvarande medlemmar deltar för i dag; "
        "null när samtycket inte väntar på svar eller gäller nu."
    )


class HeldOut(Schema):
    category: str
    authorities: list[str] = Field(
        description="Myndigheter (aldrig enheter) som i dag har uppgifter om barnet i kategorin. Familjen ser alla; "
        "personal ser bara de myndigheter vars uppgifter de själva får läsa, så andra kan också ha sådana uppgifter."
    )


class ConsentOut(Schema):
    id: int
    child_id: UUID
    owner_authority: str
    purpose: str
    categories: list[str]
    recipients: list[str] = Field(description="Namngivna mottagande myndigheter.")
    to_plan_participants: bool = Field(
        description="Sant om myndigheterna som deltar i barnets pågående plan också är mottagare, så länge de deltar."
    )
    plan_participants: list[str] | None = Field(
        description="Myndigheterna (utom den som begärde samtycket) som deltar i barnets plan i dag och därför får "
        "uppgifterna; null när samtycket inte gäller planens deltagare eller inte väntar på svar eller gäller nu."
    )
    recipient_teams: list[TeamRecipientOut] = Field(description="Team som är mottagare.")
    held_by: list[HeldOut] = Field(
        description="Vems uppgifter samtycket gäller: för varje kategori de myndigheter som har sådana uppgifter om "
        "barnet i dag (samtycket häver deras sekretess)."
    )
    readers_today: list[str] | None = Field(
        description="Myndigheterna som i dag får läsa det samtycket öppnar (namngivna, planens deltagare, teamens "
        "medlemmar); null när samtycket inte väntar på svar eller gäller nu."
    )
    valid_from: datetime
    valid_until: datetime = Field(description="Slutet (exklusivt).")
    status: str
    in_force: bool = Field(description="Sant när samtycket gäller just nu; policyn prövar tiden vid varje läsning.")
    expiring_soon: bool
    replaces_id: int | None
    parties: list[PartyOut]


def _out(row: selectors.ConsentRow, names: list[str]) -> dict:
    consent = row.consent
    return {
        "id": consent.pk,
        "child_id": consent.child_id,
        "owner_authority": consent.owner_authority.name,
        "purpose": consent.purpose,
        "categories": sorted(category.category for category in consent.categories.all()),
        "recipients": row.recipients,
        "to_plan_participants": row.to_plan_participants,
        "plan_participants": row.plan_recipients,
        "recipient_teams": [{"id": team.pk, "name": team.name, "authorities_today": team.today} for team in row.teams],
        "held_by": [{"category": category, "authorities": names} for category, names in row.held_by],
        "readers_today": row.readers,
        "valid_from": consent.valid_from,
        "valid_until": consent.valid_until,
        "status": consent.status,
        "in_force": row.in_force,
        "expiring_soon": row.expiring_soon,
        "replaces_id": consent.replaces_id,
        "parties": [
            {
                "name": str(name),
                "decision": party.party.decision,
                "method": party.party.method,
                "decided_at": party.party.decided_at,
                "view": party.party.view,
            }
            for name, party in zip(names, row.parties, strict=True)
        ],
    }


def _staff_out(access, consents) -> list[dict]:
    rows = selectors.consent_rows(selectors.with_details(consents), access=access)
    return [_out(row, [party.name for party in row.parties]) for row in rows]


def _invalid(exc: ValidationError) -> Status:
    """Answer 422 with the service's messages (never the submitted values)."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    errors = [
        {"loc": ["body", "payload", field], "msg": str(message), "type": "invalid"}
        for field, messages in fields.items()
        for message in messages
    ]
    return Status(422, {"detail": errors[0]["msg"], "errors": errors})


@router.get(
    "/children/{uuid:child_id}/consents",
    response={200: list[ConsentOut], 401: Error, 404: Error},
    url_name=NAME,
    summary="Barnets samtycken",
    description="Samtycken som din myndighet har begärt, som anger din myndighet som mottagare, eller som öppnar "
    "uppgifter som din myndighet har om barnet (läsning; bara den som begärde samtycket ändrar det).",
)
@rule(CHILD_DATA)
def consent_list(request: HttpRequest, child_id: UUID):
    access = policy.child_for_user(request.auth, child_id, actor=actor(request), surface=SURFACE, target=f"api:{LIST}")
    return _staff_out(access, policy.consents_for(access).order_by("-created_at", "-pk"))


@router.post(
    "/children/{uuid:child_id}/consents",
    response={201: ConsentOut, 401: Error, 403: Error, 404: Error, 409: Error, 422: Invalid},
    openapi_extra=body_schema(ConsentIn),
    url_name=NAME,
    summary="Be om samtycke",
    description="Skapar en begäran till vårdnadshavarna med vårdnad (och barnet efter ålder). Lämnas uppgifterna "
    "ändå enligt en skyldighet skapas ingen begäran. Svarar 409 medan din myndighet har svarat att det finns "
    "anledning att misstänka att barnet far illa och ingen orosanmälan har gjorts sedan dess: anmälan först.",
)
@rule(CHILD_DATA)
def consent_create(request: HttpRequest, child_id: UUID):
    who = actor(request)
    target = "api:consent_create"
    access = policy.child_for_user(request.auth, child_id, actor=who, surface=SURFACE, target=target)
    if unreported_suspicion(access) is not None:  # the report of concern comes before a plan or a consent request
        return Status(409, {"detail": str(duty_to_report.REPORT_FIRST)})
    payload, refused = parse_body(ConsentIn, request)
    if refused is not None:
        return refused
    owner = policy.user_authorities(request.auth).order_by("pk").first()
    if owner is None:
        return Status(403, {"detail": str(services.NO_AUTHORITY)})
    recipients = list(Authority.objects.filter(pk__in=payload.recipient_ids))
    if len(recipients) != len(set(payload.recipient_ids)):
        return _invalid(ValidationError({"recipient_ids": [services.NEEDS_RECIPIENT]}))
    teams = list(Team.objects.filter(pk__in=payload.recipient_team_ids))
    if len(teams) != len(set(payload.recipient_team_ids)):
        return _invalid(ValidationError({"recipient_team_ids": [services.NEEDS_ACTIVE_TEAM]}))
    via = services.Via(user=request.auth, actor=who, surface=SURFACE, target=target)
    try:
        consent = services.consent_request(
            child=access.child,
            owner_authority=owner,
            purpose=payload.purpose,
            categories=payload.categories,
            recipients=recipients,
            to_plan_participants=payload.to_plan_participants,
            teams=teams,
            valid_from=services.day_start(payload.valid_from),
            valid_until=until_moment(payload.valid_until),
            via=via,
            shared_under_duty=payload.shared_under_duty,
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _staff_out(access, policy.consents_for(access).filter(pk=consent.pk))[0])


@router.post(
    "/consents/{int:consent_id}/withdraw",
    response={200: ConsentOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(WithdrawIn),
    url_name=WITHDRAW,
    summary="Återkalla samtycke",
    description="Registrerar att en part har återkallat samtycket; det upphör direkt. Bara myndigheten som "
    "begärde samtycket.",
)
@rule(CHILD_DATA)
def consent_withdraw(request: HttpRequest, consent_id: int):
    who = actor(request)
    target = f"api:{WITHDRAW}"
    access, consent = policy.consent_for_user(
        request.auth, consent_id, actor=who, surface=SURFACE, target=target, manage=True
    )
    payload, refused = parse_body(WithdrawIn, request)
    if refused is not None:
        return refused
    party = consent.parties.filter(pk=payload.party_id).first()
    via = services.Via(user=request.auth, actor=who, surface=SURFACE, target=target)
    try:
        services.consent_withdraw(consent=consent, party=party, note=payload.note, via=via)
    except PermissionDenied:
        return _invalid(ValidationError({"party_id": [services.NEEDS_PARTY]}))
    except ValidationError as exc:
        return _invalid(exc)
    return _staff_out(access, policy.consents_for(access).filter(pk=consent.pk))[0]


def _family_out(child, user) -> list[dict]:
    out = []
    for row in selectors.family_rows(child, user):
        out.append(_out(row.row, [name for name, _answer in row.answers]))
    return out


@router.get(
    "/family/consents",
    response={200: list[ConsentOut], 401: Error},
    url_name=FAMILY_LIST,
    summary="Mina barns samtycken",
    description="Alla samtycken för de barn du har vårdnad om (eller om dig själv). Andra vårdnadshavare namnges inte.",
)
@rule(FAMILY_DATA)
def family_consents(request: HttpRequest):
    who = actor(request)
    out = []
    for child in family_children(request.auth).order_by("family_name", "given_name"):
        access = family_child_for_user(request.auth, child.pk, actor=who, surface=SURFACE, target=f"api:{FAMILY_LIST}")
        out += _family_out(access.child, request.auth)
    return out


@router.post(
    "/family/consents/{int:consent_id}/answer",
    response={200: ConsentOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(AnswerIn),
    url_name=FAMILY_ANSWER,
    summary="Svara på en begäran om samtycke",
    description="Ditt eget svar (given eller declined), eller barnets inställning (view) under samtyckesåldern.",
)
@rule(FAMILY_DATA)
def family_consent_answer(request: HttpRequest, consent_id: int):
    who = actor(request)
    target = f"api:{FAMILY_ANSWER}"
    access, consent = policy.family_consent_for_user(
        request.auth, consent_id, actor=who, surface=SURFACE, target=target
    )
    payload, refused = parse_body(AnswerIn, request)
    if refused is not None:
        return refused
    via = services.Via(user=request.auth, actor=who, surface=SURFACE, target=target, basis=access.basis)
    try:
        services.consent_answer(consent=consent, decision=payload.decision, view=payload.view, via=via)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return _invalid(exc)
    return next(row for row in _family_out(access.child, request.auth) if row["id"] == consent_id)

"""Disclosure decisions: the user's own authority's decisions about a child, and a manager's new decision."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, invalid, parse_body
from api.schemas import Error, Id, Invalid
from core.access import CHILD_DATA
from organisations.models import Authority
from sharing import policy
from sharing.models import DisclosureDecision
from sharing.services import disclosures as services

SURFACE = "api"
NAME = "child_disclosures"  # one name for the path: GET lists, POST creates
LIST = "disclosure_list"
CREATE = "disclosure_create"

router = Router(tags=["Beslut om utlämnande"])


class DisclosureIn(Schema):
    owner_authority_id: Id = Field(description="Din myndighet, som äger uppgifterna.")
    outcome: str = Field(description="disclose (lämna ut) eller refuse (lämna inte ut).")
    legal_basis: str = Field("", description="Krävs för disclose: osl_10_2, osl_10_28, osl_10_18a eller harm_test.")
    categories: list[str] = Field(description="Kategorier, t.ex. education, health, social.")
    recipient_ids: list[Id] = Field(description="Mottagande myndigheter (inte din egen).")
    valid_until: date = Field(description="Sista dag beslutet gäller; alltid en begränsad tid.")
    purpose: str = Field(max_length=5000)
    necessary: str = Field(max_length=5000, description="Varför det är (eller inte är) nödvändigt.")
    relevant: str = Field(max_length=5000, description="Varför uppgifterna är relevanta för syftet.")
    proportionate: str = Field(max_length=5000, description="Varför det är proportionerligt.")


class DisclosureOut(Schema):
    id: int
    owner_authority: str
    outcome: str
    legal_basis: str
    categories: list[str]
    recipients: list[str]
    purpose: str
    necessary: str
    relevant: str
    proportionate: str
    valid_from: datetime
    valid_until: datetime
    decided_at: datetime
    revoked_at: datetime | None
    in_force: bool = Field(description="Sant när beslutet att lämna ut gäller just nu.")


def _out(decision: DisclosureDecision) -> dict:
    return {
        "id": decision.pk,
        "owner_authority": decision.owner_authority.name,
        "outcome": decision.outcome,
        "legal_basis": decision.legal_basis,
        "categories": sorted(row.category for row in decision.categories.all()),
        "recipients": sorted(recipient.name for recipient in decision.recipients.all()),
        "purpose": decision.purpose,
        "necessary": decision.necessary,
        "relevant": decision.relevant,
        "proportionate": decision.proportionate,
        "valid_from": decision.valid_from,
        "valid_until": decision.valid_until,
        "decided_at": decision.decided_at,
        "revoked_at": decision.revoked_at,
        "in_force": services.is_revocable(decision) and decision.valid_from <= timezone.now(),
    }


def _decisions(access):
    return (
        policy.own_authority_rows(access, DisclosureDecision.objects.all())
        .select_related("owner_authority")
        .prefetch_related("categories", "recipients")
    )


@router.get(
    "/children/{uuid:child_id}/disclosures",
    response={200: list[DisclosureOut], 401: Error, 404: Error},
    url_name=NAME,
    summary="Beslut om utlämnande",
    description="Din egen myndighets beslut att lämna ut, eller inte lämna ut, uppgifter om barnet utan samtycke.",
)
@rule(CHILD_DATA)
def disclosure_list(request: HttpRequest, child_id: UUID):
    access = policy.child_for_user(request.auth, child_id, actor=actor(request), surface=SURFACE, target=f"api:{LIST}")
    return [_out(decision) for decision in _decisions(access).order_by("-decided_at", "-pk")]


@router.post(
    "/children/{uuid:child_id}/disclosures",
    response={201: DisclosureOut, 401: Error, 403: Error, 404: Error, 422: Invalid},
    url_name=NAME,
    openapi_extra=body_schema(DisclosureIn),
    summary="Nytt beslut om utlämnande",
    description="Bara en chef vid myndigheten som äger uppgifterna. Ett beslut att inte lämna ut registreras på "
    "samma sätt, med skälen.",
)
@rule(CHILD_DATA)
def disclosure_create(request: HttpRequest, child_id: UUID):
    who = actor(request)
    access = policy.child_for_user(request.auth, child_id, actor=who, surface=SURFACE, target=f"api:{CREATE}")
    payload, refused = parse_body(DisclosureIn, request)
    if refused is not None:
        return refused
    owner = Authority.objects.filter(pk=payload.owner_authority_id).first()
    if owner is None or not policy.deciding_authorities(request.auth).filter(pk=owner.pk).exists():
        return Status(403, {"detail": str(services.NOT_A_DECIDER)})
    recipients = list(Authority.objects.filter(pk__in=payload.recipient_ids))
    if len(recipients) != len(set(payload.recipient_ids)):
        return invalid(ValidationError({"recipient_ids": [services.NEEDS_RECIPIENTS]}))
    try:
        decision = services.disclosure_decide(
            access=access,
            user=request.auth,
            owner_authority=owner,
            outcome=payload.outcome,
            legal_basis=payload.legal_basis,
            categories=payload.categories,
            recipients=recipients,
            purpose=payload.purpose,
            necessary=payload.necessary,
            relevant=payload.relevant,
            proportionate=payload.proportionate,
            valid_until=payload.valid_until,
            actor=who,
            surface=SURFACE,
            target=f"api:{CREATE}",
        )
    except PermissionDenied:
        return Status(403, {"detail": str(services.NOT_A_DECIDER)})
    except ValidationError as exc:
        return invalid(exc)
    return Status(201, _out(_decisions(access).get(pk=decision.pk)))

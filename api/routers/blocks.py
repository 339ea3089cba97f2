"""Blocks (spärr): the user's own authority's blocks on a child, a manager placing one, and lifting one."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, invalid, parse_body
from api.schemas import Error, Id, Invalid
from core.access import CHILD_DATA
from sharing import policy, selectors
from sharing.forms.blocks import BlockLiftForm
from sharing.models import Block
from sharing.services import blocks as services

SURFACE = "api"
NAME = "child_blocks"  # one name for the path: GET lists, POST places
LIST = "block_list"
PLACE = "block_place"
LIFT = "block_lift"

FORBIDDEN = _(
    "Bara en chef vid myndigheten som äger uppgifterna kan spärra eller häva en spärr. Vänd dig till din chef."
)
NOT_YOUR_AUTHORITY = _("Välj en myndighet där du är chef. Bara myndigheten som äger uppgifterna kan spärra dem.")

router = Router(tags=["Spärrar"])


class BlockIn(Schema):
    owner_authority_id: Id = Field(description="Din myndighet, som äger uppgifterna och där du är chef.")
    category: str = Field(description="Kategori som spärras, t.ex. education, health eller social.")
    ground: str = Field(description="child_request (barnets begäran) eller law (stöd i lag).")
    reason: str = Field(max_length=5000, description="Varför uppgifterna inte ska delas.")


class BlockLiftIn(Schema):
    lift_reason: str = Field(max_length=2000, description="Varför spärren hävs.")
    password: str = Field(max_length=200, description="Ditt lösenord, för att bekräfta att det är du.")
    code: str = Field(max_length=20, description="En ny engångskod från appen; varje kod gäller en gång.")


class BlockAuthority(Schema):
    id: int
    name: str


class BlockOut(Schema):
    id: int
    owner_authority: BlockAuthority
    category: str
    ground: str
    reason: str
    created_by: str
    created_at: datetime
    active: bool = Field(description="Sant så länge spärren gäller.")
    lifted_at: datetime | None
    lifted_by: str | None
    lift_reason: str
    may_lift: bool = Field(description="Sant när spärren gäller och du är chef vid myndigheten som äger den.")


def _out(block: Block, deciding_ids: set[int]) -> dict:
    active = block.lifted_at is None
    return {
        "id": block.pk,
        "owner_authority": {"id": block.owner_authority_id, "name": block.owner_authority.name},
        "category": block.category,
        "ground": block.ground,
        "reason": block.reason,
        "created_by": block.created_by.get_full_name(),
        "created_at": block.created_at,
        "active": active,
        "lifted_at": block.lifted_at,
        "lifted_by": block.lifted_by.get_full_name() if block.lifted_by else None,
        "lift_reason": block.lift_reason,
        "may_lift": active and block.owner_authority_id in deciding_ids,
    }


def _blocks(access: policy.ChildAccess):
    # Only the owning authority learns that a block exists: others get an empty list, as on the page.
    return policy.own_authority_rows(access, Block.objects.all()).select_related(
        "owner_authority", "created_by", "lifted_by"
    )


def _deciding_ids(user) -> set[int]:
    return set(policy.deciding_authorities(user).values_list("pk", flat=True))


def _refused(form) -> Status:
    errors = [
        {"loc": ["body", "payload", *([field] if field != "__all__" else [])], "msg": message, "type": "invalid"}
        for field, messages in form.errors.items()
        for message in messages
    ]
    # A response, not an exception: failed codes counted towards the lockout must commit.
    return Status(422, {"detail": errors[0]["msg"], "errors": errors})


@router.get(
    "/children/{uuid:child_id}/blocks",
    response={200: list[BlockOut], 401: Error, 404: Error},
    url_name=NAME,
    summary="Spärrar",
    description="Din egen myndighets spärrar på barnets uppgifter, gällande först. Andra myndigheters spärrar "
    "visas aldrig: bara myndigheten som äger uppgifterna får veta att en spärr finns.",
)
@rule(CHILD_DATA)
def block_list(request: HttpRequest, child_id: UUID):
    access = policy.child_for_user(request.auth, child_id, actor=actor(request), surface=SURFACE, target=f"api:{LIST}")
    deciding_ids = _deciding_ids(request.auth)
    rows = _blocks(access).order_by(*selectors.BLOCK_ORDER)
    return [_out(block, deciding_ids) for block in rows]


@router.post(
    "/children/{uuid:child_id}/blocks",
    response={201: BlockOut, 401: Error, 403: Error, 404: Error, 422: Invalid},
    url_name=NAME,
    openapi_extra=body_schema(BlockIn),
    summary="Ny spärr",
    description="Bara en chef vid myndigheten som äger uppgifterna. Spärren stänger kategorin för alla utanför "
    "myndigheten, även där samtycke, beslut om utlämnande eller nödåtkomst annars skulle öppna den.",
)
@rule(CHILD_DATA)
def block_place(request: HttpRequest, child_id: UUID):
    who = actor(request)
    access = policy.child_for_user(request.auth, child_id, actor=who, surface=SURFACE, target=f"api:{PLACE}")
    deciding = policy.deciding_authorities(request.auth)
    # A user who decides for no authority is refused before the body is read, like the page's 403.
    if not deciding.exists():
        return Status(403, {"detail": str(FORBIDDEN)})
    payload, refused = parse_body(BlockIn, request)
    if refused is not None:
        return refused
    owner = deciding.filter(pk=payload.owner_authority_id).first()
    if owner is None:
        return invalid(ValidationError({"owner_authority_id": [NOT_YOUR_AUTHORITY]}))
    try:
        block = services.block_place(
            access=access,
            user=request.auth,
            owner_authority=owner,
            category=payload.category,
            ground=payload.ground,
            reason=payload.reason,
            actor=who,
            surface=SURFACE,
            target=f"api:{PLACE}",
        )
    except PermissionDenied:
        return Status(403, {"detail": str(FORBIDDEN)})
    except ValidationError as exc:
        return invalid(exc)
    return Status(201, _out(_blocks(access).get(pk=block.pk), _deciding_ids(request.auth)))


@router.post(
    "/children/{uuid:child_id}/blocks/{int:block_id}/lift",
    response={200: BlockOut, 401: Error, 404: Error, 422: Invalid},
    url_name=LIFT,
    openapi_extra=body_schema(BlockLiftIn),
    summary="Häv spärr",
    description="Bara en chef vid myndigheten som äger uppgifterna, och bara en spärr som gäller; andra svarar "
    "404. På sidan kräver det att du bekräftar dig på nytt. En API-nyckel visar bara att någon har nyckeln, så "
    "här gäller samma krav i själva anropet: ditt lösenord och en ny engångskod från appen, prövade precis som "
    "när du bekräftar dig på sidan (varje kod gäller en gång, och misslyckade försök räknas mot samma spärr av "
    "inloggningen). Anropet häver spärren bara om allt stämmer; annars ändras ingenting.",
)
@rule(CHILD_DATA)
def block_lift(request: HttpRequest, child_id: UUID, block_id: int):
    who = actor(request)
    access = policy.child_for_user(request.auth, child_id, actor=who, surface=SURFACE, target=f"api:{LIFT}")
    # Only an active block of an authority the user decides for; any other is the same 404 as a missing one.
    active = policy.own_authority_rows(access, Block.objects.filter(lifted_at__isnull=True)).filter(
        owner_authority__in=policy.deciding_authorities(request.auth)
    )
    block = get_object_or_404(active, pk=block_id)
    payload, refused = parse_body(BlockLiftIn, request)
    if refused is not None:
        return refused
    data = {"lift_reason": payload.lift_reason, "password": payload.password, "code": payload.code}
    form = BlockLiftForm(request.auth, data, request=request)
    if not form.is_valid():
        return _refused(form)
    try:
        services.block_lift(
            access=access,
            block=block,
            user=request.auth,
            lift_reason=form.cleaned_data["lift_reason"],
            reauthenticated_at=timezone.now(),  # password and code verified just above, in this request
            actor=who,
            surface=SURFACE,
            target=f"api:{LIFT}",
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _refused(form)
    return _out(_blocks(access).get(pk=block.pk), _deciding_ids(request.auth))

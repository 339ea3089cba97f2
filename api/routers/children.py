"""Children: the user's list, one child, and look-up by personal number."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from api import present, selectors
from api.access import rule
from api.auth import actor
from api.body import body_schema, parse_body
from api.schemas import ChildDetail, ChildPage, ChildSummary, Error, Invalid, LookupIn, page_limit, page_offset
from audit import log as audit
from core import personnummer
from core.access import CHILD_DATA
from sharing import policy

SURFACE = "api"
LIST = "children_list"
DETAIL = "child_detail"
LOOKUP = "child_lookup"
DEFAULT_LIMIT = 25
MAX_LIMIT = 100

FORBIDDEN_LOOKUP = _(
    "Din roll får inte söka barn på personnummer. Be barnets namngivna person eller en socialsekreterare om hjälp."
)
NO_REASON = _("Ange varför du söker barnet. Skälet sparas i loggen.")
NOT_FOUND_BY_NUMBER = _(
    "Inget barn som du har tillgång till har det numret. Kontrollera numret, eller be barnets namngivna person om "
    "tillgång."
)

router = Router(tags=["Barn"])


@router.get(
    "/children",
    response={200: ChildPage, 401: Error, 422: Invalid},
    url_name=LIST,
    summary="Mina barn",
    description="Barn som du har en aktiv relation till, sorterade på namn. Barn med skyddade personuppgifter "
    "som du saknar behov av att känna igen visas bara med id, sist i listan, och matchar aldrig en namnsökning.",
)
@rule(CHILD_DATA)
def children_list(
    request: HttpRequest,
    q: str = Query("", max_length=100, description="Sök på för- eller efternamn (alla ord måste matcha)."),
    limit: int = page_limit(DEFAULT_LIMIT, MAX_LIMIT),
    offset: int = page_offset(),
):
    user = request.auth
    children = selectors.children_for_api(user, on=policy.today(), search=q)
    page = list(children[offset : offset + limit])
    who = actor(request)
    for child in page:
        # One row per child shown, so each child's log extract names this call.
        audit.record(
            actor=who,
            action="read",
            surface=SURFACE,
            target=f"api:{LIST}",
            basis=child.basis,
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
        )
    items = [present.child_summary(child, identity_shown=child.identity_shown) for child in page]
    return {"count": children.count(), "limit": limit, "offset": offset, "items": items}


@router.get(
    "/children/{uuid:child_id}",
    response={200: ChildDetail, 401: Error, 404: Error},
    url_name=DETAIL,
    summary="Ett barn",
    description="Barnets identitet. Personnummer och kontaktuppgifter visas inte för barn med skyddade "
    "personuppgifter om du saknar behov. Ett barn du inte har tillgång till svarar 404, precis som ett som inte finns.",
)
@rule(CHILD_DATA)
def child_detail(request: HttpRequest, child_id: UUID):
    access = policy.child_for_user(
        request.auth, child_id, actor=actor(request), surface=SURFACE, target=f"api:{DETAIL}"
    )
    return present.child_detail(access, policy.contact_details_for(access))


@router.post(
    "/children/lookup",
    response={200: ChildSummary, 401: Error, 403: Error, 404: Error, 422: Invalid},
    url_name=LOOKUP,
    openapi_extra=body_schema(LookupIn),
    summary="Sök barn på personnummer",
    description="Bara för roller som behöver det (barnmorska, BVC-sjuksköterska, rektor, socialsekreterare). "
    "Ett skäl krävs och varje sökning loggas. Numret skickas aldrig tillbaka.",
)
@rule(CHILD_DATA)
def child_lookup(request: HttpRequest):
    user = request.auth
    # Read first, as before: a malformed body answers 422 whoever sends it.
    payload, refused = parse_body(LookupIn, request)
    if refused is not None:
        return refused
    if not policy.has_role(user, policy.LOOKUP_ROLES):
        return Status(403, {"detail": str(FORBIDDEN_LOOKUP)})
    if not payload.reason.strip():
        return _invalid("reason", str(NO_REASON), "missing")
    try:
        personnummer.parse(payload.number)
    except ValidationError as exc:
        # The message says what is wrong with the number; it never repeats the number itself.
        return _invalid("number", exc.messages[0], exc.code or "invalid")
    on = policy.today()
    child = policy.lookup_child_by_number(
        user, payload.number, reason=payload.reason, actor=actor(request), surface=SURFACE, target=f"api:{LOOKUP}"
    )
    if child is None:
        # A response, not an exception: the look-up's audit row must commit.
        return Status(404, {"detail": str(NOT_FOUND_BY_NUMBER)})
    listed = selectors.children_for_api(user, on=on).get(pk=child.pk)
    return Status(200, present.child_summary(listed, identity_shown=listed.identity_shown))


def _invalid(field: str, message: str, code: str) -> Status:
    return Status(
        422, {"detail": message, "errors": [{"loc": ["body", "payload", field], "msg": message, "type": code}]}
    )

"""The family view over the API: a guardian's or child's own children, their named person and log extract.

Family users get bearer tokens like staff (Konto → API-nycklar), for apps that act on their behalf.
Every operation loads children through sharing.policy.family_children / family_child_for_user, so a
staff user without a family relation, and any other family, gets 404.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema

from api.access import rule
from api.auth import actor
from api.schemas import Error, Invalid, page_limit, page_offset
from audit import log as audit
from core.access import FAMILY_DATA
from family import selectors
from family.access import family_child_for_user, family_children
from sharing import policy

SURFACE = "api"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500

router = Router(tags=["Familj"])


class FamilyChild(Schema):
    id: UUID
    given_name: str
    family_name: str
    birth_date: date
    basis: str = Field(description="guardian (vårdnadshavare med vårdnad) eller child_self (barnet självt).")


class NamedPersonContact(Schema):
    name: str
    title: str
    unit: str = Field(description="Arbetsplatsen.")
    phone: str
    email: str


class FamilyChildDetail(FamilyChild):
    named_person: NamedPersonContact | None = Field(description="Barnets namngivna person i dag, eller null.")


class LogEntry(Schema):
    at: datetime
    who: str = Field(description="Användaren; vårdnadshavare och barn visas utan namn.")
    unit: str
    authority: str
    action: str
    surface: str
    basis: str = Field(description="Grund för åtkomst, i ord.")
    emergency: bool = Field(description="Läsningen gjordes med nödåtkomst.")


class LogPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LogEntry]


def _child(child, basis: str) -> dict:
    return {
        "id": child.pk,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "birth_date": child.birth_date,
        "basis": basis,
    }


@router.get(
    "/family/children",
    response={200: list[FamilyChild], 401: Error},
    url_name="family_children",
    summary="Mina barn (familjevyn)",
    description="Barn du har vårdnad om, och du själv om du är barn och har nått kommunens ålder för inloggning.",
)
@rule(FAMILY_DATA)
def children(request: HttpRequest):
    who = actor(request)
    items = []
    for child in family_children(request.auth).order_by("family_name", "given_name"):
        basis = policy.family_basis(child, request.auth)
        audit.record(
            actor=who,
            action="read",
            surface=SURFACE,
            target="api:family_children",
            basis=basis,
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
        )
        items.append(_child(child, basis))
    return items


@router.get(
    "/family/children/{uuid:child_id}",
    response={200: FamilyChildDetail, 401: Error, 404: Error},
    url_name="family_child",
    summary="Barnet och dess namngivna person (familjevyn)",
)
@rule(FAMILY_DATA)
def child(request: HttpRequest, child_id: UUID):
    access = family_child_for_user(
        request.auth, child_id, actor=actor(request), surface=SURFACE, target="api:family_child"
    )
    contact = selectors.named_person(access.child, on=access.on)
    return {**_child(access.child, access.basis), "named_person": contact.__dict__ if contact else None}


@router.get(
    "/family/children/{uuid:child_id}/log",
    response={200: LogPage, 401: Error, 404: Error, 422: Invalid},
    url_name="family_child_log",
    summary="Loggutdrag (familjevyn)",
    description="Vem som har läst eller ändrat barnets uppgifter, senaste först. Att du läser loggen loggas också.",
)
@rule(FAMILY_DATA)
def child_log(
    request: HttpRequest,
    child_id: UUID,
    limit: int = page_limit(DEFAULT_LIMIT, MAX_LIMIT),
    offset: int = page_offset(),
):
    access = family_child_for_user(
        request.auth, child_id, actor=actor(request), surface=SURFACE, target="api:family_child_log"
    )
    events = policy.family_log_events(access)
    page = list(events[offset : offset + limit])
    items = [
        {
            **{key: getattr(row, key) for key in ("at", "who", "unit", "authority", "action", "surface", "basis")},
            "emergency": event.basis.startswith(selectors.EMERGENCY_PREFIX),
        }
        for event, row in zip(page, selectors.family_rows(page), strict=True)
    ]
    return {"count": events.count(), "limit": limit, "offset": offset, "items": items}

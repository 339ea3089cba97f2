"""A child's named persons, current and earlier."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from api import present
from api.access import rule
from api.auth import actor
from api.schemas import Error, NamedPerson
from core.access import CHILD_DATA
from namedperson.models import Assignment
from sharing import policy

SURFACE = "api"
NAME = "child_named_persons"

router = Router(tags=["Barn"])


@router.get(
    "/children/{uuid:child_id}/named-persons",
    response={200: list[NamedPerson], 401: Error, 404: Error},
    url_name=NAME,
    summary="Barnets namngivna personer",
    description="Hela historiken, nyaste först. För barn med skyddade personuppgifter döljs person och enhet "
    "utanför dina egna enheter om du saknar behov.",
)
@rule(CHILD_DATA)
def child_named_persons(request: HttpRequest, child_id: UUID):
    access = policy.child_for_user(request.auth, child_id, actor=actor(request), surface=SURFACE, target=f"api:{NAME}")
    rows = policy.records_for_user(access, Assignment.objects.select_related("person", "unit__authority"))
    rows = list(rows.order_by("-start", "-pk"))
    policy.log_shared_reads(rows, actor=actor(request), surface=SURFACE, target=f"api:{NAME}", access=access)
    return [present.named_person(access, row) for row in rows]

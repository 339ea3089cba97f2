"""A child's enrolments in units (preschool, school, BVC listing ...)."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from api import present
from api.access import rule
from api.auth import actor
from api.schemas import Enrolment, Error
from core.access import CHILD_DATA
from people.models import Enrolment as EnrolmentModel
from sharing import policy

SURFACE = "api"
NAME = "child_enrolments"

router = Router(tags=["Barn"])


@router.get(
    "/children/{uuid:child_id}/enrolments",
    response={200: list[Enrolment], 401: Error, 404: Error},
    url_name=NAME,
    summary="Barnets inskrivningar",
    description="Inskrivningar som din myndighet äger. För barn med skyddade personuppgifter döljs andra "
    "enheter än dina egna om du saknar behov.",
)
@rule(CHILD_DATA)
def child_enrolments(request: HttpRequest, child_id: UUID):
    access = policy.child_for_user(request.auth, child_id, actor=actor(request), surface=SURFACE, target=f"api:{NAME}")
    rows = policy.records_for_user(access, EnrolmentModel.objects.select_related("unit__authority"))
    rows = list(rows.order_by("-start", "-pk"))
    policy.log_shared_reads(rows, actor=actor(request), surface=SURFACE, target=f"api:{NAME}", access=access)
    return [present.enrolment(access, row) for row in rows]

"""Reports of concern (orosanmälan): file one about a child, and the reporter's own receipts."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from api.access import rule
from api.auth import actor
from api.body import body_schema, invalid, parse_body
from api.schemas import Error, Id, Invalid, page_limit, page_offset
from audit import log as audit
from core.access import CHILD_DATA
from sharing import policy
from sharing.services import reports as services

SURFACE = "api"
FILE = "report_file"
MINE = "report_receipts"
DEFAULT_LIMIT = 25
MAX_LIMIT = 100


router = Router(tags=["Orosanmälan"])


class ReportIn(Schema):
    to_unit_id: Id = Field(description="Socialtjänstens enhet i barnets kommun som ska få anmälan.")
    what_happened: str = Field(max_length=10000, description="Vad du har sett eller hört, när och var.")
    child_words: str = Field("", max_length=5000, description="Barnets egna ord, om barnet har sagt något.")
    immediate_danger: bool = Field(False, description="Barnet är i akut fara. Ring 112 först.")
    guardians_informed: bool = Field(description="Om vårdnadshavarna har fått veta om anmälan.")
    not_informed_reason: str = Field("", max_length=2000, description="Krävs om de inte har fått veta: varför.")


class Receipt(Schema):
    receipt_number: int = Field(description="Kvittonummer.")
    created_at: datetime
    child_id: UUID
    child_name: str | None = Field(description="Tomt för barn med skyddade personuppgifter.")
    to_unit: str
    what_happened: str
    child_words: str
    immediate_danger: bool
    guardians_informed: bool
    not_informed_reason: str
    feedback: str = Field(description="pending, opened, not_opened eller already_open.")
    feedback_at: datetime | None


def _receipt(report) -> dict:
    child = report.child
    return {
        "receipt_number": report.pk,
        "created_at": report.created_at,
        "child_id": child.pk,
        "child_name": child.listed_name,
        "to_unit": report.to_unit.name,
        "what_happened": report.what_happened,
        "child_words": report.child_words,
        "immediate_danger": report.immediate_danger,
        "guardians_informed": report.guardians_informed,
        "not_informed_reason": report.not_informed_reason,
        "feedback": report.feedback,
        "feedback_at": report.feedback_at,
    }


@router.post(
    "/children/{uuid:child_id}/reports",
    response={201: Receipt, 401: Error, 404: Error, 422: Invalid},
    url_name=FILE,
    openapi_extra=body_schema(ReportIn),
    summary="Gör en orosanmälan",
    description="Anmälan blir socialtjänstens handling. Du får ett kvitto och besked om utredning, inte tillgång "
    "till utredningen. Kräver en relation till barnet; annars 404, precis som för ett barn som inte finns.",
)
@rule(CHILD_DATA)
def report_file(request: HttpRequest, child_id: UUID):
    who = actor(request)
    access = policy.child_for_user(request.auth, child_id, actor=who, surface=SURFACE, target=f"api:{FILE}")
    payload, refused = parse_body(ReportIn, request)
    if refused is not None:
        return refused
    to_unit = services.receiving_units(access.child).filter(pk=payload.to_unit_id).first()
    if to_unit is None:
        return invalid(ValidationError({"to_unit_id": [services.NOT_RECEIVING]}))
    try:
        report = services.report_of_concern_file(
            access=access,
            reporter=request.auth,
            to_unit=to_unit,
            what_happened=payload.what_happened,
            child_words=payload.child_words,
            immediate_danger=payload.immediate_danger,
            guardians_informed=payload.guardians_informed,
            not_informed_reason=payload.not_informed_reason,
            actor=who,
            surface=SURFACE,
            target=f"api:{FILE}",
        )
    except ValidationError as exc:
        return invalid(exc)
    return Status(201, _receipt(report))


@router.get(
    "/reports/mine",
    response={200: list[Receipt], 401: Error, 422: Invalid},
    url_name=MINE,
    summary="Mina orosanmälningar",
    description="Kvitton på dina egna anmälningar med socialtjänstens besked, nyast först. Inget annat som "
    "socialtjänsten har om barnet.",
)
@rule(CHILD_DATA)
def report_receipts(
    request: HttpRequest,
    limit: int = page_limit(DEFAULT_LIMIT, MAX_LIMIT),
    offset: int = page_offset(),
):
    reports = policy.reports_filed_by(request.auth).select_related("child", "to_unit").order_by("-created_at", "-pk")
    page = list(reports[offset : offset + limit])
    who = actor(request)
    for report in page:
        audit.record(
            actor=who,
            action="read",
            surface=SURFACE,
            target=f"api:{MINE}",
            basis=policy.Basis.RECEIPT,
            child_id=report.child_id,
            record_type="ReportOfConcern",
            record_id=str(report.pk),
        )
    return [_receipt(report) for report in page]

"""Team meetings over the API: series, meetings (with their agenda and outcomes), new series, meetings,
items, identified cases and outcomes, the consent-barrier figures and a guardian's reason. Shared with
the team's current members only, under the same policy and audit as the pages: identified cases come
through `policy.team_case_items`, each read logged with the meeting as target; anything else is 404,
the same as a missing id.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import WithJsonSchema

from api.access import rule
from api.auth import actor
from api.body import body_schema, invalid, parse_body
from api.schemas import Error, Id, Invalid
from core.access import AUTHENTICATED, CHILD_DATA
from meetings import selectors, services
from meetings.models import CaseItem, Meeting, MeetingSeries
from sharing import display, policy
from teams import selectors as team_selectors
from teams import services as team_services
from teams.models import Team

SURFACE = "api"
router = Router(tags=["Teammöten"])


# A time of day without a zone (the meeting's local time), as "13:00:00": JSON Schema's "time" format
# would demand a UTC offset, which a meeting's wall-clock time does not have.
LocalTime = Annotated[
    time,
    WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "description": "Lokal tid."}),
]


class SeriesOut(Schema):
    id: int
    title: str
    frequency: str = Field(description="weekly eller monthly.")
    weekday: int = Field(description="0 = måndag.")
    ordinal: int | None = Field(description="Vilken veckodag i månaden: 1–4, eller -1 för den sista.")
    starts_at: LocalTime
    ends_at: LocalTime
    place: str
    video_link: str
    first_date: date


class MeetingOut(Schema):
    id: int
    series_id: int | None
    date: date
    starts_at: LocalTime
    ends_at: LocalTime
    place: str
    video_link: str
    minutes_approved_at: datetime | None


class AttendeeOut(Schema):
    name: str
    authority: str


class ItemOut(Schema):
    id: int
    kind: str = Field(description="anonymous eller theme. Punkten har aldrig någon koppling till ett barn.")
    title: str
    age_band: str
    gender: str
    theme_kind: str
    situation: str
    question: str


class CaseOut(Schema):
    id: int
    child_id: UUID
    child_name: str | None = Field(description="Null för ett barn med skyddade personuppgifter.")
    raised_by_authority: str
    category: str
    summary: str
    question: str


class OutcomeOut(Schema):
    id: int
    item_id: int | None
    kind: str
    text: str
    owner: str | None
    due_on: date | None
    done_on: date | None


class MeetingDetailOut(MeetingOut):
    attendance: list[AttendeeOut]
    items: list[ItemOut]
    cases: list[CaseOut] = Field(description="Ärenden med samtycke som du får läsa nu; varje läsning loggas.")
    cases_not_shown: int = Field(description="Ärenden vars samtycke inte längre gäller eller inte omfattar dig.")
    outcomes: list[OutcomeOut]
    carried_actions: list[OutcomeOut] = Field(description="Öppna åtgärder från teamets tidigare möten.")


class ItemIn(Schema):
    kind: Literal["anonymous", "theme"]
    title: str = Field(max_length=200, description="Inget som kan identifiera ett barn.")
    age_band: Literal["", "0-1", "1-3", "3-6", "6-9", "10-12", "13-15", "16-18"] = ""
    gender: Literal["", "girl", "boy", "other"] = ""
    theme_kind: Literal["", "knowledge", "training", "system"] = ""
    situation: str = Field(max_length=4000)
    question: str = Field(default="", max_length=2000)


class OutcomeIn(Schema):
    kind: Literal["advice", "decision", "action"]
    text: str = Field(max_length=2000)
    item_id: Id | None = None
    owner_id: Id | None = Field(default=None, description="En av teamets nuvarande medlemmar (krävs för en åtgärd).")
    due_on: date | None = Field(default=None, description="Krävs för en åtgärd.")


class SeriesIn(Schema):
    title: str = Field(max_length=200)
    frequency: Literal["weekly", "monthly"]
    weekday: int = Field(ge=0, le=4, description="0 = måndag … 4 = fredag.")
    ordinal: Literal[1, 2, 3, 4, -1] | None = Field(default=None, description="Krävs för monthly.")
    starts_at: LocalTime
    ends_at: LocalTime
    place: str = Field(default="", max_length=200)
    video_link: str = Field(default="", max_length=200)
    first_date: date


class MeetingIn(Schema):
    date: date
    starts_at: LocalTime
    ends_at: LocalTime
    place: str = Field(default="", max_length=200)
    video_link: str = Field(default="", max_length=200)


class CaseIn(Schema):
    child_id: UUID = Field(description="Ett barn du ser, med ett samtycke som gäller i dag och nämner teamet.")
    category: str = Field(max_length=30, description="En kategori som samtycket omfattar.")
    summary: str = Field(max_length=4000)
    question: str = Field(default="", max_length=2000)


class ReasonIn(Schema):
    reason: Literal["social_services", "too_many", "not_needed", "handled", "other"]
    text: str = Field(default="", max_length=2000, description="Vårdnadshavarens egna ord, om de ville ge några.")


class ReasonOut(Schema):
    consent_id: int
    reason: str
    text: str


class FiguresOut(Schema):
    requests: int
    given: int
    declined: int
    no_answer: int
    waiting: int


class BarrierOut(Schema):
    start: date
    end: date
    no_answer_days: int
    all: FiguresOut
    with_social_services: FiguresOut
    without_social_services: FiguresOut


def _via(request: HttpRequest, target: str) -> services.Via:
    return services.Via(user=request.auth, actor=actor(request), surface=SURFACE, target=target)


def _team(request: HttpRequest, team_id: int) -> Team:
    team = team_selectors.team_for(request.auth, team_id)
    if team is None or policy.meeting_member(request.auth, team) is None:
        raise Http404
    return team


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("team").filter(pk=meeting_id).first()
    if meeting is None or policy.meeting_member(request.auth, meeting.team) is None:
        raise Http404
    return meeting


def _meeting_out(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "series_id": meeting.series_id,
        "date": meeting.date,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "video_link": meeting.video_link,
        "minutes_approved_at": meeting.approved_at,
    }


def _name(user) -> str:
    return user.get_full_name() or user.username


def _outcome_out(outcome) -> dict:
    return {
        "id": outcome.pk,
        "item_id": outcome.item_id,
        "kind": outcome.kind,
        "text": outcome.text,
        "owner": _name(outcome.owner) if outcome.owner else None,
        "due_on": outcome.due_on,
        "done_on": outcome.done_on,
    }


def _case_out(case: CaseItem) -> dict:
    return {
        "id": case.pk,
        "child_id": case.child_id,
        "child_name": display.listed_name(case.child),
        "raised_by_authority": case.owner_authority.name,
        "category": case.category,
        "summary": case.summary,
        "question": case.question,
    }


def _refused(exc: ValidationError, field: str = "meeting"):
    return invalid(exc if hasattr(exc, "error_dict") else ValidationError({field: exc.messages}))


def _item_out(item) -> dict:
    fields = ("id", "kind", "title", "age_band", "gender", "theme_kind", "situation", "question")
    return {name: getattr(item, name) for name in fields}


@router.get(
    "/teams/{int:team_id}/meeting-series",
    response={200: list[SeriesOut], 401: Error, 404: Error},
    url_name="team_meeting_series",
    summary="Teamets mötesserier",
)
@rule(AUTHENTICATED)
def series_list(request: HttpRequest, team_id: int):
    team = _team(request, team_id)
    return list(MeetingSeries.objects.filter(team=team).order_by("pk"))


@router.post(
    "/teams/{int:team_id}/meeting-series",
    response={201: SeriesOut, 401: Error, 403: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(SeriesIn),
    url_name="team_meeting_series_create",
    summary="Ny mötesserie",
    description="Bara teamets ordförande (annars 403). Seriens möten läggs in ett år framåt.",
)
@rule(AUTHENTICATED)
def series_create(request: HttpRequest, team_id: int):
    team = _team(request, team_id)
    payload, refused = parse_body(SeriesIn, request)
    if refused is not None:
        return refused
    try:
        series = services.series_create(
            team=team, via=_via(request, "api:team_meeting_series_create"), **payload.model_dump()
        )
    except PermissionDenied:
        return Status(403, {"detail": str(services.CHAIR_ONLY_PLANS)})
    except ValidationError as exc:
        return _refused(exc, "series")
    return Status(201, series)


@router.post(
    "/teams/{int:team_id}/meetings",
    response={201: MeetingOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(MeetingIn),
    url_name="team_meetings_create",
    summary="Nytt enstaka möte",
)
@rule(AUTHENTICATED)
def meeting_create(request: HttpRequest, team_id: int):
    team = _team(request, team_id)
    payload, refused = parse_body(MeetingIn, request)
    if refused is not None:
        return refused
    try:
        meeting = services.meeting_create(
            team=team, via=_via(request, "api:team_meetings_create"), **payload.model_dump()
        )
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, _meeting_out(meeting))


@router.get(
    "/teams/{int:team_id}/meetings",
    response={200: list[MeetingOut], 401: Error, 404: Error, 422: Invalid},
    url_name="team_meetings",
    summary="Teamets möten",
    description="Möten från och med date_from (i dag om det inte anges), i datumordning.",
)
@rule(AUTHENTICATED)
def meeting_list(request: HttpRequest, team_id: int, date_from: date | None = None):
    team = _team(request, team_id)
    rows = team.meetings.filter(date__gte=date_from or timezone.localdate())[:200]
    return [_meeting_out(meeting) for meeting in rows]


@router.get(
    "/meetings/{int:meeting_id}",
    response={200: MeetingDetailOut, 401: Error, 404: Error},
    url_name="meeting_detail",
    summary="Ett möte: närvaro, dagordning och utfall",
)
@rule(CHILD_DATA)
def meeting_detail(request: HttpRequest, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    rows = meeting.cases.select_related("child", "owner_authority")
    cases = list(policy.team_case_items(request.auth, rows, team=meeting.team))
    policy.log_case_reads(cases, actor=actor(request), surface=SURFACE, meeting=meeting)
    return {
        **_meeting_out(meeting),
        "attendance": [
            {"name": _name(row.user), "authority": row.authority.name}
            for row in meeting.attendance.select_related("user", "authority")
        ],
        "items": [_item_out(item) for item in meeting.items.all()],
        "cases": [_case_out(case) for case in cases],
        "cases_not_shown": meeting.cases.count() - len(cases),
        "outcomes": [_outcome_out(outcome) for outcome in meeting.outcomes.select_related("owner")],
        "carried_actions": [_outcome_out(outcome) for outcome in selectors.carried_actions(meeting)],
    }


@router.post(
    "/meetings/{int:meeting_id}/items",
    response={201: ItemOut, 401: Error, 403: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(ItemIn),
    url_name="meeting_items_create",
    summary="Ny anonym konsultation eller nytt tema",
    description="Text med personnummer, samordningsnummer, telefonnummer, adress eller namn på barn du arbetar "
    "med tas inte emot (422). Ett barn med namn tas upp med samtycke, på sidan för mötet.",
)
@rule(AUTHENTICATED)
def item_create(request: HttpRequest, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    payload, refused = parse_body(ItemIn, request)
    if refused is not None:
        return refused
    try:
        item = services.item_add(meeting=meeting, via=_via(request, "api:meeting_items_create"), **payload.model_dump())
    except ValidationError as exc:
        return invalid(exc if hasattr(exc, "error_dict") else ValidationError({"meeting": exc.messages}))
    return Status(201, _item_out(item))


@router.post(
    "/meetings/{int:meeting_id}/cases",
    response={201: CaseOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(CaseIn),
    url_name="meeting_cases_create",
    summary="Nytt ärende med samtycke",
    description="Bara för ett barn du ser och med ett samtycke som gäller i dag, nämner teamet och omfattar "
    "kategorin (annars 422). Ett barn du inte ser är 404. Skrivningen loggas med samtycket som grund.",
)
@rule(CHILD_DATA)
def case_create(request: HttpRequest, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    payload, refused = parse_body(CaseIn, request)
    if refused is not None:
        return refused
    target = "api:meeting_cases_create"
    access = policy.child_for_user(request.auth, payload.child_id, actor=actor(request), surface=SURFACE, target=target)
    consent = services.covering_consents(meeting.team, access).order_by("-valid_until").first()
    try:
        case = services.case_add(
            meeting=meeting,
            access=access,
            consent_id=consent.pk if consent else None,
            category=payload.category,
            summary=payload.summary,
            question=payload.question,
            via=_via(request, target),
        )
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, _case_out(case))


@router.post(
    "/meetings/{int:meeting_id}/outcomes",
    response={201: OutcomeOut, 401: Error, 403: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(OutcomeIn),
    url_name="meeting_outcomes_create",
    summary="Nytt råd, beslut eller ny åtgärd",
)
@rule(AUTHENTICATED)
def outcome_create(request: HttpRequest, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    payload, refused = parse_body(OutcomeIn, request)
    if refused is not None:
        return refused
    item = meeting.items.filter(pk=payload.item_id).first() if payload.item_id else None
    owner = None
    if payload.owner_id:
        member = team_services.current_members(meeting.team).filter(user=payload.owner_id).select_related("user")
        owner = member.first().user if member.exists() else None
        if owner is None:
            return invalid(ValidationError({"owner_id": [services.OWNER_NOT_MEMBER]}))
    try:
        outcome = services.outcome_add(
            meeting=meeting,
            kind=payload.kind,
            text=payload.text,
            item=item,
            owner=owner,
            due_on=payload.due_on,
            via=_via(request, "api:meeting_outcomes_create"),
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return invalid(exc if hasattr(exc, "error_dict") else ValidationError({"meeting": exc.messages}))
    return Status(201, _outcome_out(outcome))


@router.get(
    "/teams/{int:team_id}/consent-requests",
    response={200: BarrierOut, 401: Error, 404: Error, 422: Invalid},
    url_name="team_consent_requests",
    summary="Begäranden om samtycke till teamet, och svaren",
    description="Antal per svar, för alla och delat på om socialtjänsten deltog i teamet den dag samtycket "
    "begärdes. Perioden är [date_from, date_to); inget barn nämns.",
)
@rule(AUTHENTICATED)
def consent_requests(request: HttpRequest, team_id: int, date_from: date | None = None, date_to: date | None = None):
    team = _team(request, team_id)
    today = timezone.localdate()
    start = date_from or today.replace(month=1, day=1)
    end = max(date_to or today + timedelta(days=1), start + timedelta(days=1))
    barrier = selectors.consent_barrier(team, start=start, end=end)

    def figures(row) -> dict:
        return {name: getattr(row, name) for name in ("requests", "given", "declined", "no_answer", "waiting")}

    return {
        "start": start,
        "end": end,
        "no_answer_days": barrier.no_answer_days,
        "all": figures(barrier.total),
        "with_social_services": figures(barrier.with_social),
        "without_social_services": figures(barrier.without_social),
    }


@router.post(
    "/teams/{int:team_id}/consent-requests/{int:consent_id}/reason",
    response={200: ReasonOut, 401: Error, 404: Error, 422: Invalid},
    openapi_extra=body_schema(ReasonIn),
    url_name="team_consent_reason",
    summary="Skälet en vårdnadshavare valde att ge",
    description="Bara den myndighet som begärde samtycket, för en begäran som nämner teamet (annars 404). "
    "Skälet räknas i teamets statistik, utan namn.",
)
@rule(CHILD_DATA)
def consent_reason(request: HttpRequest, team_id: int, consent_id: int):
    team = _team(request, team_id)
    payload, refused = parse_body(ReasonIn, request)
    if refused is not None:
        return refused
    target = "api:team_consent_reason"
    _access, consent = policy.consent_for_user(
        request.auth, consent_id, actor=actor(request), surface=SURFACE, target=target, manage=True
    )
    try:
        row = services.consent_reason_record(
            consent=consent, team=team, reason=payload.reason, text=payload.text, via=_via(request, target)
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return _refused(exc, "text")
    return {"consent_id": consent.pk, "reason": row.reason, "text": row.text}

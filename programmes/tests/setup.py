"""A small programme world on top of the cast: one programme, a budget line, an open call with five criteria."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from audit import log as audit
from programmes import services
from programmes.models import BudgetLine, Criterion, Event, EventSession, GrantCall, Programme

CRITERIA = (
    "Inspirerande och stimulerande",
    "Tydlig målgrupp och målbild",
    "Tydligt barn- och familjefokus",
    "Samverkan både internt och externt",
    "Vilket resultat har det",
)
VIA = services.Via(actor=audit.Actor(user_id=None, username="test"), surface="page", target="test")


def make_programme(cast, *, allocated: int = 3_000_000) -> tuple[Programme, BudgetLine]:
    today = timezone.localdate()
    programme = Programme.objects.create(
        municipality=cast.municipality,
        name="Tidiga insatser",
        owner="Kommunstyrelsen",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=365),
        steering_group="Stadsdirektör\nUtbildningsdirektör",
    )
    line = BudgetLine.objects.create(programme=programme, year=today.year, allocated=allocated)
    return programme, line


def make_call(cast, *, budget: int = 300_000, weights=(1, 1, 1, 1, 1), closes_in=timedelta(days=10)) -> GrantCall:
    programme, line = make_programme(cast)
    now = timezone.now()
    call = GrantCall.objects.create(
        programme=programme,
        budget_line=line,
        title="Stimulans för goda exempel och goda idéer",
        purpose="Premiera goda exempel.",
        target_group="Barn 0–9 år",
        who_may_apply="Kommunala och fristående verksamheter samt föreningar",
        opens_at=now - timedelta(days=10),
        closes_at=now + closes_in,
        award_levels="50000,25000",
        budget=budget,
        scale_max=5,
        follow_up_due_on=date.today() + timedelta(days=120),
    )
    for position, (title, weight) in enumerate(zip(CRITERIA, weights, strict=True), start=1):
        Criterion.objects.create(call=call, position=position, title=title, weight=weight)
    call.assessors.add(cast.teacher, cast.social_worker)
    return call


def apply(call, *, unit=None, created_by=None, organisation="Boo folkets hus", submit=True, now=None, **extra):
    fields = {
        "organisation": organisation,
        "contact_name": "Annica Berg",
        "contact_email": "annica@example.org",
        "title": "Fritid för barn 7–9 år på helger",
        "description": "Helgverksamhet för barn som annars är ensamma.",
        "amount_requested": 50000,
        "may_publish": True,
    } | extra
    application = services.application_start(call=call, via=VIA, now=now, unit=unit, created_by=created_by, **fields)
    if submit:
        return services.application_submit(application=application, via=VIA)
    return application


def score_all(application, assessor, values):
    for criterion, value in zip(application.call.criteria.all(), values, strict=True):
        services.score_set(
            application=application, criterion=criterion, assessor=assessor, value=value, comment="", via=VIA
        )


def make_event(cast, *, capacity: int = 2, days_ahead: int = 5) -> tuple[Event, EventSession]:
    programme, line = make_programme(cast)
    event = Event.objects.create(
        programme=programme,
        budget_line=line,
        title="Upptäcka och identifiera",
        place="Nacka stadshus",
        speakers="Ewa Westin, Ylva Andersson",
        target_professions="Förskola, skola, BVC, socialtjänst",
    )
    start = timezone.now().replace(hour=8, minute=30, second=0, microsecond=0) + timedelta(days=days_ahead)
    session = EventSession.objects.create(
        event=event, starts_at=start, ends_at=start + timedelta(hours=3, minutes=30), capacity=capacity
    )
    return event, session

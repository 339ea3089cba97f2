"""Reads for the meeting pages: a team's meetings, open actions carried forward, and the figures.

The figures are counts only: no child is named, and a consent is counted, never shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, ConsentReason, Meeting, Outcome
from organisations.models import Authority
from sharing.models import Consent, ConsentEvent, SharingRules
from sharing.policy import current_team_members
from teams.models import Team, TeamMember


def no_answer_days_for(team: Team) -> int:
    """Return after how many days an unanswered request counts as "no answer", as the team's municipality set it."""
    rules = SharingRules.objects.filter(municipality_id=team.municipality_id).first()
    return (rules or SharingRules()).team_no_answer_days


def meetings_of(team: Team) -> tuple[list[Meeting], list[Meeting]]:
    """Return the team's coming meetings (from today) and its past meetings, latest first."""
    today = timezone.localdate()
    rows = team.meetings.all()
    return list(rows.filter(date__gte=today)[:12]), list(rows.filter(date__lt=today).order_by("-date", "-pk")[:24])


def carried_actions(meeting: Meeting) -> QuerySet[Outcome]:
    """Return the open actions of the team's earlier meetings: they come back on this meeting's agenda."""
    earlier = Q(meeting__date__lt=meeting.date) | Q(meeting__date=meeting.date, meeting__pk__lt=meeting.pk)
    return (
        Outcome.objects.filter(earlier, meeting__team=meeting.team, kind=Outcome.Kind.ACTION, done_on__isnull=True)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )


def open_actions(user, *, on: date | None = None) -> QuerySet[Outcome]:
    """Return the user's open team actions in the teams they take part in on a day (today), the most urgent first."""
    teams = current_team_members(on=on).filter(user=user).values("team")
    return (
        Outcome.objects.filter(owner=user, kind=Outcome.Kind.ACTION, done_on__isnull=True, meeting__team__in=teams)
        .select_related("meeting__team", "owner")
        .order_by("due_on", "pk")
    )


def overdue_actions(user, *, on: date | None = None) -> QuerySet[Outcome]:
    """Return the user's open team actions past their due date, in the teams they take part in today.

    They are shown on the user's own action page and next to the plan reminders (`plans:reminders`).
    """
    return open_actions(user, on=on).filter(due_on__lt=on or timezone.localdate())


# --- The consent barrier ---


def _members_on(team: Team, day: date) -> QuerySet[TeamMember]:
    """The team's members on a day, from the kept history (rows are never deleted)."""
    return team.members.filter(Q(left_on__isnull=True) | Q(left_on__gt=day), joined_on__lte=day)


def authorities_on(team: Team, day: date) -> QuerySet[Authority]:
    """Return the authorities the team's members took part for on a day."""
    return Authority.objects.filter(pk__in=_members_on(team, day).values("authority")).order_by("name")


@dataclass
class Figures:
    """Requests for consent to discuss a child in the team, and how they were answered."""

    requests: int = 0
    given: int = 0
    declined: int = 0
    no_answer: int = 0
    waiting: int = 0
    reasons: Counter = field(default_factory=Counter)

    def add(self, answer: str) -> None:
        self.requests += 1
        setattr(self, answer, getattr(self, answer) + 1)


@dataclass
class Barrier:
    """The figures of a team and period, all requests and split by whether social services took part."""

    total: Figures
    with_social: Figures
    without_social: Figures
    no_answer_days: int


def answer_of(consent: Consent, *, given: bool, declined: bool, now: datetime, no_answer_days: int) -> str:
    """Return how a request was answered: given, declined, no answer within the days, or still waiting."""
    if given:
        return "given"
    if declined:
        return "declined"
    if consent.created_at + timedelta(days=no_answer_days) <= now:
        return "no_answer"
    return "waiting"


def consent_barrier(
    team: Team, *, start: date, end: date, no_answer_days: int | None = None, now: datetime | None = None
) -> Barrier:
    """Count the requests for consent naming the team, asked in [start, end), and their answers.

    Whether social services took part is read from the team's members on the day of the request; the
    days after which a request counts as unanswered are the municipality's (`no_answer_days_for`) unless given.
    """
    now = now or timezone.now()
    no_answer_days = no_answer_days or no_answer_days_for(team)
    events = ConsentEvent.objects.filter(consent=OuterRef("pk"))
    requests = (
        Consent.objects.filter(recipient_teams=team, created_at__date__gte=start, created_at__date__lt=end)
        .annotate(
            was_given=Exists(events.filter(kind=ConsentEvent.Kind.GIVEN)),
            was_declined=Exists(events.filter(kind=ConsentEvent.Kind.DECLINED)),
        )
        .only("pk", "created_at")
        .order_by("pk")
    )
    reasons = dict(ConsentReason.objects.filter(consent__in=requests).values_list("consent", "reason"))
    barrier = Barrier(Figures(), Figures(), Figures(), no_answer_days)
    social_days: dict[date, bool] = {}
    for consent in requests:
        day = timezone.localdate(consent.created_at)
        if day not in social_days:
            social_days[day] = authorities_on(team, day).filter(sector=Authority.Sector.SOCIAL_SERVICES).exists()
        answer = answer_of(
            consent, given=consent.was_given, declined=consent.was_declined, now=now, no_answer_days=no_answer_days
        )
        split = barrier.with_social if social_days[day] else barrier.without_social
        for figures in (barrier.total, split):
            figures.add(answer)
            if consent.pk in reasons and answer != "given":
                figures.reasons[reasons[consent.pk]] += 1
    return barrier


def own_requests(team: Team, user, *, now: datetime | None = None) -> list[tuple[int, date, str]]:
    """Return the user's own requests for consent to the team that were not given: (id, day asked, answer).

    Only the day and the answer, never the child: the one who asked knows which request it is.
    """
    now = now or timezone.now()
    days = no_answer_days_for(team)
    events = ConsentEvent.objects.filter(consent=OuterRef("pk"))
    rows = (
        Consent.objects.filter(recipient_teams=team, requested_by=user, created_at__gte=now - timedelta(days=365))
        .annotate(was_given=Exists(events.filter(kind=ConsentEvent.Kind.GIVEN)))
        .annotate(was_declined=Exists(events.filter(kind=ConsentEvent.Kind.DECLINED)))
        .filter(was_given=False)
        .only("pk", "created_at")
        .order_by("-created_at", "-pk")
    )
    return [
        (
            row.pk,
            timezone.localdate(row.created_at),
            answer_of(row, given=False, declined=row.was_declined, now=now, no_answer_days=days),
        )
        for row in rows
    ]


# --- Team statistics ---


@dataclass
class TeamStats:
    meetings_held: int
    attendance: list[tuple[str, int]]
    items: list[tuple[str, int]]
    age_bands: list[tuple[str, int]]
    cases: int
    actions: int
    actions_on_time: int


def team_stats(team: Team, *, start: date, end: date) -> TeamStats:
    """Meetings held, attendance by authority, items by kind, consultations by age band, actions done on time."""
    held = team.meetings.filter(date__gte=start, date__lt=end, date__lte=timezone.localdate())
    attendance = Counter(Attendance.objects.filter(meeting__in=held).values_list("authority__name", flat=True))
    items = AgendaItem.objects.filter(meeting__in=held)
    kinds = Counter(items.values_list("kind", flat=True))
    bands = Counter(items.filter(kind=AgendaItem.Kind.ANONYMOUS).values_list("age_band", flat=True))
    actions = Outcome.objects.filter(meeting__in=held, kind=Outcome.Kind.ACTION)
    return TeamStats(
        meetings_held=held.count(),
        attendance=sorted(attendance.items()),
        items=[(str(label), kinds[value]) for value, label in AgendaItem.Kind.choices],
        age_bands=[(str(label), bands[value]) for value, label in AgendaItem.AgeBand.choices if bands[value]],
        cases=held.aggregate(n=Count("cases"))["n"],
        actions=actions.count(),
        actions_on_time=actions.filter(done_on__isnull=False, done_on__lte=F("due_on")).count(),
    )

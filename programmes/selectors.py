"""Reads for programmes: what a user sees, the ranked list, the follow-up table, lecture reports and budgets."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Min, Q, QuerySet, Sum

from organisations.models import Municipality
from programmes.models import (
    Application,
    BudgetEntry,
    BudgetLine,
    Decision,
    Event,
    FollowUp,
    GrantCall,
    Profession,
    Programme,
    Registration,
    Score,
)
from programmes.services import has_conflict, line_totals
from sharing import policy


def municipalities_of(user) -> QuerySet[Municipality]:
    return Municipality.objects.filter(authorities__in=policy.user_authorities(user)).distinct()


def programmes_for(user) -> QuerySet[Programme]:
    """Return the programmes of the municipalities the user works in."""
    return Programme.objects.filter(municipality__in=municipalities_of(user))


def may_run(user, programme: Programme) -> bool:
    """Return whether the user is a manager or administrator in the programme's municipality."""
    runners = policy.memberships(user).filter(role__in=policy.ACTIONS[policy.Action.RUN_PROGRAMMES])
    return runners.filter(unit__authority__municipality=programme.municipality_id).exists()


def runnable_municipalities(user) -> QuerySet[Municipality]:
    """Return the municipalities where the user is a manager or administrator (may set up programmes)."""
    runners = policy.memberships(user).filter(role__in=policy.ACTIONS[policy.Action.RUN_PROGRAMMES])
    return Municipality.objects.filter(authorities__units__in=runners.values("unit")).distinct()


def open_calls(now) -> QuerySet[GrantCall]:
    return GrantCall.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related("programme")


# --- Ranking ---


@dataclass
class Ranked:
    """One application in the ranked list: each assessor's weighted total and their mean."""

    application: Application
    totals: dict[int, int] = field(default_factory=dict)  # assessor id -> weighted total
    mean: Decimal | None = None
    rank: int | None = None


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ranking(call: GrantCall) -> list[Ranked]:
    """Rank the submitted and decided applications by the mean of their assessors' weighted totals.

    An assessor's total counts only once they have scored every criterion; applications without a
    complete assessment come last, unranked. Equal means share a rank.
    """
    criteria = {c.pk: c.weight for c in call.criteria.all()}
    applications = call.applications.filter(
        status__in=[Application.Status.SUBMITTED, Application.Status.AWARDED, Application.Status.DECLINED]
    ).select_related("decision")
    by_application: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for application_id, assessor_id, criterion_id, value in Score.objects.filter(application__call=call).values_list(
        "application_id", "assessor_id", "criterion_id", "value"
    ):
        by_application[application_id][assessor_id][criterion_id] = value
    rows = []
    for application in applications:
        row = Ranked(application)
        for assessor_id, values in by_application[application.pk].items():
            if set(values) == set(criteria):
                row.totals[assessor_id] = sum(values[c] * criteria[c] for c in criteria)
        if row.totals:
            row.mean = _round(Decimal(sum(row.totals.values())) / len(row.totals))
        rows.append(row)
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0), r.application.organisation))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.mean is None:
            break
        if row.mean != previous:
            rank, previous = position, row.mean
        row.rank = rank
    return rows


def max_total(call: GrantCall) -> int:
    return call.scale_max * (call.criteria.aggregate(s=Sum("weight"))["s"] or 0)


def applications_to_assess(call: GrantCall, user) -> list[tuple[Application, bool, int]]:
    """Return the submitted applications with whether the user is conflicted and how many criteria they scored."""
    result = []
    for application in call.applications.filter(status=Application.Status.SUBMITTED).order_by("organisation"):
        scored = Score.objects.filter(application=application, assessor=user).count()
        result.append((application, has_conflict(application, user), scored))
    return result


def awarded_public() -> QuerySet[Decision]:
    """Return the awards the applicants agreed to publish, newest call first."""
    return (
        Decision.objects.filter(awarded=True, application__may_publish=True)
        .select_related("application__call__programme__municipality", "application__follow_up")
        .order_by("-application__call__closes_at", "-amount", "application__organisation")
    )


def follow_up_table(programme: Programme) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(application__call__programme=programme)
        .select_related("application__call", "application__decision")
        .order_by("application__call__closes_at", "application__organisation")
    )


# --- Lectures ---


@dataclass
class ProfessionRow:
    label: str
    count: int
    share: int  # whole percent of the event's participants


@dataclass
class EventReport:
    event: Event
    participants: int
    rows: list[ProfessionRow]
    evaluations: int
    mean_rating: Decimal | None
    recommend_share: int | None


def attended(event: Event) -> QuerySet[Registration]:
    """Participants: attendance marked yes, or a place when attendance was not taken."""
    places = Registration.objects.filter(session__event=event, status=Registration.Status.PLACE)
    return places.filter(Q(attended=True) | Q(attended__isnull=True))


def event_report(event: Event) -> EventReport:
    """Count participants per profession (share of the event) and summarise the evaluations."""
    participants = attended(event)
    counts = dict(participants.values_list("profession").annotate(n=Count("id")).values_list("profession", "n"))
    total = sum(counts.values())
    rows = [
        ProfessionRow(str(label), counts.get(value, 0), round(100 * counts.get(value, 0) / total) if total else 0)
        for value, label in Profession.choices
    ]
    summary = participants.filter(evaluation__isnull=False).aggregate(
        n=Count("evaluation"),
        mean=Avg("evaluation__rating"),
        yes=Count("evaluation", Q(evaluation__would_recommend=True)),
    )
    n = summary["n"]
    return EventReport(
        event=event,
        participants=total,
        rows=rows,
        evaluations=n,
        mean_rating=_round(Decimal(str(summary["mean"]))) if n else None,
        recommend_share=round(100 * summary["yes"] / n) if n else None,
    )


def events_of(programme: Programme) -> QuerySet[Event]:
    first = Min("sessions__starts_at")
    return programme.events.annotate(first=first).prefetch_related("sessions", "presenting").order_by("first", "pk")


# --- Budgets ---


@dataclass
class BudgetRow:
    line: BudgetLine
    allocated: int
    committed: int
    used: int

    @property
    def uncommitted(self) -> int:
        return self.allocated - self.committed


def budget_rows(programme: Programme) -> list[BudgetRow]:
    rows = []
    for line in programme.budget_lines.select_related("sub_project").order_by("year", "sub_project__name"):
        totals = line_totals(line)
        rows.append(BudgetRow(line, totals.allocated, totals.committed, totals.used))
    return rows


def used_by_sub_project(programme: Programme) -> list[tuple[str, int]]:
    """Return the money used per sub-project (entries on programme-wide lines name theirs), largest first."""
    used = (
        BudgetEntry.objects.filter(line__programme=programme, kind=BudgetEntry.Kind.USED)
        .values_list("sub_project__name", "line__sub_project__name")
        .annotate(total=Sum("amount"))
    )
    sums: dict[str, int] = defaultdict(int)
    for own, lines, total in used:
        sums[own or lines or ""] += total
    return sorted(sums.items(), key=lambda item: -item[1])

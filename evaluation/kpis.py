"""KPIs from Samplan's own records, each one SQL query (or a few) over the children in scope.

Every function takes a `Scope` and a `Period` and returns a `Result`: figures with the number of children
(or plans, consents) behind each, and a written Swedish definition. Nothing here loops over children in
Python: counts, sums and per-child values are computed by the database; only the two percentiles of the
waiting time are taken from the sorted list of day counts the database returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate
from django.utils.translation import gettext_lazy as _

from catalogue.models import Referral
from core import disclosure
from evaluation import sql
from evaluation.scope import Period, Scope
from namedperson.models import Assignment, HandoverProposal, Stage
from organisations.models import Authority
from plans.models import Action, ChildPlan, Status
from sharing.models import Consent
from wellbeing.models import Assessment, ChronologyEntry, InstrumentResponse, Rating


@dataclass(frozen=True)
class Figure:
    """One published figure: a label, the value, and how many units (children, plans …) lie behind it."""

    label: str
    value: float | None
    n: int
    count: int | None = None  # the numerator of a share
    unit: str = "share"  # share, days, points, count

    @property
    def hidden(self) -> bool:
        """Hide a figure whose denominator, numerator or their difference is a small count."""
        if disclosure.is_small(self.n):
            return True
        if self.count is None:
            return False
        return disclosure.is_small(self.count) or disclosure.is_small(self.n - self.count)

    @property
    def shown(self) -> float | None:
        return None if self.hidden or self.value is None else self.value


@dataclass(frozen=True)
class Result:
    key: str
    title: str
    definition: str
    figures: list[Figure]
    table: disclosure.Suppressed | None = None
    row_labels: dict = field(default_factory=dict)
    column_labels: dict = field(default_factory=dict)


def _share(count: int, n: int) -> float | None:
    return round(100 * count / n, 1) if n else None


def _open_on(day: date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


# --- 1. Named-person coverage by stage ---


def _coverage_aggregate(scope: Scope, day: date) -> dict:
    """One statement: the children in scope on the day, those with a named person that day, and per stage.

    The children are counted in a scalar sub-query and the named persons over the open assignments of those
    children (a semi-join), each as COUNT(DISTINCT child): on a handover day a child has two open assignments.
    """
    children = scope.children(day)
    n = Subquery(children.order_by().values("municipality_id").annotate(c=Count("pk")).values("c"))
    stages = {f"stage_{stage}": Count("child", distinct=True, filter=Q(stage=stage)) for stage in Stage.values}
    return (
        Assignment.objects.filter(_open_on(day), child__in=children)
        .annotate(n=n)
        .aggregate(children=Max("n"), covered=Count("child", distinct=True), **stages)
    )


def coverage_counts(scope: Scope, day: date) -> tuple[int, int]:
    """Children in scope on the day, and how many of them had a named person that day (a semi-join, not per row)."""
    totals = _coverage_aggregate(scope, day)
    return _children_total(scope, day, totals), totals["covered"]


def _children_total(scope: Scope, day: date, totals: dict) -> int:
    # With no open assignment at all the aggregate has no row to carry the children's count: count them apart.
    return totals["children"] if totals["children"] is not None else scope.children(day).count()


def named_person_coverage(scope: Scope, period: Period) -> Result:
    """Share of the children in scope on the period's last day who had a named person that day, by stage."""
    day = period.end
    if sql.available():
        totals = sql.row("coverage", scope, period)
        n, covered = totals["children"], totals["covered"]
    else:
        totals = _coverage_aggregate(scope, day)
        n, covered = _children_total(scope, day, totals), totals["covered"]
    by_stage = {stage: totals[f"stage_{stage}"] for stage in Stage.values}
    figures = [Figure(str(_("Alla barn")), _share(covered, n), n, covered)]
    counts = {("n", stage): by_stage.get(stage, 0) for stage in Stage.values}
    counts[("n", "none")] = n - covered
    columns = [*Stage.values, "none"]
    table = disclosure.suppress_table(counts, ["n"], columns)
    labels = {**{value: str(label) for value, label in Stage.choices}, "none": str(_("Saknar namngiven person"))}
    return Result(
        "coverage",
        str(_("Barn med namngiven person")),
        str(
            _(
                "Andelen av barnen i urvalet (folkbokförda i kommunen, under 18 år, på periodens sista dag) som "
                "den dagen hade en namngiven person, och hur många barn som hade det i varje skede."
            )
        ),
        figures,
        table,
        {"n": str(_("Antal barn"))},
        labels,
    )


# --- 2. Time from first concern to first support ---


def _first_concern() -> Subquery:
    entries = ChronologyEntry.objects.filter(child=OuterRef("pk"), kind=ChronologyEntry.Kind.CONCERN)
    return Subquery(entries.order_by("start_date").values("start_date")[:1])


def support_days(scope: Scope, period: Period):
    """Per child whose first concern fell in the period: days until the first plan action started (or None)."""
    first_support = Action.objects.filter(plan__child=OuterRef("pk"), start__gte=OuterRef("first_concern"))
    concern_in_period = ChronologyEntry.objects.filter(
        child=OuterRef("pk"),
        kind=ChronologyEntry.Kind.CONCERN,
        start_date__gte=period.start,
        start_date__lte=period.end,
    )
    return (
        scope.children(period.end)
        .filter(Exists(concern_in_period))  # few children: the per-child sub-queries then run for these only
        .annotate(first_concern=_first_concern())
        .filter(first_concern__gte=period.start, first_concern__lte=period.end)
        .annotate(first_support=Subquery(first_support.order_by("start").values("start")[:1]))
        .annotate(days=ExpressionWrapper(F("first_support") - F("first_concern"), output_field=DurationField()))
    )


def _percentile(sorted_values: list[float], p: float) -> float | None:
    """The p-th percentile by linear interpolation between the closest ranks (as PostgreSQL's percentile_cont)."""
    if not sorted_values:
        return None
    position = p * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return round(sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low), 1)


def time_to_support(scope: Scope, period: Period) -> Result:
    """Median and 90th percentile of days from a child's first concern to the first support."""
    if sql.available():
        totals = sql.row("time_to_support", scope, period)
        n, supported = totals["n"], totals["supported"]
        median, p90 = (None if v is None else round(v, 1) for v in (totals["median"], totals["p90"]))
    else:
        # One statement: the waits of every child counted (None while waiting).
        waits = list(support_days(scope, period).order_by().values_list("days", flat=True))
        n = len(waits)
        days = sorted(wait.days for wait in waits if wait is not None)
        supported = len(days)
        median, p90 = _percentile(days, 0.5), _percentile(days, 0.9)
    return Result(
        "time_to_support",
        str(_("Tid från första oro till första stöd")),
        str(
            _(
                "För barn vars första registrerade oro i kronologin låg i perioden: antal dagar till dess att "
                "den första åtgärden i en plan för barnet startade (samma dag eller senare). Median och 90:e "
                "percentilen räknas på barnen som har fått stöd; övriga redovisas som väntande."
            )
        ),
        [
            Figure(str(_("Median, dagar")), median, supported, unit="days"),
            Figure(str(_("90:e percentilen, dagar")), p90, supported, unit="days"),
            Figure(str(_("Har fått stöd")), _share(supported, n), n, supported),
        ],
    )


# --- 3. Plans reviewed on time ---


def reviews_on_time(scope: Scope, period: Period) -> Result:
    """Share of the plans open on the period's last day whose next review date had not passed."""
    day = period.end
    if sql.available():
        totals = sql.row("reviews_on_time", scope, period)
    else:
        plans = ChildPlan.objects.filter(
            child__in=scope.children(day), created_at__date__lte=day, next_review_on__isnull=False
        ).exclude(status__in=[Status.DRAFT, Status.CLOSED, Status.DECLINED])
        totals = plans.aggregate(n=Count("pk"), on_time=Count("pk", filter=Q(next_review_on__gte=day)))
    return Result(
        "reviews_on_time",
        str(_("Planer som följs upp i tid")),
        str(
            _(
                "Andelen av de pågående planerna (överenskomna, pågående eller under uppföljning) på periodens "
                "sista dag vars datum för nästa uppföljning inte hade passerat."
            )
        ),
        [Figure(str(_("Planer i tid")), _share(totals["on_time"], totals["n"]), totals["n"], totals["on_time"])],
    )


# --- 4. Consents asked, given, declined, withdrawn per recipient kind ---

EVER_GIVEN = [
    Consent.Status.GIVEN,
    Consent.Status.EXPIRED,
    Consent.Status.SUPERSEDED,
    Consent.Status.CUSTODY_ENDED,
    Consent.Status.WITHDRAWN,
]
CONSENT_COLUMNS = {
    "asked": _("Tillfrågade"),
    "given": _("Lämnade"),
    "declined": _("Inte lämnade"),
    "withdrawn": _("Återkallade"),
}


def consents(scope: Scope, period: Period) -> Result:
    """Consents asked in the period for children in scope, by the field of work of their recipients."""
    overall = {"asked": 0, "given": 0}
    if sql.available():
        rows = []
        for row in sql.rows("consents", scope, period):
            if row.pop("overall"):
                overall = row
            else:
                rows.append(tuple(row.values()))
    else:
        asked = Consent.objects.filter(
            child__in=scope.children(period.end), created_at__date__gte=period.start, created_at__date__lte=period.end
        )
        columns = {
            "asked": Count("pk", distinct=True),
            "given": Count("pk", distinct=True, filter=Q(status__in=EVER_GIVEN)),
            "declined": Count("pk", distinct=True, filter=Q(status=Consent.Status.DECLINED)),
            "withdrawn": Count("pk", distinct=True, filter=Q(status=Consent.Status.WITHDRAWN)),
        }
        rows = asked.values_list("recipients__sector").annotate(**columns)
        overall = asked.filter(recipients__isnull=False).aggregate(**columns)
    counts, sectors = {}, []
    for sector, *values in rows:
        if sector is None:
            continue
        sectors.append(sector)
        for column, value in zip(CONSENT_COLUMNS, values, strict=True):
            counts[(sector, column)] = value
    labels = dict(Authority.Sector.choices)
    sectors.sort(key=lambda s: str(labels.get(s, s)))
    table = disclosure.suppress_table(counts, sectors, list(CONSENT_COLUMNS))
    figures = []
    for sector in sectors:
        n, given = counts[(sector, "asked")], counts[(sector, "given")]
        figures.append(Figure(str(labels.get(sector, sector)), _share(given, n), n, given))
    # Every consent once, whatever its recipients: the share the pilot comparison follows.
    n, given = overall["asked"], overall["given"]
    figures.append(Figure(str(_("Alla mottagare")), _share(given, n), n, given))
    return Result(
        "consents",
        str(_("Samtycken per mottagare")),
        str(
            _(
                "Samtycken som begärdes under perioden, efter verksamheten hos mottagande myndigheter. Lämnade "
                "räknar samtycken som har lämnats, även om de sedan har upphört eller återkallats. Ett samtycke "
                "med flera mottagare räknas under varje mottagares verksamhet. Andelen är lämnade av tillfrågade."
            )
        ),
        figures,
        table,
        {s: str(labels.get(s, s)) for s in sectors},
        {k: str(v) for k, v in CONSENT_COLUMNS.items()},
    )


# --- 5. Re-actualisation within 12 months ---


def reactualised_plans(scope: Scope, period: Period):
    """Plans closed in the period, each with `again` = 1 if a new concern or plan came within 365 days."""
    closed = ChildPlan.objects.filter(
        child__in=scope.children(period.end),
        status=Status.CLOSED,
        closed_at__date__gte=period.start,
        closed_at__date__lte=period.end,
    ).annotate(
        closed_on=TruncDate("closed_at"),
        year_after=TruncDate(ExpressionWrapper(F("closed_at") + timedelta(days=365), output_field=DateTimeField())),
    )
    new_concern = ChronologyEntry.objects.filter(
        child=OuterRef("child"),
        kind=ChronologyEntry.Kind.CONCERN,
        start_date__gt=OuterRef("closed_on"),
        start_date__lte=OuterRef("year_after"),
    )
    new_plan = ChildPlan.objects.annotate(created_on=TruncDate("created_at")).filter(
        child=OuterRef("child"), created_on__gt=OuterRef("closed_on"), created_on__lte=OuterRef("year_after")
    )
    again = Case(When(Q(Exists(new_concern)) | Q(Exists(new_plan)), then=Value(1)), default=Value(0))
    return closed.annotate(again=ExpressionWrapper(again, output_field=IntegerField()))


def count_where(rows, **condition) -> int:
    """Count the rows meeting a condition on an annotation, as `pk IN (sub-query)`.

    Aggregating directly over an annotation whose sub-queries refer to other annotations gives wrong
    results on SQLite (Django inlines the aggregate without them); a sub-query of ids keeps the SQL whole.
    """
    return rows.model.objects.filter(pk__in=rows.filter(**condition).values("pk")).count()


def count_both(rows, **condition) -> tuple[int, int]:
    """`count_where(rows)` and `count_where(rows, **condition)` in one statement (two semi-joins, one round trip)."""
    totals = rows.model.objects.filter(pk__in=rows.values("pk")).aggregate(
        n=Count("pk"), matching=Count("pk", filter=Q(pk__in=rows.filter(**condition).values("pk")))
    )
    return totals["n"], totals["matching"]


def reactualisation_counts(scope: Scope, period: Period) -> tuple[int, int]:
    """Plans closed in the period, and how many of them were followed by a new concern or plan within 365 days."""
    if sql.available():
        totals = sql.row("reactualisation", scope, period)
        return totals["n"], totals["again"]
    return count_both(reactualised_plans(scope, period), again=1)


def reactualisation(scope: Scope, period: Period) -> Result:
    n, again = reactualisation_counts(scope, period)
    return Result(
        "reactualisation",
        str(_("Återaktualisering inom 12 månader")),
        str(
            _(
                "Av planerna som avslutades under perioden: andelen där barnet fick en ny registrerad oro eller "
                "en ny plan inom 365 dagar efter avslutet. Planer avslutade under det senaste året har ännu inte "
                "följts ett helt år, så andelen kan stiga."
            )
        ),
        [Figure(str(_("Återaktualiserade")), _share(again, n), n, again)],
    )


# --- 6. Wellbeing-wheel change within a plan ---


def wellbeing_changes(scope: Scope, period: Period):
    """Plans open at some time in the period, with `change` = latest minus first wheel mean (1–5 scale)."""
    plans = (
        ChildPlan.objects.filter(child__in=scope.children(period.end), created_at__date__lte=period.end)
        .exclude(closed_at__date__lt=period.start)
        .exclude(status__in=[Status.DRAFT, Status.DECLINED])
        .annotate(started_on=TruncDate("created_at"))
        .annotate(
            first_id=Subquery(
                Assessment.objects.filter(
                    child=OuterRef("child"),
                    kind=Assessment.Kind.WHEEL,
                    assessed_on__gte=OuterRef("started_on"),
                    assessed_on__lte=period.end,
                )
                .order_by("assessed_on", "pk")
                .values("pk")[:1]
            ),
            latest_id=Subquery(
                Assessment.objects.filter(
                    child=OuterRef("child"),
                    kind=Assessment.Kind.WHEEL,
                    assessed_on__gte=OuterRef("started_on"),
                    assessed_on__lte=period.end,
                )
                .order_by("-assessed_on", "-pk")
                .values("pk")[:1]
            ),
        )
        .filter(first_id__isnull=False)
        .exclude(first_id=F("latest_id"))
    )
    return plans.annotate(
        change=_mean_of("latest_id") - _mean_of("first_id"),
    )


def _mean_of(field_name: str) -> Subquery:
    mean = (
        Rating.objects.filter(assessment=OuterRef(field_name))
        .values("assessment")
        .annotate(mean=Avg(Cast("score", FloatField())))
        .values("mean")
    )
    return Subquery(mean, output_field=FloatField())


def wellbeing_change(scope: Scope, period: Period) -> Result:
    if sql.available():
        totals = sql.row("wellbeing_change", scope, period)
    else:
        totals = wellbeing_changes(scope, period).aggregate(
            n=Count("pk"),
            mean=Avg("change"),
            better=Count("pk", filter=Q(change__gt=0)),
            worse=Count("pk", filter=Q(change__lt=0)),
        )
    n = totals["n"]
    mean = round(totals["mean"], 2) if totals["mean"] is not None else None
    return Result(
        "wellbeing_change",
        str(_("Förändring i välbefinnandehjulet")),
        str(
            _(
                "För planer som pågick under perioden och har minst två skattningar med välbefinnandehjulet "
                "sedan planen startade: skillnaden mellan senaste och första skattningens medelvärde (skala 1–5, "
                "högre är bättre), och andelen planer där barnets välbefinnande blev bättre eller sämre."
            )
        ),
        [
            Figure(str(_("Genomsnittlig förändring, skalsteg")), mean, n, unit="points"),
            Figure(str(_("Bättre")), _share(totals["better"], n), n, totals["better"]),
            Figure(str(_("Sämre")), _share(totals["worse"], n), n, totals["worse"]),
        ],
    )


# --- 7. SDQ total-difficulties band change ---


def _sdq_band_floor(order: str, day: date) -> Subquery:
    responses = InstrumentResponse.objects.filter(
        child=OuterRef("pk"), instrument__code="sdq", total_band__isnull=False, completed_on__lte=day
    ).order_by(*order.split(","))
    return Subquery(responses.values("total_band__min_score")[:1])


def _sdq_totals(scope: Scope, period: Period) -> dict:
    latest_in_period = InstrumentResponse.objects.filter(
        child=OuterRef("pk"), instrument__code="sdq", completed_on__gte=period.start, completed_on__lte=period.end
    )
    children = (
        scope.children(period.end)
        .filter(Exists(latest_in_period))  # only children with a form in the period get the per-child sub-queries
        .annotate(
            forms=Subquery(
                InstrumentResponse.objects.filter(
                    child=OuterRef("pk"), instrument__code="sdq", total_band__isnull=False, completed_on__lte=period.end
                )
                .values("child")
                .annotate(c=Count("pk"))
                .values("c")
            ),
            latest_on=Subquery(
                InstrumentResponse.objects.filter(
                    child=OuterRef("pk"), instrument__code="sdq", total_band__isnull=False
                )
                .filter(completed_on__lte=period.end)
                .order_by("-completed_on")
                .values("completed_on")[:1]
            ),
        )
        .filter(forms__gte=2, latest_on__gte=period.start)
        .annotate(
            first=_sdq_band_floor("completed_on,pk", period.end),
            latest=_sdq_band_floor("-completed_on,-pk", period.end),
        )
    )
    totals = children.aggregate(
        n=Count("pk"),
        better=Count("pk", filter=Q(latest__lt=F("first"))),
        worse=Count("pk", filter=Q(latest__gt=F("first"))),
    )
    return totals


def sdq_band_change(scope: Scope, period: Period) -> Result:
    """Children with two or more SDQ forms: did the total-difficulties band of the latest improve on the first?"""
    totals = sql.row("sdq_change", scope, period) if sql.available() else _sdq_totals(scope, period)
    n = totals["n"]
    return Result(
        "sdq_change",
        str(_("Förändring i SDQ, total svårighetsgrad")),
        str(
            _(
                "Barn med minst två SDQ-formulär där det senaste fylldes i under perioden: andelen vars senaste "
                "totalpoäng låg i ett lägre (bättre) respektive högre band än den första. SDQ fylls bara i med "
                "samtycke, så barnen är inte ett slumpmässigt urval."
            )
        ),
        [
            Figure(str(_("Lägre band (bättre)")), _share(totals["better"], n), n, totals["better"]),
            Figure(str(_("Högre band (sämre)")), _share(totals["worse"], n), n, totals["worse"]),
        ],
    )


# --- 8 and 9. Waiting times: referral to the start of the support, handover proposal to acceptance ---


def _waits(days: list[int | None]) -> dict:
    """The counts and percentiles of a list of waits (None while still waiting), as the statements return them."""
    done = sorted(d for d in days if d is not None)
    return {"n": len(days), "done": len(done), "median": _percentile(done, 0.5), "p90": _percentile(done, 0.9)}


def _wait_figures(totals: dict, done_label: str) -> list[Figure]:
    median, p90 = (None if v is None else round(v, 1) for v in (totals["median"], totals["p90"]))
    n, done = totals["n"], totals["done"]
    return [
        Figure(str(_("Median, dagar")), median, done, unit="days"),
        Figure(str(_("90:e percentilen, dagar")), p90, done, unit="days"),
        Figure(done_label, _share(done, n), n, done),
    ]


def referral_waits(scope: Scope, period: Period) -> Result:
    """Referrals to the catalogue's interventions made in the period: days from the referral to the support's start."""
    if sql.available():
        totals = sql.row("referral_wait", scope, period)
    else:
        referrals = Referral.objects.filter(
            child__in=scope.children(period.end), requested_on__gte=period.start, requested_on__lte=period.end
        )
        totals = _waits(
            [
                None if start is None else (start - asked).days
                for asked, start in referrals.values_list("requested_on", "started_on")
            ]
        )
    return Result(
        "referral_wait",
        str(_("Väntetid från remiss till start av insatsen")),
        str(
            _(
                "Remisser till insatser i katalogen som gjordes under perioden för barnen i urvalet: antal dagar "
                "från remissdagen till dagen då insatsen startade. Median och 90:e percentilen räknas på "
                "remisserna där insatsen har startat; övriga väntar eller avslutades utan start (avböjda, "
                "återkallade)."
            )
        ),
        _wait_figures(totals, str(_("Insatsen har startat"))),
    )


def handover_waits(scope: Scope, period: Period) -> Result:
    """Handover proposals made in the period: days from the proposal to its acceptance by the receiving person."""
    if sql.available():
        totals = sql.row("handover_wait", scope, period)
    else:
        proposals = (
            HandoverProposal.objects.annotate(made_on=TruncDate("created_at"), accepted_on=TruncDate("decided_at"))
            .filter(child__in=scope.children(period.end), made_on__gte=period.start, made_on__lte=period.end)
            .values_list("made_on", "accepted_on", "status")
        )
        totals = _waits(
            [
                (accepted - made).days if status == HandoverProposal.Status.ACCEPTED and accepted else None
                for made, accepted, status in proposals
            ]
        )
    return Result(
        "handover_wait",
        str(_("Väntetid från förslag till accepterad överlämning")),
        str(
            _(
                "Förslag om överlämning till ett nytt skede som gjordes under perioden för barnen i urvalet: antal "
                "dagar från förslaget till dagen då mottagaren accepterade det. Median och 90:e percentilen räknas "
                "på de accepterade förslagen; övriga väntar eller ersattes av ett nytt förslag."
            )
        ),
        _wait_figures(totals, str(_("Accepterade"))),
    )


KPIS: dict[str, Callable[[Scope, Period], Result]] = {
    "coverage": named_person_coverage,
    "time_to_support": time_to_support,
    "reviews_on_time": reviews_on_time,
    "consents": consents,
    "reactualisation": reactualisation,
    "wellbeing_change": wellbeing_change,
    "sdq_change": sdq_band_change,
    "referral_wait": referral_waits,
    "handover_wait": handover_waits,
}

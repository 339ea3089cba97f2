"""My work today: what waits for a signed-in user, counted through the access policy, oldest first.

Each kind of task is one row of `KINDS`: who it is for (a policy action), its words, the rows that make
it up (a queryset built only from the policy's filtered reads: `policy.visible_children`,
`policy.readable_records` for plans and their actions, the user's own authorities, units and teams), the
date that orders it, and where it is worked on. The start page asks, in one statement, an aggregate per kind
the user's roles give (a count and the oldest date) — kinds that are two conditions on the same rows (plan
reviews due and overdue, consents ending and ended) share one with conditional aggregates — so the number of
queries is fixed however many tasks there are, and no child or record the user may not see is ever counted.

Kinds without a page of their own elsewhere (`url_name` empty) are listed on `core:tasks`, which reads
the same rows, so a count and its list never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, DateField, Exists, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.prepared import Prepared, execute_planned
from meetings import selectors as meeting_selectors
from meetings.models import AgendaItem, CaseItem, Meeting
from namedperson import selectors as named_selectors
from plans.models import ENDED, Action, ChildPlan, PlanVersion
from sharing import policy
from sharing.models import Consent, EmergencyAccess, ReportOfConcern
from wellbeing import selectors as wellbeing_selectors

# How far ahead a plan review or a consent's end counts as "due".
REVIEW_AHEAD = timedelta(days=14)
CONSENT_AHEAD = timedelta(days=14)
# How long an expired consent stays on the list (after that the child's consent page still shows it).
EXPIRED_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Today:
    """The moment the tasks are judged at, and the user's roles then."""

    user: object
    on: date
    now: datetime
    actions: frozenset[str]
    mine: policy.CurrentMemberships | None
    # Values derived from the day and the moment, kept as values of their own so that a prepared query
    # (core.prepared) binds them as parameters.
    review_until: date
    consent_until: datetime
    expired_since: datetime
    majority: date  # `majority_cutoff` of the moment's day: a consent the guardians gave lapses at 18
    limits: named_selectors.ServiceLimits


def _mine_plans(t: Today) -> QuerySet[ChildPlan]:
    """Open plans the user leads or started, of children the user may see today."""
    plans = ChildPlan.objects.filter(Q(lead_professional=t.user) | Q(created_by=t.user)).exclude(status__in=ENDED)
    return _readable(t, plans)


def _readable(t: Today, records: QuerySet) -> QuerySet:
    """The records of children the user may see that the child's page would show the user now."""
    return policy.readable_records(t.user, records, at=t.now, on=t.on, majority=t.majority, mine=t.mine)


def _review_overdue(t: Today) -> Q:
    return Q(next_review_on__lt=t.on)


def _review_due(t: Today) -> Q:
    return Q(next_review_on__gte=t.on, next_review_on__lte=t.review_until)


def reviews_overdue(t: Today) -> QuerySet[ChildPlan]:
    return _mine_plans(t).filter(_review_overdue(t))


def reviews_due(t: Today) -> QuerySet[ChildPlan]:
    return _mine_plans(t).filter(_review_due(t))


def actions_overdue(t: Today) -> QuerySet[Action]:
    mine = Action.objects.filter(
        owner_person=t.user, end__lt=t.on, status__in=[Action.State.PLANNED, Action.State.ONGOING]
    )
    # An action is part of its plan: counted only while the user may read the plan.
    plans = _readable(t, ChildPlan.objects.filter(pk__in=mine.values("plan")).exclude(status__in=ENDED))
    return mine.filter(plan__in=plans)


def _my_consents(t: Today) -> QuerySet[Consent]:
    """Given consents the user asked for, or that are kept for a plan the user leads; the user's authority's own."""
    leads = ChildPlan.objects.filter(child=OuterRef("child"), lead_professional=t.user).exclude(status__in=ENDED)
    renewed = Consent.objects.filter(
        replaces=OuterRef("pk"), status__in=[Consent.Status.REQUESTED, Consent.Status.GIVEN]
    )
    return Consent.objects.filter(
        Q(requested_by=t.user) | Exists(leads),
        ~Exists(renewed),  # an extension asked for or given is already taken care of
        owner_authority__in=policy.user_authorities(t.user, on=t.on),
        child__in=policy.visible_children(t.user, on=t.on, mine=t.mine),
    )


def _consent_expiring(t: Today) -> Q:
    return Q(status=Consent.Status.GIVEN, valid_until__gt=t.now, valid_until__lte=t.consent_until)


def _consent_expired(t: Today) -> Q:
    return Q(
        status__in=[Consent.Status.GIVEN, Consent.Status.EXPIRED],
        valid_until__lte=t.now,
        valid_until__gt=t.expired_since,
    )


def consents_expiring(t: Today) -> QuerySet[Consent]:
    return _my_consents(t).filter(_consent_expiring(t))


def consents_expired(t: Today) -> QuerySet[Consent]:
    return _my_consents(t).filter(_consent_expired(t))


def family_answers(t: Today) -> QuerySet[PlanVersion]:
    """Versions sent to the family of plans the user leads or started, not yet answered by everyone, the latest."""
    later = PlanVersion.objects.filter(plan=OuterRef("plan"), number__gt=OuterRef("number"))
    return PlanVersion.objects.filter(
        ~Exists(later), sent_at__isnull=False, agreed_at__isnull=True, plan__in=_mine_plans(t)
    )


def handovers(t: Today):
    return named_selectors.proposals_to_accept(t.user, on=t.on)


def without_named_person(t: Today):
    return named_selectors.children_needing_attention(t.user, on=t.on, limits=t.limits)


def emergency_reviews(t: Today) -> QuerySet[EmergencyAccess]:
    # Judged once it has ended or run out: while it runs there is nothing yet to review.
    ended = Q(ended_at__isnull=False) | Q(ends_at__lte=t.now)
    return policy.reviewable_emergency_rows(t.user, on=t.on).filter(ended, review=EmergencyAccess.Review.PENDING)


def reports_to_assess(t: Today) -> QuerySet[ReportOfConcern]:
    return policy.reports_received_by(t.user, on=t.on).filter(feedback=ReportOfConcern.Feedback.PENDING)


def follow_ups_due(t: Today):
    return wellbeing_selectors.my_follow_ups(t.user, on=t.on).filter(follow_up_on__lte=t.on)


def team_actions_overdue(t: Today):
    return meeting_selectors.overdue_actions(t.user, on=t.on)


@dataclass(frozen=True)
class Kind:
    """One kind of task: for whom, in what words, which rows, ordered by which date, worked on where."""

    key: str
    label: str | Promise
    action: str
    rows: Callable[[Today], QuerySet]
    date_field: str | None
    url_name: str = ""  # empty: listed on core:tasks
    overdue: bool = False  # shown as a warning
    # Kinds that are one condition on the same rows (a plan's review due or overdue, a consent ending or
    # ended) name those rows and the condition: the start page counts them together in one query.
    shared: Callable[[Today], QuerySet] | None = None
    when: Callable[[Today], Q] | None = None

    def url(self) -> str:
        return reverse(self.url_name) if self.url_name else reverse("core:tasks", args=[self.key])


A = policy.Action
# The kinds of task, in the order used when two are equally old. To add one: a function above and a line here.
KINDS: tuple[Kind, ...] = (
    Kind(
        "handovers", _("Överlämningar att ta emot"), A.BE_NAMED_PERSON, handovers, "due_date", "namedperson:handovers"
    ),
    Kind("without", _("Barn utan namngiven person"), A.OVERSEE, without_named_person, None, "namedperson:without"),
    Kind(
        "reviews-overdue",
        _("Uppföljningar av planer som är försenade"),
        A.REPORT_CONCERN,
        reviews_overdue,
        "next_review_on",
        overdue=True,
        shared=_mine_plans,
        when=_review_overdue,
    ),
    Kind(
        "reviews-due",
        _("Uppföljningar av planer inom två veckor"),
        A.REPORT_CONCERN,
        reviews_due,
        "next_review_on",
        shared=_mine_plans,
        when=_review_due,
    ),
    Kind(
        "actions-overdue",
        _("Åtgärder i planer som har passerat slutdatum"),
        A.REPORT_CONCERN,
        actions_overdue,
        "end",
        overdue=True,
    ),
    Kind(
        "consents-expiring",
        _("Samtycken som upphör inom två veckor"),
        A.REPORT_CONCERN,
        consents_expiring,
        "valid_until",
        shared=_my_consents,
        when=_consent_expiring,
    ),
    Kind(
        "consents-expired",
        _("Samtycken som har upphört"),
        A.REPORT_CONCERN,
        consents_expired,
        "valid_until",
        overdue=True,
        shared=_my_consents,
        when=_consent_expired,
    ),
    Kind("family-answers", _("Planer som väntar på familjens svar"), A.REPORT_CONCERN, family_answers, "sent_at"),
    Kind(
        "emergency-reviews",
        _("Nödåtkomster att granska"),
        A.DECIDE,
        emergency_reviews,
        "started_at",
        "sharing:emergency_review_queue",
    ),
    Kind(
        "reports",
        _("Orosanmälningar att bedöma"),
        A.RECEIVE_REPORTS,
        reports_to_assess,
        "created_at",
        "sharing:report_intake",
    ),
    Kind(
        "follow-ups",
        _("Uppföljningar efter de fem frågorna"),
        A.REPORT_CONCERN,
        follow_ups_due,
        "follow_up_on",
        "wellbeing:follow_ups",
    ),
    Kind(
        "team-actions",
        _("Åtgärder från teammöten som är försenade"),
        A.TAKE_PART_IN_TEAMS,
        team_actions_overdue,
        "due_on",
        "meetings:my_actions",
        overdue=True,
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass(frozen=True)
class Task:
    """A line of the start page: how many, since when, and where to work on them."""

    label: str | Promise
    count: int
    oldest: date | None
    url: str
    overdue: bool = False
    key: str = ""


def today_for(user, *, mine: policy.CurrentMemberships | None = None, on: date | None = None) -> Today:
    on = on or policy.today()
    mine = mine if mine is not None else policy.current_memberships(user, on=on)
    actions = policy.allowed_actions(user, on=on, mine=mine)
    if A.RECEIVE_REPORTS in actions and not policy.receives_reports(mine):
        actions = actions - {A.RECEIVE_REPORTS}  # only at a receiving unit, as the menu
    now = timezone.now() if on == policy.today() else timezone.make_aware(datetime.combine(on, time(12)))
    # The stage rules (one query) only for those who oversee children without a named person.
    limits = named_selectors.service_limits(on) if A.OVERSEE in actions else None
    return _today(user, on, now, actions, mine, limits)


def _today(user, on: date, now: datetime, actions, mine, limits) -> Today:
    return Today(
        user=user,
        on=on,
        now=now,
        actions=actions,
        mine=mine,
        review_until=on + REVIEW_AHEAD,
        consent_until=now + CONSENT_AHEAD,
        expired_since=now - EXPIRED_KEPT,
        majority=policy.majority_cutoff(timezone.localdate(now)),
        limits=limits,
    )


def kinds_for(t: Today) -> list[Kind]:
    return [kind for kind in KINDS if kind.action in t.actions]


def as_date(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


# --- Counting: every kind the user's roles give, and the next meeting, in one prepared statement ---


def _figures(kinds: tuple[Kind, ...], t: Today) -> QuerySet:
    """Return one row: a count and the oldest date per kind (kinds on the same rows share their rows)."""
    first = kinds[0]
    rows = (first.shared or first.rows)(t).order_by()
    figures = {}
    for i, kind in enumerate(kinds):
        when = kind.when(t) if kind.shared else None
        figures[f"k{i}count"] = Count("pk", filter=when, distinct=True)
        figures[f"k{i}oldest"] = (
            Min(kind.date_field, filter=when) if kind.date_field else Value(None, output_field=DateField())
        )
    # Grouped by a constant: one row, whatever the rows.
    return rows.annotate(_all=Value(1)).values("_all").annotate(**figures).values(*figures)


def _next_meeting_row(t: Today) -> QuerySet:
    """The user's next team meeting: its id, day, team name and the number of agenda items and cases (≤ 1 row)."""
    teams = policy.current_team_members(on=t.on).filter(user=t.user).values("team")
    items = AgendaItem.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    # Identified cases only while their consent is in force (the same rule as reading them on the meeting page).
    cases = policy.case_items_in_force(
        CaseItem.objects.filter(meeting=OuterRef("pk")), at=t.now, majority_before=t.majority
    )
    cases = cases.order_by().values("meeting")
    return (
        Meeting.objects.filter(team__in=teams, date__gte=t.on)
        .annotate(
            n_items=Coalesce(Subquery(items.annotate(n=Count("pk")).values("n")), 0),
            n_cases=Coalesce(Subquery(cases.annotate(n=Count("pk")).values("n")), 0),
        )
        .order_by("date", "starts_at", "pk")
        .values_list("pk", "date", "team__name", "n_items", "n_cases")[:1]
    )


def _built(query: Callable[[Today], QuerySet]) -> Callable[..., QuerySet]:
    """Adapt a query on a `Today` to `Prepared`, whose values are plain ids, days and moments."""

    def build(*, user, municipalities=None, born_after=None, default_born_after=None, overdue_before=None, **values):
        limits = None
        if municipalities is not None:  # the stage rules, for those who oversee them
            limits = named_selectors.ServiceLimits(municipalities, born_after, default_born_after, overdue_before)
        # Only the user's id reaches the SQL: a user object that carries nothing else stands in for it.
        stand_in = get_user_model()(pk=user, is_active=True)
        return query(Today(user=stand_in, actions=frozenset(), mine=None, limits=limits, **values))

    return build


_PREPARED: dict[tuple[str, ...], Prepared] = {}
_MEETING = "agenda"


def _prepared(key: tuple[str, ...], query: Callable[[Today], QuerySet]) -> Prepared:
    prepared = _PREPARED.get(key)
    if prepared is None:
        prepared = _PREPARED.setdefault(key, Prepared(_built(query)))
    return prepared


def _values(t: Today) -> dict:
    values = {
        "user": t.user.pk,
        "on": t.on,
        "now": t.now,
        "review_until": t.review_until,
        "consent_until": t.consent_until,
        "expired_since": t.expired_since,
        "majority": t.majority,
    }
    if t.limits is not None:  # flat values: a prepared query binds a tuple of plain values, not tuples of tuples
        values.update(
            municipalities=t.limits.municipalities,
            born_after=t.limits.born_after,
            default_born_after=t.limits.default_born_after,
            overdue_before=t.limits.handover_overdue_before,
        )
    return values


def _groups(t: Today) -> list[tuple[Kind, ...]]:
    """The user's kinds in KINDS order; kinds on the same rows form one group."""
    groups: dict = {}
    for kind in kinds_for(t):
        groups.setdefault(kind.shared or kind.key, []).append(kind)
    return [tuple(kinds) for kinds in groups.values()]


def count_queries(t: Today) -> int:
    """Return how many statements `tasks_for` runs: the stage rules (for those who oversee them) and the counts."""
    return (t.limits is not None) + 1


def _count_all(t: Today) -> tuple[list[Task], Task | None]:
    """Count every group and read the next meeting in one statement: each part is one row, joined side by side.

    Each part is a policy-filtered queryset (`_figures`, `_next_meeting_row`) whose SQL is compiled once
    per shape (`core.prepared`) and bound to this request's user, day and moment.
    """
    values = _values(t)
    parts, params, tasks = ["(SELECT 1) AS w0"], [], []
    groups = _groups(t)
    read: list[tuple[tuple[Kind, ...], bool]] = []
    for number, kinds in enumerate(groups, start=1):
        key = tuple(kind.key for kind in kinds)
        sql, found = _prepared(key, lambda t, kinds=kinds: _figures(kinds, t)).sql(**values)
        read.append((kinds, sql is not None))
        if sql is not None:  # None: the rows can match nothing
            parts.append(f"CROSS JOIN ({sql}) AS w{number}")
            params.extend(found)
    meeting = A.TAKE_PART_IN_TEAMS in t.actions
    if meeting:
        sql, found = _prepared((_MEETING,), _next_meeting_row).sql(**values)
        meeting = sql is not None
        if meeting:
            parts.append(f"LEFT JOIN ({sql}) AS m ON TRUE")
            params.extend(found)
    # Every part is SQL Django compiled; the values are bound as parameters only. Planned once per connection.
    (row,) = execute_planned("default", "SELECT * FROM " + " ".join(parts), params)  # noqa: S608
    position = 1
    for kinds, present in read:
        for kind in kinds:
            count, oldest = (row[position], row[position + 1]) if present else (0, None)
            position += 2 if present else 0
            tasks.append(Task(kind.label, count, as_date(oldest), kind.url(), kind.overdue, kind.key))
    agenda = None
    if meeting and row[position] is not None:
        meeting_id, day, team, n_items, n_cases = row[position : position + 5]
        label = _("Punkter till nästa möte i %(team)s") % {"team": team}
        url = reverse("meetings:detail", args=[meeting_id])
        agenda = Task(label, n_items + n_cases, day, url, False, _MEETING)
    return tasks, agenda


def tasks_for(user, *, mine: policy.CurrentMemberships | None = None, on: date | None = None) -> list[Task]:
    """Return the user's tasks that have anything waiting, oldest first (a fixed number of queries)."""
    t = today_for(user, mine=mine, on=on)
    tasks, agenda = _count_all(t)
    if agenda is not None:
        tasks.append(agenda)
    waiting = [task for task in tasks if task.count]
    order = {kind.key: i for i, kind in enumerate(KINDS)}
    return sorted(waiting, key=lambda task: (task.oldest is None, task.oldest or date.max, order.get(task.key, 99)))


# --- The family view: what waits for a guardian's answer ---


@dataclass(frozen=True)
class FamilyWaiting:
    """What waits for one guardian's answer about one child."""

    plan: bool = False
    consents: int = 0


def family_waiting(user, child_ids) -> dict:
    """Return, per child the guardian follows (ids already checked by the family policy), what waits for them.

    Two queries: the plan versions sent to the family that this guardian has not answered, and the consent
    requests with this guardian's answer still missing.
    """
    from plans.models import Participant, PlanAgreement
    from sharing.models import ConsentParty

    later = PlanVersion.objects.filter(plan=OuterRef("plan"), number__gt=OuterRef("number"))
    party = Participant.objects.filter(plan=OuterRef("plan"), role=Participant.Role.GUARDIAN, guardian__user=user)
    answered = PlanAgreement.objects.filter(version=OuterRef("pk"), guardian__user=user)
    plans = set(
        PlanVersion.objects.filter(
            Exists(party),
            ~Exists(later),
            ~Exists(answered),
            sent_at__isnull=False,
            agreed_at__isnull=True,
            plan__child__in=child_ids,
        )
        .exclude(plan__status__in=ENDED)
        .values_list("plan__child", flat=True)
    )
    consents = dict(
        ConsentParty.objects.filter(
            guardian__user=user,
            decision=ConsentParty.Decision.PENDING,
            consent__status=Consent.Status.REQUESTED,
            consent__child__in=child_ids,
        )
        .order_by()
        .values("consent__child")
        .annotate(n=Count("pk"))
        .values_list("consent__child", "n")
    )
    own_plans, own_consents = _own_waiting(user, child_ids)
    plans |= own_plans
    for child_id, n in own_consents.items():
        consents[child_id] = consents.get(child_id, 0) + n
    return {child_id: FamilyWaiting(child_id in plans, consents.get(child_id, 0)) for child_id in child_ids}


def _own_waiting(user, child_ids) -> tuple[set, dict]:
    """Return what waits for a young person's own answer, when the user is the child signed in as themselves.

    As the family pages decide it: the plan version sent to the family that the child has not answered, where
    the child takes part in the plan and their answer counts today (`plans.services.family_say`: the consent
    age, alone from 18); and the consent requests in which the child is a party with an answer missing.
    One query for anyone else (is the user one of these children?), four for the young person.
    """
    from people.models import Child
    from plans.models import Participant, PlanAgreement
    from plans.services import family_say
    from sharing.models import ConsentParty

    own = Child.objects.filter(user=user, pk__in=list(child_ids)).select_related("municipality").first()
    if own is None:
        return set(), {}
    later = PlanVersion.objects.filter(plan=OuterRef("plan"), number__gt=OuterRef("number"))
    party = Participant.objects.filter(plan=OuterRef("plan"), role=Participant.Role.CHILD)
    answered = PlanAgreement.objects.filter(version=OuterRef("pk"), role=Participant.Role.CHILD)
    waiting = (
        PlanVersion.objects.filter(
            Exists(party), ~Exists(later), ~Exists(answered), sent_at__isnull=False, agreed_at__isnull=True
        )
        .filter(plan__child=own)
        .exclude(plan__status__in=ENDED)
    )
    plans = {own.pk} if waiting.exists() and family_say(own).consents else set()
    n = ConsentParty.objects.filter(
        is_child=True,
        decision=ConsentParty.Decision.PENDING,
        consent__status=Consent.Status.REQUESTED,
        consent__child=own,
    ).count()
    return plans, ({own.pk: n} if n else {})

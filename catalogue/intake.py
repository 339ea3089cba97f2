"""The one way in: requests for support, the intake function's triage to a colour, routing, time to first support.

A practitioner asks about a child they may see (the request is their authority's record); a guardian or
the young person asks through the family view (the family's own to share, held by the intake unit's
authority). The intake unit's staff read the requests made to them through `policy.requests_for_intake`,
triage each to one of the four colours with a reason, and route it to a provider (a referral), a
multi-agency team or the child's plan. Every write is audit-logged with the child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from catalogue.models import Colour, Intervention, Referral, SupportRequest
from organisations.models import Membership, Unit
from plans.models import ENDED, ChildPlan, Reminder
from sharing import policy
from teams.models import Team
from wellbeing.services import Via

Status = SupportRequest.Status
Route = SupportRequest.Route

NOT_INTAKE = _("Välj en mottagning i barnets kommun.")
REASON_NEEDED = _("Skriv skälet till bedömningen.")
TRIAGE_FIRST = _("Bedöm begäran innan den förs vidare.")
CHOOSE_INTERVENTION = _("Välj en insats i barnets kommun.")
CHOOSE_TEAM = _("Välj ett aktivt team i barnets kommun.")
ROUTE_FIRST = _("För begäran vidare innan du registrerar första stödet.")
BEFORE_REQUEST = _("Första stödet kan inte ha börjat före begäran.")


def intake_units(municipality_id: int) -> QuerySet[Unit]:
    """Return the municipality's intake units: units where someone holds the intake role today."""
    holders = Membership.objects.filter(
        policy.current(policy.today()), role__in=policy.INTAKE_ROLES, user__is_active=True
    )
    return (
        Unit.objects.filter(authority__municipality_id=municipality_id, memberships__in=holders)
        .select_related("authority")
        .distinct()
        .order_by("name")
    )


def requests_about(access: policy.ChildAccess) -> QuerySet[SupportRequest]:
    """Return the requests about the child the user may read (the policy's SQL filter), newest first."""
    rows = SupportRequest.objects.select_related("intake_unit", "referral__intervention", "team")
    return policy.records_for_user(access, rows).order_by("-received_at", "-pk")


def _log(*, actor: audit.Actor, surface: str, target: str, basis: str, record, action: str) -> None:
    audit.record(
        actor=actor,
        action=action,
        surface=surface,
        target=target,
        basis=basis,
        child_id=record.child_id,
        record_type=type(record).__name__,
        record_id=str(record.pk),
    )


@transaction.atomic
def request_make(
    *, child, intake_unit: Unit, source: str, user, concern: str, owner_authority, via: Via
) -> SupportRequest:
    """Record a request for support about a child to an intake unit of the child's municipality."""
    if not intake_units(child.municipality_id).filter(pk=intake_unit.pk).exists():
        raise ValidationError({"intake_unit": [NOT_INTAKE]})
    request = SupportRequest(
        child=child,
        intake_unit=intake_unit,
        owner_authority=owner_authority,
        source=source,
        requested_by=user,
        concern=concern.strip(),
        received_at=timezone.now(),
    )
    request.full_clean()
    request.save()
    _log(actor=via.actor, surface=via.surface, target=via.target, basis=via.basis, record=request, action="create")
    return request


@dataclass(frozen=True)
class IntakeVia:
    """The intake user acting, and where: what every audit row of an intake write needs."""

    user: object
    actor: audit.Actor
    surface: str
    target: str


def _intake_log(via: IntakeVia, record) -> None:
    _log(
        actor=via.actor,
        surface=via.surface,
        target=via.target,
        basis=policy.Basis.INTAKE,
        record=record,
        action="update",
    )


@transaction.atomic
def request_triage(*, request: SupportRequest, colour: str, reason: str, via: IntakeVia) -> SupportRequest:
    """Triage a request to one of the four colours with a recorded reason (again, until it is routed)."""
    reason = reason.strip()
    if colour not in Colour.values:
        raise ValidationError({"colour": [_("Välj en nivå.")]})
    if not reason:
        raise ValidationError({"triage_reason": [REASON_NEEDED]})
    if request.status not in (Status.RECEIVED, Status.TRIAGED):
        raise ValidationError({"__all__": [_("Begäran är redan vidareförd.")]})
    request.colour, request.triage_reason = colour, reason
    request.triaged_by, request.triaged_at, request.status = via.user, timezone.now(), Status.TRIAGED
    request.save()
    _intake_log(via, request)
    return request


@transaction.atomic
def request_route(
    *,
    request: SupportRequest,
    route: str,
    via: IntakeVia,
    intervention: Intervention | None = None,
    team: Team | None = None,
) -> SupportRequest:
    """Route a triaged request: to a provider (as a referral the intake's authority owns), a team or the plan."""
    if request.status != Status.TRIAGED:
        raise ValidationError({"__all__": [TRIAGE_FIRST]})
    municipality = request.child.municipality_id
    if route == Route.PROVIDER:
        if intervention is None or intervention.provider.municipality_id != municipality:
            raise ValidationError({"intervention": [CHOOSE_INTERVENTION]})
        referral = Referral.objects.create(
            child=request.child,
            intervention=intervention,
            owner_authority=request.intake_unit.authority,
            referred_by=via.user,
            reason=request.triage_reason,
            requested_on=policy.today(),
        )
        _log(
            actor=via.actor,
            surface=via.surface,
            target=via.target,
            basis=policy.Basis.INTAKE,
            record=referral,
            action="create",
        )
        request.referral = referral
    elif route == Route.TEAM:
        if team is None or team.municipality_id != municipality or not team.active:
            raise ValidationError({"team": [CHOOSE_TEAM]})
        request.team = team
    elif route != Route.PLAN:
        raise ValidationError({"route": [_("Välj vart begäran ska.")]})
    request.route, request.routed_at, request.status = route, timezone.now(), Status.ROUTED
    request.save()
    _intake_log(via, request)
    if route == Route.PLAN:
        _remind_the_plan(request)
    return request


def _open_plan(request: SupportRequest) -> ChildPlan | None:
    return ChildPlan.objects.filter(child=request.child).exclude(status__in=ENDED).order_by("-pk").first()


def _remind_the_plan(request: SupportRequest) -> None:
    """Put a reminder among the open plan's lead's and starter's reminders: a request waits (no e-mail is sent)."""
    plan = _open_plan(request)
    if plan is not None:
        Reminder.objects.get_or_create(
            plan=plan, action=None, kind=Reminder.Kind.REQUEST_ROUTED, due_on=timezone.localdate(request.routed_at)
        )


def where_it_went(request: SupportRequest) -> str:
    """Say in words where a routed request went and who learned that it waits."""
    if request.route == Route.PROVIDER:
        return _(
            "Begäran är vidareförd som en remiss till %(intervention)s: den finns i utförarens kö (%(provider)s)."
        ) % {
            "intervention": request.referral.intervention.name,
            "provider": request.referral.intervention.provider.name,
        }
    if request.route == Route.TEAM:
        return _(
            "Begäran är vidareförd till %(team)s: teamets medlemmar ser på teamets sida att en begäran från "
            "mottagningen väntar."
        ) % {"team": request.team.name}
    if _open_plan(request) is not None:
        return _("Begäran är vidareförd till barnets plan: planens ansvariga har fått en påminnelse.")
    return _(
        "Begäran är noterad för barnets plan, men barnet har ingen öppen plan och ingen har fått en påminnelse. "
        "Kontakta barnets namngivna person."
    )


@dataclass(frozen=True)
class Waiting:
    """Requests routed to a team whose first support is not yet recorded, from one intake unit: counts only."""

    unit: Unit
    count: int
    oldest: date


def waiting_for_team(team: Team) -> list[Waiting]:
    """Count the requests the intake units routed to the team that still wait; no child is named."""
    rows = (
        SupportRequest.objects.filter(team=team, route=Route.TEAM, status=Status.ROUTED)
        .values("intake_unit")
        .annotate(count=Count("pk"), oldest=Min("routed_at"))
        .order_by("intake_unit")
    )
    units = Unit.objects.in_bulk([row["intake_unit"] for row in rows])
    return [Waiting(units[row["intake_unit"]], row["count"], timezone.localdate(row["oldest"])) for row in rows]


@transaction.atomic
def request_first_support(*, request: SupportRequest, on: date, via: IntakeVia) -> SupportRequest:
    """Record the day the first support started (a team's or the plan's; a referral records it when started)."""
    if request.status != Status.ROUTED:
        raise ValidationError({"__all__": [ROUTE_FIRST]})
    if on < timezone.localdate(request.received_at):
        raise ValidationError({"first_support_on": [BEFORE_REQUEST]})
    request.first_support_on, request.status = on, Status.SUPPORTED
    request.save()
    _intake_log(via, request)
    return request


def support_started(referral: Referral) -> None:
    """When a referral routed from a request starts, that is the request's first support."""
    request = SupportRequest.objects.filter(referral=referral, first_support_on__isnull=True).first()
    if request is not None and referral.started_on is not None:
        request.first_support_on, request.status = referral.started_on, Status.SUPPORTED
        request.save(update_fields=["first_support_on", "status"])


@dataclass(frozen=True)
class Period:
    """One month of requests: how many, how many reached first support, and the median days it took."""

    month: date
    received: int
    supported: int
    median_days: float | None


def medians_by_month(rows) -> list[Period]:
    """Return, newest month first, the median days from request to first support of the requests received."""
    months: dict[date, list[SupportRequest]] = {}
    for row in rows:
        month = timezone.localdate(row.received_at).replace(day=1)
        months.setdefault(month, []).append(row)
    periods = []
    for month in sorted(months, reverse=True):
        days = [d for d in (row.days_to_support() for row in months[month]) if d is not None]
        periods.append(Period(month, len(months[month]), len(days), median(days) if days else None))
    return periods

"""Writes for team meetings: series, meetings, attendance, agenda items, outcomes, minutes and calendar feeds.

Meetings are shared with the team's current members only (`policy.meeting_member`). Every write is
logged: without a child (basis `team_meeting`, the meeting or item as the record), except an identified
case, which names its child and the consent that allows it. Nothing is deleted; approved minutes never
change and take addenda instead.
"""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit import log as audit
from catalogue import referrals
from catalogue.models import Intervention, Referral
from meetings import identifying
from meetings.models import (
    Addendum,
    AgendaItem,
    Attendance,
    CalendarFeed,
    CaseItem,
    CaseOutcome,
    ConsentReason,
    Meeting,
    MeetingSeries,
    Outcome,
)
from plans import selectors as plan_selectors
from plans import services as plan_services
from plans.models import Action, ChildPlan
from sharing import policy
from sharing.categories import OPEN_TO_ANY_RELATION
from sharing.models import Consent
from teams import services as team_services
from teams.models import Team, TeamMember
from wellbeing.services import Via as RecordVia

BASIS = policy.Basis.TEAM_MEETING
PLAN_AHEAD_DAYS = 366  # a new series plans its meetings a year ahead

NOT_A_MEMBER = "only the team's current members take part in its meetings"
TIMES = _("Mötet måste sluta efter att det börjar.")
ORDINAL_NEEDED = _("Välj vilken veckodag i månaden mötena är.")
APPROVED = _("Protokollet är justerat och kan inte ändras. Skriv ett tillägg i stället.")
NOT_APPROVED = _("Protokollet är inte justerat ännu. Ändra i protokollet i stället för att skriva ett tillägg.")
CHAIR_ONLY_PLANS = _("Bara teamets ordförande lägger upp mötesserier.")
CHAIR_ONLY = _("Bara teamets ordförande kan justera protokollet.")
NO_CONSENT = _(
    "Det finns inget samtycke som gäller i dag och som nämner teamet för det här barnet. "
    "Be vårdnadshavarna om samtycke till teamet, eller ta upp situationen som en anonym konsultation."
)
NOT_COVERED = _("Samtycket omfattar inte de uppgifterna. Välj en kategori som samtycket omfattar.")
NEEDS_OWNER = _("En åtgärd behöver en ansvarig och ett datum då den ska vara klar.")
OWNER_NOT_MEMBER = _("Den ansvariga måste vara med i teamet.")
ALREADY_DONE = _("Åtgärden är redan klar.")
CASE_CLOSED = "the case is no longer readable by the user"
NOT_ATTENDEE = _("Välj bland teamets nuvarande medlemmar.")
NO_FEED = _("Kalenderadressen är redan återkallad.")
NO_PLAN = _(
    "Barnet har ingen öppen plan som du kan ändra. Åtgärder läggs till av den myndighet som leder planen: "
    "be den lägga in åtgärden, eller starta en plan först."
)


@dataclass(frozen=True)
class Via:
    """Who acts and where: what every audit row of a meeting write needs."""

    user: User
    actor: audit.Actor
    surface: str
    target: str


def _log(via: Via, action: str, record, *, basis: str = BASIS, child_id=None) -> None:
    audit.record(
        actor=via.actor,
        action=action,
        surface=via.surface,
        target=via.target,
        basis=basis,
        child_id=child_id,
        record_type=type(record).__name__,
        record_id=str(record.pk),
    )


def _member(via: Via, team: Team) -> TeamMember:
    member = policy.meeting_member(via.user, team)
    if member is None:
        raise PermissionDenied(NOT_A_MEMBER)
    return member


def is_chair(user, team: Team) -> bool:
    member = policy.meeting_member(user, team)
    return member is not None and member.role == TeamMember.Role.CHAIR


def may_plan(user, team: Team) -> bool:
    """The chair plans the team's series."""
    return is_chair(user, team)


def _check_identifying(texts: dict[str, str], user) -> None:
    errors = {field: identifying.problems(text, user=user) for field, text in texts.items() if text}
    errors = {field: found for field, found in errors.items() if found}
    if errors:
        raise ValidationError(errors)


def _check_open(meeting: Meeting) -> None:
    if meeting.approved_at is not None:
        raise ValidationError(APPROVED, code="approved")


# --- Series and meetings ---


def series_dates(series: MeetingSeries, start: date, end: date) -> list[date]:
    """Return the days of the series in [start, end), never before its first day."""
    start = max(start, series.first_date)
    days = []
    if series.frequency == MeetingSeries.Frequency.WEEKLY:
        day = start + timedelta(days=(series.weekday - start.weekday()) % 7)
        while day < end:
            days.append(day)
            day += timedelta(days=7)
        return days
    year, month = start.year, start.month
    while date(year, month, 1) < end:
        weeks = [week[series.weekday] for week in calendar.monthcalendar(year, month) if week[series.weekday]]
        number = weeks[-1] if series.ordinal == MeetingSeries.Ordinal.LAST else weeks[series.ordinal - 1]
        day = date(year, month, number)
        if start <= day < end:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


@transaction.atomic
def series_create(*, team: Team, via: Via, **values) -> MeetingSeries:
    """Set up a team's recurring schedule and plan its meetings a year ahead."""
    if not may_plan(via.user, team):
        raise PermissionDenied("only the chair plans a series")
    if values.get("frequency") == MeetingSeries.Frequency.WEEKLY:
        values["ordinal"] = None
    elif values.get("ordinal") is None:
        raise ValidationError({"ordinal": [ORDINAL_NEEDED]})
    if values["ends_at"] <= values["starts_at"]:
        raise ValidationError({"ends_at": [TIMES]})
    series = MeetingSeries(team=team, created_by=via.user, **values)
    series.full_clean()
    series.save()
    _log(via, "create", series)
    series_plan(series, on=series.first_date, via=via)
    return series


def series_plan(series: MeetingSeries, *, on: date, via: Via) -> int:
    """Plan the series' missing meetings from a day to a year ahead; return how many were made (idempotent)."""
    planned = set(series.meetings.values_list("date", flat=True))
    made = 0
    for day in series_dates(series, on, on + timedelta(days=PLAN_AHEAD_DAYS)):
        if day in planned:
            continue
        meeting = Meeting.objects.create(
            team=series.team,
            series=series,
            date=day,
            starts_at=series.starts_at,
            ends_at=series.ends_at,
            place=series.place,
            video_link=series.video_link,
            created_by=series.created_by,
        )
        _log(via, "create", meeting)
        made += 1
    return made


@transaction.atomic
def meeting_create(*, team: Team, via: Via, **values) -> Meeting:
    """Plan a single meeting of the team (any current member may)."""
    _member(via, team)
    if values["ends_at"] <= values["starts_at"]:
        raise ValidationError({"ends_at": [TIMES]})
    meeting = Meeting(team=team, created_by=via.user, **values)
    meeting.full_clean()
    meeting.save()
    _log(via, "create", meeting)
    return meeting


@transaction.atomic
def attendance_set(*, meeting: Meeting, users: list[User], via: Via) -> list[Attendance]:
    """Record who came, each for the authority they take part in the team for; replaces the earlier record."""
    _member(via, meeting.team)
    _check_open(meeting)
    members = {row.user_id: row for row in team_services.current_members(meeting.team).select_related("authority")}
    if any(user.pk not in members for user in users):
        raise ValidationError({"users": [NOT_ATTENDEE]})
    meeting.attendance.exclude(user__in=users).delete()
    rows = []
    for user in users:
        row, created = Attendance.objects.get_or_create(
            meeting=meeting, user=user, defaults={"authority": members[user.pk].authority, "recorded_by": via.user}
        )
        if created:
            _log(via, "create", row)
        rows.append(row)
    return rows


# --- Agenda items ---


@transaction.atomic
def item_add(*, meeting: Meeting, kind: str, via: Via, **values) -> AgendaItem:
    """Put an anonymous consultation or a theme on the agenda; identifying text is refused, nothing stored."""
    _member(via, meeting.team)
    _check_open(meeting)
    texts = {field: values.get(field, "") for field in ("title", "situation", "question")}
    _check_identifying(texts, via.user)
    if kind == AgendaItem.Kind.THEME:
        values.update(age_band="", gender="")
    else:
        values["theme_kind"] = ""
    item = AgendaItem(meeting=meeting, kind=kind, raised_by=via.user, **values)
    item.full_clean()
    item.save()
    _log(via, "create", item)
    return item


@transaction.atomic
def case_add(
    *,
    meeting: Meeting,
    access: policy.ChildAccess,
    consent_id: int | None,
    category: str,
    summary: str,
    question: str,
    via: Via,
) -> CaseItem:
    """Put an identified child on the agenda: only under a consent in force naming the team and covering the category.

    The raiser must see the child (`access`, from `policy.child_for_user`) and take part in the team.
    """
    member = _member(via, meeting.team)
    _check_open(meeting)
    consent = (
        policy.case_consent_covers(meeting.team).filter(child=access.child, pk=consent_id).first()
        if consent_id
        else None
    )
    if consent is None:
        raise ValidationError({"consent": [NO_CONSENT]})
    if category in OPEN_TO_ANY_RELATION or not consent.categories.filter(category=category).exists():
        raise ValidationError({"category": [NOT_COVERED]})
    item = CaseItem(
        meeting=meeting,
        child=access.child,
        consent=consent,
        owner_authority=member.authority,
        category=category,
        summary=summary.strip(),
        question=question.strip(),
        raised_by=via.user,
    )
    item.full_clean()
    item.save()
    _log(via, "create", item, basis=f"{policy.Basis.CONSENT}:{consent.pk}", child_id=access.child.pk)
    return item


def covering_consents(team: Team, access: policy.ChildAccess):
    """Return the consents in force naming the team for the child the raiser sees, for the case form."""
    return policy.case_consent_covers(team).filter(child=access.child).prefetch_related("categories")


def editable_plan(access: policy.ChildAccess) -> ChildPlan | None:
    """Return the child's open plan the user may change under the plan's own rules (its lead authority), or None."""
    return next((plan for plan in plan_selectors.plans_for(access) if policy.may_edit_plan(access, plan)), None)


@transaction.atomic
def case_action_to_plan(
    *, case: CaseItem, access: policy.ChildAccess, description: str, due_on: date, expected_outcome: str, via: Via
) -> Action:
    """Add an action agreed on an identified case to the child's plan in one step, under the plan's own rules.

    The user must take part in the team and see the child (`access`), and the plan must be one they may change.
    """
    member = _member(via, case.meeting.team)
    if access.child.pk != case.child_id:
        raise PermissionDenied("the access is to another child")
    plan = editable_plan(access)
    if plan is None:
        raise ValidationError({"__all__": [NO_PLAN]})
    record_via = RecordVia(actor=via.actor, surface=via.surface, target=via.target, basis=access.basis)
    return plan_services.action_add(
        plan=plan,
        owner_authority=member.authority,
        owner_person=via.user,
        description=description,
        start=policy.today(),
        end=due_on,
        expected_outcome=expected_outcome,
        via=record_via,
    )


@transaction.atomic
def case_action_to_referral(
    *, case: CaseItem, access: policy.ChildAccess, intervention: Intervention, reason: str, in_plan: bool, via: Via
) -> Referral:
    """Make an action agreed on an identified case a referral to an intervention in one step.

    The catalogue's own rules apply (`catalogue.referrals.referral_make`): the intervention is in the
    child's municipality, and with `in_plan` the referral is also an action of the child's open plan the
    user may change. The user must take part in the team and see the child (`access`).
    """
    _member(via, case.meeting.team)
    if access.child.pk != case.child_id:
        raise PermissionDenied("the access is to another child")
    plan = editable_plan(access) if in_plan else None
    if in_plan and plan is None:
        raise ValidationError({"__all__": [NO_PLAN]})
    record_via = RecordVia(actor=via.actor, surface=via.surface, target=via.target, basis=access.basis)
    return referrals.referral_make(
        access=access, user=via.user, intervention=intervention, reason=reason, via=record_via, plan=plan
    )


# --- Outcomes ---


@transaction.atomic
def outcome_add(
    *,
    meeting: Meeting,
    kind: str,
    text: str,
    via: Via,
    item: AgendaItem | None = None,
    owner: User | None = None,
    due_on: date | None = None,
) -> Outcome:
    """Record advice, a decision or an action (an action needs an owner in the team and a due date)."""
    _member(via, meeting.team)
    _check_open(meeting)
    _check_identifying({"text": text}, via.user)
    if kind == Outcome.Kind.ACTION:
        if owner is None or due_on is None:
            raise ValidationError({"owner": [NEEDS_OWNER]})
        if not team_services.current_members(meeting.team).filter(user=owner).exists():
            raise ValidationError({"owner": [OWNER_NOT_MEMBER]})
    else:
        owner, due_on = None, None
    if item is not None and item.meeting_id != meeting.pk:
        raise PermissionDenied("the item belongs to another meeting")
    outcome = Outcome(
        meeting=meeting, item=item, kind=kind, text=text.strip(), owner=owner, due_on=due_on, created_by=via.user
    )
    outcome.full_clean()
    outcome.save()
    _log(via, "create", outcome)
    return outcome


def _readable(case: CaseItem, user) -> bool:
    rows = CaseItem.objects.filter(pk=case.pk)
    return policy.team_case_items(user, rows, team=case.meeting.team).exists()


@transaction.atomic
def case_outcome_add(*, case: CaseItem, kind: str, text: str, via: Via) -> CaseOutcome:
    """Record advice or a decision on an identified case, by a member who may read the case now.

    It is child data: logged with the child and the case's consent as basis, read only with the case.
    """
    _member(via, case.meeting.team)
    _check_open(case.meeting)
    if not _readable(case, via.user):
        raise PermissionDenied(CASE_CLOSED)
    outcome = CaseOutcome(case=case, kind=kind, text=text.strip(), created_by=via.user)
    outcome.full_clean()
    outcome.save()
    _log(via, "create", outcome, basis=f"{policy.Basis.CONSENT}:{case.consent_id}", child_id=case.child_id)
    return outcome


@transaction.atomic
def action_done(*, outcome: Outcome, via: Via) -> Outcome:
    """Mark an action done today (its owner or the chair)."""
    outcome = Outcome.objects.select_for_update().select_related("meeting__team").get(pk=outcome.pk)
    _member(via, outcome.meeting.team)
    if outcome.owner_id != via.user.pk and not is_chair(via.user, outcome.meeting.team):
        raise PermissionDenied("only the owner or the chair closes an action")
    if outcome.done_on is not None:
        raise ValidationError(ALREADY_DONE, code="done")
    outcome.done_on = policy.today()
    outcome.save(update_fields=["done_on"])
    _log(via, "update", outcome)
    return outcome


# --- Minutes ---


@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str, via: Via) -> Meeting:
    """Write the minutes' own text until the chair approves them."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _member(via, meeting.team)
    _check_open(meeting)
    _check_identifying({"minutes": text}, via.user)
    meeting.minutes = text.strip()
    meeting.save(update_fields=["minutes"])
    _log(via, "update", meeting)
    return meeting


@transaction.atomic
def minutes_approve(*, meeting: Meeting, via: Via) -> Meeting:
    """The chair approves the minutes; from then on they never change."""
    meeting = Meeting.objects.select_for_update().select_related("team").get(pk=meeting.pk)
    _member(via, meeting.team)
    _check_open(meeting)
    if not is_chair(via.user, meeting.team):
        raise ValidationError(CHAIR_ONLY, code="chair")
    meeting.approved_at = timezone.now()
    meeting.approved_by = via.user
    meeting.save(update_fields=["approved_at", "approved_by"])
    _log(via, "update", meeting)
    return meeting


@transaction.atomic
def addendum_add(*, meeting: Meeting, text: str, via: Via) -> Addendum:
    """Add a correction to approved minutes."""
    _member(via, meeting.team)
    if meeting.approved_at is None:
        raise ValidationError(NOT_APPROVED, code="open")
    _check_identifying({"text": text}, via.user)
    addendum = Addendum(meeting=meeting, text=text.strip(), written_by=via.user)
    addendum.full_clean()
    addendum.save()
    _log(via, "create", addendum)
    return addendum


# --- Calendar feeds ---


@transaction.atomic
def feed_for(*, team: Team, via: Via) -> CalendarFeed:
    """Return the member's live calendar address of the team, making one if there is none."""
    _member(via, team)
    feed = CalendarFeed.objects.filter(team=team, user=via.user, revoked_at__isnull=True).first()
    if feed is None:
        feed = CalendarFeed.objects.create(team=team, user=via.user, token=secrets.token_urlsafe(32))
        _log(via, "create", feed)
    return feed


@transaction.atomic
def feed_revoke(*, team: Team, via: Via) -> CalendarFeed:
    """Revoke the member's calendar address: it stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(team=team, user=via.user, revoked_at__isnull=True).first()
    if feed is None:
        raise ValidationError(NO_FEED, code="revoked")
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    _log(via, "update", feed)
    return feed


def feed_by_token(token: str) -> CalendarFeed | None:
    """Return the live feed of a token whose member still takes part in the team, or None."""
    feed = CalendarFeed.objects.select_related("team", "user").filter(token=token, revoked_at__isnull=True).first()
    if feed is None or policy.meeting_member(feed.user, feed.team) is None:
        return None
    return feed


@transaction.atomic
def consent_reason_record(*, consent: Consent, team: Team, reason: str, text: str, via: Via) -> ConsentReason:
    """Record the reason a guardian chose to give for not consenting to the team (never required of them).

    The consent comes from `policy.consent_for_user(..., manage=True)`: only the asking authority records it.
    """
    _member(via, team)
    if not consent.recipient_teams.filter(pk=team.pk).exists():
        raise PermissionDenied("the consent does not name the team")
    _check_identifying({"text": text}, via.user)
    row, _created = ConsentReason.objects.update_or_create(
        consent=consent, defaults={"reason": reason, "text": text.strip(), "recorded_by": via.user}
    )
    _log(via, "update", row, basis=policy.Basis.CONSENT_ADMIN, child_id=consent.child_id)
    return row

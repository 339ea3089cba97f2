"""Team meetings: who takes part, and which identified cases a member may read.

A meeting is shared with the team's current members only (`current_team_members`: joined, not yet
left, still working for the authority they take part for, an active team). An identified case on a
team's agenda (`meetings.CaseItem`) is readable by a member only while the consent it was raised under
is in force (`consent_active`), still names the team, and still covers the category of what was told.
Withdrawal, expiry or the member leaving closes it at once: the rule is checked at every read.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from audit import log as audit
from sharing.models import Consent, ConsentCategory
from sharing.policy.records import consent_active, current_team_members
from sharing.policy.rules import Basis, consults
from teams.models import Team, TeamMember

__all__ = [
    "case_consent_covers",
    "case_item_for_user",
    "case_items_in_force",
    "log_case_reads",
    "meeting_member",
    "team_case_items",
]


def meeting_member(user, team: Team, *, at: datetime | None = None) -> TeamMember | None:
    """Return the user's current membership of the team (the one meetings are shared with), or None."""
    if not (user.is_authenticated and user.is_active):
        return None
    on = timezone.localdate(at or timezone.now())
    return current_team_members(on=on).filter(team=team, user=user).select_related("authority").first()


def case_consent_covers(team: Team, *, at: datetime | None = None) -> QuerySet[Consent]:
    """Return the consents in force now that name the team: those under which a case may be raised or read."""
    at = at or timezone.now()
    named = Consent.recipient_teams.through.objects.filter(consent=OuterRef("pk"), team=team)
    return Consent.objects.filter(consent_active(at), Exists(named))


@consults
def team_case_items(user, queryset: QuerySet, *, team: Team, at: datetime | None = None) -> QuerySet:
    """Filter identified case items to those of the team the user may read now.

    The user must be a current member; the item's consent must be in force, still name the team and
    still cover the item's category. Anything else is nothing: the same as no case at all.
    """
    at = at or timezone.now()
    if meeting_member(user, team, at=at) is None:
        return queryset.none()
    covers = ConsentCategory.objects.filter(consent=OuterRef("consent"), category=OuterRef("category"))
    named = Consent.recipient_teams.through.objects.filter(consent=OuterRef("consent"), team=team)
    return queryset.filter(consent_active(at, "consent__"), Exists(covers), Exists(named), meeting__team=team)


@consults
def case_items_in_force(
    queryset: QuerySet, *, at: datetime | None = None, majority_before: date | None = None
) -> QuerySet:
    """Filter identified case items to those whose consent is in force now, names the meeting's team and covers them.

    The same consent rule as `team_case_items`, for counting across meetings in one query (the start page's
    next meeting): the caller reads only meetings of teams the user is a current member of.
    """
    at = at or timezone.now()
    covers = ConsentCategory.objects.filter(consent=OuterRef("consent"), category=OuterRef("category"))
    named = Consent.recipient_teams.through.objects.filter(consent=OuterRef("consent"), team=OuterRef("meeting__team"))
    in_force = consent_active(at, "consent__", majority_before=majority_before)
    return queryset.filter(in_force, Exists(covers), Exists(named))


@consults
def case_item_for_user(user, queryset: QuerySet, case_id: int):
    """Return one identified case by its id if the user may read it now (`team_case_items`), else None."""
    found = queryset.filter(pk=case_id).select_related("meeting__team").first()
    if found is None:
        return None
    rows = queryset.filter(pk=case_id).select_related("meeting__team", "child")
    return team_case_items(user, rows, team=found.meeting.team).first()


def log_case_reads(items, *, actor: audit.Actor, surface: str, meeting, action: str = "read") -> None:
    """Write one audit row per identified case read, with the consent as basis and the meeting as target."""
    for item in items:
        audit.record(
            actor=actor,
            action=action,
            surface=surface,
            target=f"meeting:{meeting.pk}",
            basis=f"{Basis.CONSENT}:{item.consent_id}",
            child_id=item.child_id,
            record_type="CaseItem",
            record_id=str(item.pk),
        )

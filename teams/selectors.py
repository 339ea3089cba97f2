"""Reads for the team pages: the teams staff may see, and a team's members now and before."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from organisations.models import Authority, Municipality
from sharing import policy
from teams.models import Team, TeamMember


def staff_municipalities(user) -> QuerySet[Municipality]:
    """Return the municipalities the user works in today (through the authorities of their memberships)."""
    return Municipality.objects.filter(authorities__in=policy.user_authorities(user)).distinct()


def teams_for(user, *, search: str = "") -> QuerySet[Team]:
    """Return the teams of the municipalities the user works in, active first, then by name."""
    teams = Team.objects.filter(municipality__in=staff_municipalities(user)).select_related("municipality")
    if search:
        teams = teams.filter(name__icontains=search)
    return teams.order_by("-active", "name", "pk")


def team_for(user, team_id: int) -> Team | None:
    """Return one team the user may see, or None (missing and not visible alike)."""
    return teams_for(user).filter(pk=team_id).first()


def members(team: Team) -> tuple[list[TeamMember], list[TeamMember]]:
    """Return the team's current (and coming) members, and its past members."""
    today = policy.today()
    rows = team.members.select_related("user", "authority").order_by("-role", "user__last_name", "user__first_name")
    ongoing = Q(left_on__isnull=True) | Q(left_on__gt=today)
    return list(rows.filter(ongoing)), list(rows.exclude(ongoing).order_by("-left_on", "pk"))


def authorities_of(team: Team) -> QuerySet[Authority]:
    """Return the authorities of the team's municipality, for choosing whom a member takes part for."""
    return Authority.objects.filter(municipality=team.municipality_id).order_by("name")

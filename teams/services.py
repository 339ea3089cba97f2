"""Writes for teams: create a team, add a member, end a membership. Each is audit-logged; nothing is deleted.

Teams hold no child data, so their audit rows name no child: the record is the team or the membership,
with the basis `team_admin`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit import log as audit
from directory.selectors import team_staff
from organisations.models import Authority, Municipality
from sharing import policy
from teams.models import Team, TeamMember

BASIS = policy.Basis.TEAM_ADMIN

NAME_TAKEN = _("Det finns redan ett team med det namnet i kommunen. Välj ett annat namn.")
NEEDS_NAME = _("Skriv teamets namn.")
INACTIVE = _("Teamet är inte aktivt. Det går inte att lägga till medlemmar.")
ALREADY_MEMBER = _("Personen är redan medlem i teamet. Avsluta det nuvarande medlemskapet först om något ska ändras.")
NOT_THEIR_AUTHORITY = _(
    "Personen arbetar inte för den myndigheten i dag. Välj en myndighet där personen har en aktuell anställning."
)
OTHER_MUNICIPALITY = _("Välj en myndighet i teamets kommun.")
NOT_ALLOWED = _("Välj en person i listan: personal med en aktuell anställning i kommunen.")
ALREADY_ENDED = _("Medlemskapet är redan avslutat. Ladda om sidan för att se läget.")
NOT_BACKDATED = _("Välj i dag eller en senare dag.")


@dataclass(frozen=True)
class Via:
    """Who acts and where: what every audit row of a team write needs."""

    user: User
    actor: audit.Actor
    surface: str
    target: str


def managed_municipalities(user, *, on: date | None = None) -> QuerySet[Municipality]:
    """Return the municipalities whose teams the user may keep: where they are a manager or administrator today."""
    managing = policy.memberships(user, on=on).filter(role__in=policy.ACTIONS[policy.Action.KEEP_TEAMS])
    return Municipality.objects.filter(authorities__units__memberships__in=managing).distinct()


def may_manage(user, team_or_municipality: Team | Municipality) -> bool:
    municipality_id = (
        team_or_municipality.municipality_id if isinstance(team_or_municipality, Team) else team_or_municipality.pk
    )
    return managed_municipalities(user).filter(pk=municipality_id).exists()


def log_write(*, actor: audit.Actor, action: str, surface: str, record, target: str = "teams") -> None:
    """Write the audit row of a team write (no child: a team holds no child data)."""
    audit.record(
        actor=actor,
        action=action,
        surface=surface,
        target=target,
        basis=BASIS,
        record_type=type(record).__name__,
        record_id=str(record.pk),
    )


def _check_manager(via: Via, municipality: Municipality) -> None:
    if not may_manage(via.user, municipality):
        raise PermissionDenied("only a manager or administrator of the municipality keeps its teams")


@transaction.atomic
def team_create(*, municipality: Municipality, name: str, kind: str, description: str, via: Via) -> Team:
    """Create an active team in the municipality."""
    _check_manager(via, municipality)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [NEEDS_NAME]})
    if Team.objects.filter(municipality=municipality, name__iexact=name).exists():
        raise ValidationError({"name": [NAME_TAKEN]})
    team = Team(municipality=municipality, name=name, kind=kind, description=description.strip(), created_by=via.user)
    team.full_clean()
    team.save()
    log_write(actor=via.actor, action="create", surface=via.surface, target=via.target, record=team)
    return team


def current_members(team: Team, *, on: date | None = None) -> QuerySet[TeamMember]:
    """Return the team's members on a day: joined by then and not yet left."""
    on = on or policy.today()
    return team.members.filter(Q(left_on__isnull=True) | Q(left_on__gt=on), joined_on__lte=on)


@transaction.atomic
def team_member_add(
    *, team: Team, user: User, authority: Authority, role: str, joined_on: date, via: Via
) -> TeamMember:
    """Add a staff user to the team for one of the authorities they work for today."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    _check_manager(via, team.municipality)
    errors: dict[str, list] = {}
    if not team.active:
        errors["__all__"] = [INACTIVE]
    if authority.municipality_id != team.municipality_id:
        errors["authority"] = [OTHER_MUNICIPALITY]
    elif not policy.user_authorities(user).filter(pk=authority.pk).exists():
        errors["authority"] = [NOT_THEIR_AUTHORITY]
    if not team_staff(team).filter(pk=user.pk).exists():
        errors["user"] = [NOT_ALLOWED]  # the picker's rule (directory.selectors.team_staff), checked here too
    elif team.members.filter(Q(left_on__isnull=True) | Q(left_on__gt=policy.today()), user=user).exists():
        errors["user"] = [ALREADY_MEMBER]
    if joined_on < policy.today():
        errors["joined_on"] = [NOT_BACKDATED]
    if errors:
        raise ValidationError(errors)
    member = TeamMember(team=team, user=user, authority=authority, role=role, joined_on=joined_on, added_by=via.user)
    member.full_clean()
    member.save()
    log_write(actor=via.actor, action="create", surface=via.surface, target=via.target, record=member)
    return member


@transaction.atomic
def team_member_end(*, member: TeamMember, via: Via) -> TeamMember:
    """End a membership today; the row stays as history, and the authority stops being reached at once."""
    member = TeamMember.objects.select_for_update().select_related("team").get(pk=member.pk)
    _check_manager(via, member.team.municipality)
    today = policy.today()
    if member.left_on is not None and member.left_on <= today:
        raise ValidationError(ALREADY_ENDED, code="ended")
    # A member who has not joined yet leaves on the day they would have joined: never before it.
    member.left_on = max(today, member.joined_on)
    member.ended_by = via.user
    member.full_clean()
    member.save(update_fields=["left_on", "ended_by"])
    log_write(actor=via.actor, action="update", surface=via.surface, target=via.target, record=member)
    return member

"""Helpers of the meeting tests: a service caller, a team member, a consent to the team."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meetings import services
from sharing import policy
from sharing.models import Consent, ConsentCategory
from teams.models import TeamMember


def via(user, target="test") -> services.Via:
    return services.Via(user=user, actor=policy.actor_for(user, session_key=None), surface="page", target=target)


def join(team, user, authority, *, role="member", joined=-30) -> TeamMember:
    return TeamMember.objects.create(
        team=team,
        user=user,
        authority=authority,
        role=role,
        joined_on=policy.today() + timedelta(days=joined),
        added_by=team.created_by,
    )


def team_consent(cast, team, *, status="given", categories=("education",), child=None, hours=(-1, 24 * 30)):
    now = timezone.now()
    consent = Consent.objects.create(
        child=child or cast.child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samordnat stöd i barnombudsteamet",
        valid_from=now + timedelta(hours=hours[0]),
        valid_until=now + timedelta(hours=hours[1]),
        status=status,
    )
    if team is not None:
        consent.recipient_teams.set([team])
    for category in categories:
        ConsentCategory.objects.create(consent=consent, category=category)
    return consent

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


def meeting_world(cast) -> dict[str, object]:
    """A team meeting with an identified case about the cast's child, for the outsider sweep: ids by route name."""
    from datetime import time

    from django.db import transaction

    from meetings.models import Meeting
    from teams.models import Team

    team = Team.objects.create(
        name="Barnombudsteam Svep", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )
    join(team, cast.named_person, cast.education, role="chair")
    meeting = Meeting.objects.create(
        team=team, date=policy.today(), starts_at=time(13), ends_at=time(15), created_by=cast.named_person
    )
    consent = team_consent(cast, team)
    with transaction.atomic():
        actor = policy.actor_for(cast.named_person, session_key=None)
        access = policy.child_for_user(cast.named_person, cast.child.pk, actor=actor, surface="page", target="test")
        case = services.case_add(
            meeting=meeting,
            access=access,
            consent_id=consent.pk,
            category="education",
            summary="Frånvaro.",
            question="",
            via=via(cast.named_person),
        )
    outcome = services.outcome_add(
        meeting=meeting,
        kind="action",
        text="Boka möte.",
        owner=cast.named_person,
        due_on=policy.today(),
        via=via(cast.named_person),
    )
    return {
        "team_id": team.pk,
        "meeting_id": meeting.pk,
        "kind": "anonym",
        "outcome_id": outcome.pk,
        "case_id": case.pk,
    }

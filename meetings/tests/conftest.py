"""A Nora-style team of the test world: the school (chair), BUP (the region) and social services, with a meeting."""

from __future__ import annotations

from datetime import time

import pytest
from django.db import transaction

from meetings import services
from meetings.models import Meeting
from meetings.tests.helpers import join, team_consent, via
from sharing import policy
from teams.models import Team


@pytest.fixture
def team(cast):
    team = Team.objects.create(
        name="Barnombudsteam Öster", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )
    cast.chair = join(team, cast.named_person, cast.education, role="chair")
    cast.bup_member = join(team, cast.bup_clinician, cast.region)
    cast.social_member = join(team, cast.social_worker, cast.social)
    return team


@pytest.fixture
def meeting(team, cast):
    return Meeting.objects.create(
        team=team,
        date=policy.today(),
        starts_at=time(13),
        ends_at=time(15),
        place="Kommunhuset, rum 2",
        created_by=cast.named_person,
    )


@pytest.fixture
def case(cast, meeting, team):
    """An identified case the school raised under a consent to the team (education)."""
    cast.consent = team_consent(cast, team)
    with transaction.atomic():
        access = policy.child_for_user(
            cast.named_person,
            cast.child.pk,
            actor=policy.actor_for(cast.named_person, session_key=None),
            surface="page",
            target="test",
        )
        return services.case_add(
            meeting=meeting,
            access=access,
            consent_id=cast.consent.pk,
            category="education",
            summary="Hög frånvaro sedan höstlovet.",
            question="Hur kan vi stödja skolgången?",
            via=via(cast.named_person),
        )

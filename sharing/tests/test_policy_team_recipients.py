"""A consent to "a multi-agency team": it reaches an authority only while a current member takes part for it.

The policy judges it at each read: the authorities the team's current members take part for (joined,
not yet left, still employed there, in an active team) are recipients; the moment the member leaves or
the team is made inactive, that authority's staff no longer see what the consent opened.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEvent
from organisations.models import Membership
from sharing import policy
from sharing.models import Consent, ConsentCategory, ReportOfConcern
from sharing.tests.test_policy_plan_participants import _open, _school_records, bup_relation
from teams.models import Team, TeamMember


def _consent(cast, team, *, status="given", start=-1, end=24 * 30, categories=("education",), recipients=()):
    """A consent the school asked for, sharing its information with a team."""
    now = timezone.now()
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samordnat stöd i barnombudsteamet",
        valid_from=now + timedelta(hours=start),
        valid_until=now + timedelta(hours=end),
        status=status,
    )
    consent.recipients.set(recipients)
    consent.recipient_teams.set([team] if team else [])
    for category in categories:
        ConsentCategory.objects.create(consent=consent, category=category)
    return consent


def make_team(cast, *, name="Barnombudsteam Öster", active=True) -> Team:
    return Team.objects.create(
        name=name, municipality=cast.municipality, kind="barnombudsteam", active=active, created_by=cast.manager
    )


def join(team, user, authority, *, joined=-30, left=None) -> TeamMember:
    today = policy.today()
    return TeamMember.objects.create(
        team=team,
        user=user,
        authority=authority,
        joined_on=today + timedelta(days=joined),
        left_on=None if left is None else today + timedelta(days=left),
        added_by=team.created_by,
    )


@pytest.fixture
def teamed(cast):
    """A team with the school and BUP (the region); BUP and social services know the child."""
    bup_relation(cast)
    ReportOfConcern.objects.create(
        child=cast.child,
        owner_authority=cast.social,
        to_unit=cast.social_team,
        reporter=cast.teacher,
        reporter_authority=cast.education,
        what_happened="Oro för skolfrånvaron.",
    )
    cast.team = make_team(cast)
    join(cast.team, cast.named_person, cast.education)
    cast.bup_member = join(cast.team, cast.bup_clinician, cast.region)
    return cast


def test_a_member_authority_sees_the_consented_categories_and_the_log_names_the_consent(teamed):
    consent = _consent(teamed, teamed.team)
    rows = _school_records(teamed, "bup_clinician")
    assert rows and {row.shared_basis for row in rows} == {policy.Basis.CONSENT}
    assert {row.shared_basis_id for row in rows} == {consent.pk}
    actor = policy.actor_for(teamed.bup_clinician, session_key="s")
    with audit.deferred():
        policy.log_shared_reads(rows, actor=actor, surface="page", target="t", access=_open(teamed, "bup_clinician"))
    logged = AuditEvent.objects.filter(user_id=teamed.bup_clinician.pk, record_type="Enrolment")
    assert [row.basis for row in logged] == [f"consent:{consent.pk}"] * len(rows)


def test_an_authority_outside_the_team_sees_nothing(teamed):
    _consent(teamed, teamed.team)
    assert _school_records(teamed, "social_worker") == []  # related through the report, but not in the team


def test_only_the_consented_categories_open(teamed):
    _consent(teamed, teamed.team, categories=("health",))
    assert _school_records(teamed, "bup_clinician") == []


def test_access_ends_the_moment_the_member_leaves(teamed):
    _consent(teamed, teamed.team)
    assert _school_records(teamed, "bup_clinician")
    TeamMember.objects.filter(pk=teamed.bup_member.pk).update(left_on=policy.today())
    assert _school_records(teamed, "bup_clinician") == []


def test_a_member_leaving_later_still_takes_part_until_then(teamed):
    TeamMember.objects.filter(pk=teamed.bup_member.pk).update(left_on=policy.today() + timedelta(days=1))
    _consent(teamed, teamed.team)
    assert _school_records(teamed, "bup_clinician")


def test_a_member_who_has_not_joined_yet_does_not_take_part(teamed):
    TeamMember.objects.filter(pk=teamed.bup_member.pk).update(joined_on=policy.today() + timedelta(days=1))
    _consent(teamed, teamed.team)
    assert _school_records(teamed, "bup_clinician") == []


def test_access_ends_the_moment_the_team_is_made_inactive(teamed):
    _consent(teamed, teamed.team)
    assert _school_records(teamed, "bup_clinician")
    Team.objects.filter(pk=teamed.team.pk).update(active=False)
    assert _school_records(teamed, "bup_clinician") == []


def test_a_member_who_no_longer_works_for_the_authority_no_longer_takes_part_for_it(teamed):
    _consent(teamed, teamed.team)
    Membership.objects.filter(user=teamed.bup_clinician).update(valid_to=policy.today() - timedelta(days=1))
    # Another BUP clinician, related to the child through BUP: her authority is no longer in the team.
    colleague = get_user_model().objects.create_user(username="bup2", password="x")
    Membership.objects.create(user=colleague, unit=teamed.bup, role="practitioner", valid_from=policy.today())
    teamed.colleague = colleague
    assert _school_records(teamed, "colleague") == []


def test_an_authority_that_joins_the_team_later_is_reached_at_once(teamed):
    _consent(teamed, teamed.team)
    assert _school_records(teamed, "social_worker") == []
    join(teamed.team, teamed.social_worker, teamed.social, joined=0)
    assert {row.shared_basis for row in _school_records(teamed, "social_worker")} == {policy.Basis.CONSENT}


def test_a_consent_without_the_team_does_not_reach_its_members(teamed):
    _consent(teamed, None, recipients=[teamed.police])
    assert _school_records(teamed, "bup_clinician") == []


def test_another_team_does_not_count(teamed):
    other = make_team(teamed, name="Samverkansforum")
    _consent(teamed, other)
    assert _school_records(teamed, "bup_clinician") == []


@pytest.mark.parametrize(
    "variant",
    [
        {"status": "requested"},
        {"status": "declined"},
        {"status": "withdrawn"},
        {"status": "expired"},
        {"start": -48, "end": -1},  # expired an hour ago, though nothing marked it
        {"start": 2},  # not yet in force
    ],
)
def test_a_consent_not_in_force_opens_nothing_to_the_team(teamed, variant):
    _consent(teamed, teamed.team, **variant)
    assert _school_records(teamed, "bup_clinician") == []


def test_membership_of_the_team_gives_no_relation_to_the_child(cast):
    team = make_team(cast)
    join(team, cast.bup_clinician, cast.region)
    _consent(cast, team)
    with pytest.raises(Http404):
        _open(cast, "bup_clinician")  # a consent opens records, never the child itself


def test_a_member_authority_sees_the_consent_only_while_it_takes_part(teamed):
    consent = _consent(teamed, teamed.team, status="requested")
    assert list(policy.consents_for(_open(teamed, "bup_clinician"))) == [consent]
    assert list(policy.consents_for(_open(teamed, "social_worker"))) == []
    TeamMember.objects.filter(pk=teamed.bup_member.pk).update(left_on=policy.today())
    assert list(policy.consents_for(_open(teamed, "bup_clinician"))) == []


def test_the_teams_authorities_today_are_its_current_members(teamed):
    assert set(policy.team_authorities(teamed.team)) == {teamed.education, teamed.region}
    TeamMember.objects.filter(pk=teamed.bup_member.pk).update(left_on=policy.today())
    assert set(policy.team_authorities(teamed.team)) == {teamed.education}
    Team.objects.filter(pk=teamed.team.pk).update(active=False)
    teamed.team.refresh_from_db()
    assert not policy.team_authorities(teamed.team).exists()

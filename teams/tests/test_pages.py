"""The team pages: who sees the list and a team, who may create a team, add a member and end a membership."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import Authority, Membership, Municipality, Unit
from sharing import policy
from teams.models import Team, TeamMember
from testsupport.cast import sign_in

LIST = reverse("teams:list")
NEW = reverse("teams:new")


def _team(cast, *, name="Barnombudsteam Öster", active=True) -> Team:
    return Team.objects.create(
        name=name, municipality=cast.municipality, kind="barnombudsteam", active=active, created_by=cast.manager
    )


def _member(team, user, authority, **extra) -> TeamMember:
    return TeamMember.objects.create(
        team=team,
        user=user,
        authority=authority,
        joined_on=policy.today() - timedelta(days=10),
        added_by=team.created_by,
        **extra,
    )


def _detail(team) -> str:
    return reverse("teams:detail", args=[team.pk])


def _add(team) -> str:
    return reverse("teams:member_add", args=[team.pk])


def _end(team, member) -> str:
    return reverse("teams:member_end", args=[team.pk, member.pk])


@pytest.fixture
def team(cast):
    team = _team(cast)
    cast.bup_member = _member(team, cast.bup_clinician, cast.region, role="chair")
    return team


@pytest.fixture
def elsewhere(cast):
    """A manager of another municipality's school."""
    other = Municipality.objects.create(name="Annanstad", code="9998")
    authority = Authority.objects.create(
        name="Annanstads utbildningsnämnd", kind="municipal_committee", sector="education", municipality=other
    )
    unit = Unit.objects.create(authority=authority, name="Annanskolan", unit_type="school")
    user = cast.manager.__class__.objects.create_user(username="annan_chef", password="x", first_name="Anna")
    Membership.objects.create(user=user, unit=unit, role="manager", valid_from=policy.today() - timedelta(days=30))
    return user


def _add_data(cast, **changes):
    data = {
        "user": cast.social_worker.pk,
        "authority": cast.social.pk,
        "role": "member",
        "joined_on": policy.today().isoformat(),
    }
    return {**data, **changes}


# --- The list and the team page ---


def test_staff_see_the_teams_active_first_and_can_search(client, cast, team):
    _team(cast, name="Avslutat forum", active=False)
    sign_in(client, cast.teacher)
    body = client.get(LIST).content.decode()
    assert body.index("Barnombudsteam Öster") < body.index("Avslutat forum")
    assert "Skapa team" not in body  # a practitioner only reads
    found = client.get(LIST, {"q": "barnombud"}).content.decode()
    assert "Barnombudsteam Öster" in found and "Avslutat forum" not in found
    assert "Inget team matchar" in client.get(LIST, {"q": "finns inte"}).content.decode()


def test_the_list_says_when_there_are_no_teams(client, cast):
    sign_in(client, cast.manager)
    body = client.get(LIST).content.decode()
    assert "Det finns inga team i din kommun ännu." in body and 'href="/team/nytt/"' in body


def test_the_list_is_paginated(client, cast):
    for number in range(30):
        _team(cast, name=f"Team {number:02}")
    sign_in(client, cast.teacher)
    assert "Sida 1 av 2" in client.get(LIST).content.decode()
    assert "Team 29" in client.get(LIST, {"sida": 2}).content.decode()


def test_the_team_page_shows_current_and_past_members(client, cast, team):
    _member(team, cast.social_worker, cast.social, left_on=policy.today())
    sign_in(client, cast.teacher)
    body = client.get(_detail(team)).content.decode()
    assert "Erik Psykolog" in body and "Region Test" in body and "Ordförande" in body
    assert "Tidigare medlemmar" in body and "Sofia Socionom" in body
    assert "Myndigheter i teamet i dag" in body
    assert "Avsluta medlemskap" not in body and "Lägg till medlem" not in body


def test_another_municipalitys_staff_get_404(client, cast, team, elsewhere):
    sign_in(client, elsewhere)
    assert client.get(_detail(team)).status_code == 404
    assert "Barnombudsteam Öster" not in client.get(LIST).content.decode()


def test_a_family_user_gets_404(client, cast, team):
    sign_in(client, cast.guardian_user)
    assert client.get(LIST).status_code == 404
    assert client.get(_detail(team)).status_code == 404


# --- Creating a team ---


@pytest.mark.parametrize("who", ["manager", "administrator"])
def test_a_manager_or_administrator_creates_a_team_and_it_is_logged(client, cast, who):
    sign_in(client, getattr(cast, who))
    data = {"municipality": cast.municipality.pk, "name": "Samverkansforum Väster", "kind": "samverkansforum"}
    response = client.post(NEW, data)
    team = Team.objects.get()
    assert response.status_code == 302 and response.url == _detail(team)
    assert (team.active, team.created_by, team.kind) == (True, getattr(cast, who), "samverkansforum")
    row = AuditEvent.objects.get(record_type="Team")
    assert (row.action, row.basis, row.record_id, row.child_id) == ("create", "team_admin", str(team.pk), None)


@pytest.mark.parametrize("who", ["teacher", "named_person", "analyst"])
def test_other_roles_may_not_create_a_team(client, cast, who):
    sign_in(client, getattr(cast, who))
    assert client.get(NEW).status_code == 403
    data = {"municipality": cast.municipality.pk, "name": "Mitt team", "kind": "other"}
    assert client.post(NEW, data).status_code == 403
    assert not Team.objects.exists()


def test_a_manager_of_another_municipality_may_not_create_a_team_here(client, cast, elsewhere):
    sign_in(client, elsewhere)
    data = {"municipality": cast.municipality.pk, "name": "Mitt team", "kind": "other"}
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "Välj en kommun där du är chef eller administratör." in response.content.decode()
    assert not Team.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Skriv teamets namn."),
        ({"name": "BARNOMBUDSTEAM Öster"}, "Det finns redan ett team med det namnet i kommunen."),
        ({"kind": ""}, "Välj typ av team."),
    ],
)
def test_creating_a_team_explains_what_is_wrong_and_changes_nothing(client, cast, team, changes, message):
    sign_in(client, cast.manager)
    data = {"municipality": cast.municipality.pk, "name": "Nytt team", "kind": "other", **changes}
    response = client.post(NEW, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert Team.objects.count() == 1 and not AuditEvent.objects.filter(record_type="Team").exists()


# --- Adding a member ---


def test_a_manager_adds_a_member_and_it_is_logged(client, cast, team):
    sign_in(client, cast.manager)
    searched = client.post(_add(team), {**_add_data(cast, user=""), "picker-search": "user", "user-q": "Socionom"})
    assert "Sofia Socionom" in searched.content.decode()  # found by the picker's search without JavaScript
    response = client.post(_add(team), _add_data(cast))
    assert response.status_code == 302
    member = TeamMember.objects.get(user=cast.social_worker)
    assert (member.authority, member.role, member.left_on, member.added_by) == (
        cast.social,
        "member",
        None,
        cast.manager,
    )
    row = AuditEvent.objects.get(record_type="TeamMember")
    assert (row.action, row.basis, row.record_id) == ("create", "team_admin", str(member.pk))
    assert set(policy.team_authorities(team)) == {cast.region, cast.social}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"authority": "region"}, "Personen arbetar inte för den myndigheten i dag."),
        ({"user": "bup_clinician", "authority": "region"}, "Personen är redan medlem i teamet."),
        ({"user": ""}, "Välj vem som ska vara med i teamet."),
        ({"authority": ""}, "Välj vilken myndighet personen deltar för."),
        ({"joined_on": "igår"}, "Skriv datumet som ÅÅÅÅ-MM-DD."),
        ({"joined_on": "2000-01-01"}, "Välj i dag eller en senare dag."),
    ],
)
def test_adding_a_member_explains_what_is_wrong_and_changes_nothing(client, cast, team, changes, message):
    resolved = {
        key: (getattr(cast, value).pk if isinstance(value, str) and hasattr(cast, value) and value else value)
        for key, value in changes.items()
    }
    sign_in(client, cast.manager)
    response = client.post(_add(team), _add_data(cast, **resolved))
    assert response.status_code == 400 and message in response.content.decode()
    assert list(team.members.all()) == [cast.bup_member]
    assert not AuditEvent.objects.filter(record_type="TeamMember").exists()


def test_an_inactive_team_takes_no_members(client, cast, team):
    Team.objects.filter(pk=team.pk).update(active=False)
    sign_in(client, cast.manager)
    response = client.post(_add(team), _add_data(cast))
    assert response.status_code == 400 and "Teamet är inte aktivt." in response.content.decode()
    assert team.members.count() == 1


@pytest.mark.parametrize("who", ["teacher", "bup_clinician"])
def test_other_roles_may_not_add_a_member(client, cast, team, who):
    sign_in(client, getattr(cast, who))
    assert client.get(_add(team)).status_code == 403
    assert client.post(_add(team), _add_data(cast)).status_code == 403
    assert team.members.count() == 1


def test_a_manager_of_another_municipality_may_not_add_a_member(client, cast, team, elsewhere):
    sign_in(client, elsewhere)
    assert client.post(_add(team), _add_data(cast)).status_code == 404
    assert team.members.count() == 1


# --- Ending a membership ---


def test_a_manager_ends_a_membership_after_confirming_and_history_is_kept(client, cast, team):
    sign_in(client, cast.manager)
    page = client.get(_end(team, cast.bup_member)).content.decode()
    assert "Erik Psykolog slutar i dag att delta i Barnombudsteam Öster för Region Test." in page
    assert cast.bup_member.__class__.objects.get(pk=cast.bup_member.pk).left_on is None  # GET changes nothing
    response = client.post(_end(team, cast.bup_member))
    assert response.status_code == 302
    cast.bup_member.refresh_from_db()
    assert (cast.bup_member.left_on, cast.bup_member.ended_by) == (policy.today(), cast.manager)
    assert not policy.team_authorities(team).exists()
    row = AuditEvent.objects.get(record_type="TeamMember")
    assert (row.action, row.record_id) == ("update", str(cast.bup_member.pk))
    assert "Tidigare medlemmar" in client.get(_detail(team)).content.decode()
    again = client.post(_end(team, cast.bup_member))
    assert again.status_code == 400 and "Medlemskapet är redan avslutat." in again.content.decode()


@pytest.mark.parametrize("who", ["teacher", "bup_clinician"])
def test_other_roles_may_not_end_a_membership(client, cast, team, who):
    sign_in(client, getattr(cast, who))
    assert client.post(_end(team, cast.bup_member)).status_code == 403
    cast.bup_member.refresh_from_db()
    assert cast.bup_member.left_on is None


def test_a_manager_of_another_municipality_may_not_end_a_membership(client, cast, team, elsewhere):
    sign_in(client, elsewhere)
    assert client.post(_end(team, cast.bup_member)).status_code == 404
    cast.bup_member.refresh_from_db()
    assert cast.bup_member.left_on is None


def test_a_member_of_another_team_is_404(client, cast, team):
    other = _team(cast, name="Annat team")
    sign_in(client, cast.manager)
    assert client.get(_end(other, cast.bup_member)).status_code == 404

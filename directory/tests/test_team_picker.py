"""The team member picker: the team's municipality's staff who may take part in teams, and nobody else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit import log as audit
from directory import selectors
from organisations.models import Authority, Membership, Municipality, Role, Unit
from sharing import policy
from teams import services
from teams.models import Team, TeamMember
from testsupport.cast import sign_in

SEARCH = reverse("directory:people_search")


@pytest.fixture
def team(cast):
    return Team.objects.create(
        name="Barnombudsteam Öster", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )


@pytest.fixture
def stranger(cast):
    """A teacher of another municipality: never to be offered for this municipality's team."""
    other = Municipality.objects.create(name="Annanstad", code="9998")
    authority = Authority.objects.create(
        name="Annanstads utbildningsnämnd", kind="municipal_committee", sector="education", municipality=other
    )
    unit = Unit.objects.create(authority=authority, name="Annanskolan", unit_type="school")
    user = type(cast.teacher).objects.create_user(username="annan", first_name="Sofie", last_name="Annansson")
    Membership.objects.create(
        user=user, unit=unit, role=Role.PRACTITIONER, valid_from=policy.today() - timedelta(days=30)
    )
    return user


def _add(team) -> str:
    return reverse("teams:member_add", args=[team.pk])


def _page_scope(client, team) -> str:
    body = client.get(_add(team)).content.decode()
    assert "data-people-picker" in body and 'role="combobox"' in body and 'id="id_user-search"' in body
    return re.search(r'"scope": "([^"]+)"', body).group(1)


def _names(client, scope: str, q: str) -> str:
    response = client.get(SEARCH, {"q": q, "scope": scope, "picker": "id_user"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_allowed_set_is_the_municipalitys_staff_who_may_take_part_in_teams(cast, team, stranger):
    allowed = set(selectors.team_staff(team))
    assert {cast.social_worker, cast.bup_clinician, cast.teacher, cast.manager, cast.administrator} <= allowed
    assert allowed.isdisjoint({cast.analyst, stranger})  # analysts take no part in teams; another municipality


def test_the_member_form_offers_a_picker_over_the_allowed_set_only(client, cast, team, stranger):
    sign_in(client, cast.manager)
    body = client.get(_add(team)).content.decode()
    assert "data-people-picker" in body and "js/people-picker.js" in body
    assert "Sofia Socionom" not in body  # nobody is listed before a search
    data = {"user-q": "Sof", "picker-search": "user", "joined_on": ""}
    body = client.post(_add(team), data).content.decode()
    assert "Sofia Socionom" in body  # the search without JavaScript finds her
    assert "Anders Analys" not in body and "Sofie Annansson" not in body


def test_the_search_with_the_pages_scope_finds_the_teams_staff_and_no_one_else(client, cast, team, stranger):
    sign_in(client, cast.manager)
    scope = _page_scope(client, team)
    assert f'data-value="{cast.social_worker.pk}"' in _names(client, scope, "Sofi")
    assert "Barn och familj (Socialnämnden)" in _names(client, scope, "Sofi")
    assert f'data-value="{cast.administrator.pk}"' in _names(client, scope, "Ada")  # administrators may take part
    assert stranger.get_full_name() not in _names(client, scope, "Sofi")  # another municipality's teacher
    assert 'role="option"' not in _names(client, scope, "Anders")  # the analyst
    # A plan's scope over the same authorities does not offer administrators: the purpose is signed too.
    assert 'role="option"' not in _names(client, selectors.scope_sign([cast.education.pk]), "Ada")


def test_the_search_refuses_an_anonymous_visitor(client, cast, team):
    scope = selectors.scope_sign(selectors.team_authorities(team), purpose=selectors.TEAM)
    response = client.get(SEARCH, {"q": "Sofia", "scope": scope})
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_the_search_refuses_a_forged_or_widened_scope(client, cast, team, stranger):
    sign_in(client, cast.manager)
    scope = _page_scope(client, team)
    other = list(Authority.objects.exclude(municipality=cast.municipality).values_list("pk", flat=True))
    forged = [
        scope[:-3] + ("AAA" if not scope.endswith("AAA") else "BBB"),  # tampered signature
        signing.dumps({"p": "team", "a": other}, salt="another salt", compress=True),  # not signed by the picker
        signing.dumps({"p": "team", "a": other}, salt="directory.people-picker", key="not the secret key"),
        signing.dumps({"p": "everyone", "a": None}, salt="directory.people-picker"),  # no such purpose
        signing.dumps({"p": "team", "a": ["1; DROP"]}, salt="directory.people-picker"),  # not authority ids
        "",
    ]
    for token in forged:
        response = client.get(SEARCH, {"q": "Sofie", "scope": token})
        assert response.status_code == 400, token
        assert stranger.get_full_name() not in response.content.decode()


@pytest.mark.parametrize("who", ["analyst", "stranger"])
def test_posting_someone_outside_the_allowed_set_is_refused_and_changes_nothing(client, cast, team, stranger, who):
    user = stranger if who == "stranger" else cast.analyst
    sign_in(client, cast.manager)
    data = {"user": user.pk, "authority": cast.education.pk, "role": "member", "joined_on": policy.today()}
    response = client.post(_add(team), data)
    assert response.status_code == 400
    assert "Välj en person i listan" in response.content.decode()
    assert not TeamMember.objects.exists()


def test_the_service_checks_the_same_rule(cast, team):
    actor = audit.Actor(user_id=cast.manager.pk, username="manager")
    via = services.Via(user=cast.manager, actor=actor, surface="test", target="teams")
    with pytest.raises(ValidationError) as caught:
        services.team_member_add(
            team=team, user=cast.analyst, authority=cast.education, role="member", joined_on=policy.today(), via=via
        )
    assert "user" in caught.value.message_dict
    assert not TeamMember.objects.exists()

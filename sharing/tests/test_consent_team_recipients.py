"""Asking for consent to "a multi-agency team": the request, limits, extensions, the pages and the family."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organisations.models import Municipality
from sharing import policy
from sharing.models import Consent, ConsentEvent
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, family_via, staff_via
from sharing.tests.test_policy_team_recipients import join, make_team
from teams.models import Team, TeamMember
from testsupport.cast import enrol, sign_in

NEEDS_A_RECIPIENT = "Välj minst en mottagare"


@pytest.fixture
def team(cast):
    """A barnombudsteam with BUP (the region) and social services taking part, and the school (the asker)."""
    team = make_team(cast)
    join(team, cast.named_person, cast.education)
    join(team, cast.bup_clinician, cast.region)
    join(team, cast.social_worker, cast.social)
    return team


def _given(cast, **kwargs) -> Consent:
    consent = ask(cast, **kwargs)
    for user in (cast.guardian_user, cast.co_guardian_user):
        services.consent_answer(consent=consent, decision="given", via=family_via(user))
    consent.refresh_from_db()
    return consent


def _url(name, cast, *args):
    return reverse(f"sharing:{name}", args=[cast.child.pk, *args])


def _request_data(**changes):
    today = timezone.localdate()
    data = {
        "shared_under_duty": "no",
        "purpose": "Samordnat stöd i teamet",
        "categories": ["education"],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
    }
    return {**data, **changes}


def _access(cast, user):
    actor = policy.actor_for(user, session_key="s")
    return policy.child_for_user(user, cast.child.pk, actor=actor, surface="page", target="test")


# --- Services ---


def test_a_request_may_name_only_a_team(cast, team):
    consent = ask(cast, recipients=[], teams=[team])
    assert list(consent.recipient_teams.all()) == [team] and not consent.recipients.exists()
    assert consent.events.get(kind=ConsentEvent.Kind.REQUESTED).details["teams"] == [team.pk]


@pytest.mark.parametrize("which", ["inactive", "other_municipality"])
def test_a_request_to_an_inactive_or_foreign_team_changes_nothing(cast, team, which):
    if which == "inactive":
        Team.objects.filter(pk=team.pk).update(active=False)
    else:
        Team.objects.filter(pk=team.pk).update(municipality=Municipality.objects.create(name="Annan", code="9998"))
    team.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        ask(cast, recipients=[], teams=[team])
    assert "Välj bara aktiva team i barnets kommun." in caught.value.message_dict["teams"]
    assert not Consent.objects.exists()


def test_a_limit_takes_a_team_away_at_once(cast, team):
    consent = _given(cast, teams=[team])
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=3))
    assert policy.consents_for(_access(cast, cast.bup_clinician)).exists()
    services.consent_limit(
        consent=consent,
        categories=["education"],
        recipients=[cast.region],
        teams=[],
        valid_until=consent.valid_until,
        via=staff_via(cast.named_person),
    )
    assert not consent.recipient_teams.exists()
    limited = consent.events.get(kind=ConsentEvent.Kind.LIMITED)
    assert (limited.details["before"]["teams"], limited.details["after"]["teams"]) == ([team.pk], [])


def test_a_limit_never_adds_a_team(cast, team):
    consent = _given(cast)
    with pytest.raises(ValidationError) as caught:
        services.consent_limit(
            consent=consent,
            categories=["education"],
            recipients=[cast.region],
            teams=[team],
            valid_until=consent.valid_until,
            via=staff_via(cast.named_person),
        )
    assert "recipients" in caught.value.message_dict
    assert not consent.recipient_teams.exists()


def test_an_extension_may_add_a_team_but_never_drop_one(cast, team):
    consent = _given(cast)
    new = services.consent_extend(
        consent=consent,
        categories=["education"],
        recipients=[cast.region],
        teams=[team],
        valid_until=consent.valid_until,
        via=staff_via(cast.named_person),
    )
    assert list(new.recipient_teams.all()) == [team] and new.replaces == consent
    wide = _given(cast, recipients=[cast.police], teams=[team])
    with pytest.raises(ValidationError) as caught:
        services.consent_extend(
            consent=wide,
            categories=["education"],
            recipients=[cast.police],
            teams=[],
            valid_until=wide.valid_until + timedelta(days=1),
            via=staff_via(cast.named_person),
        )
    assert "recipients" in caught.value.message_dict


# --- Pages ---


def test_the_form_offers_the_municipalitys_active_teams(client, cast, team):
    make_team(cast, name="Nedlagt forum", active=False)
    sign_in(client, cast.named_person)
    page = client.get(_url("consent_new", cast)).content.decode()
    assert 'name="teams"' in page and "Barnombudsteam Öster" in page and "Nedlagt forum" not in page
    response = client.post(_url("consent_new", cast), _request_data(teams=[team.pk]))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert list(consent.recipient_teams.all()) == [team] and not consent.recipients.exists()


def test_the_form_refuses_an_inactive_team_and_changes_nothing(client, cast, team):
    closed = make_team(cast, name="Nedlagt forum", active=False)
    sign_in(client, cast.named_person)
    response = client.post(_url("consent_new", cast), _request_data(teams=[closed.pk]))
    assert response.status_code == 400
    assert "Välj bara aktiva team i barnets kommun." in response.content.decode()
    assert not Consent.objects.exists()


def test_the_form_without_teams_still_needs_a_recipient(client, cast, team):
    sign_in(client, cast.named_person)
    response = client.post(_url("consent_new", cast), _request_data())
    assert response.status_code == 400 and NEEDS_A_RECIPIENT in response.content.decode()
    assert not Consent.objects.exists()


def test_the_consent_page_says_whom_the_team_reaches_today(client, cast, team):
    _given(cast, recipients=[], teams=[team])
    sign_in(client, cast.named_person)
    page = client.get(_url("consents", cast)).content.decode()
    assert "teamet Barnombudsteam Öster (i dag: Region Test, Socialnämnden)" in page  # not the asker itself
    TeamMember.objects.filter(user=cast.social_worker).update(left_on=policy.today())
    overview = client.get(reverse("people:child", args=[cast.child.pk])).content.decode()
    assert "teamet Barnombudsteam Öster (i dag: Region Test)" in overview


def test_limiting_offers_only_the_consents_teams(client, cast, team):
    consent = _given(cast, recipients=[], teams=[team])
    sign_in(client, cast.named_person)
    page = client.get(_url("consent_limit", cast, consent.pk)).content.decode()
    assert 'name="teams"' in page and 'name="recipients"' not in page
    last_day = timezone.localdate(consent.valid_until - timedelta(microseconds=1)).isoformat()
    emptied = client.post(
        _url("consent_limit", cast, consent.pk), {"categories": ["education"], "valid_until": last_day}
    )
    assert emptied.status_code == 400 and "Behåll minst en av mottagarna" in emptied.content.decode()
    assert consent.recipient_teams.exists()


def test_extending_offers_the_teams(client, cast, team):
    consent = _given(cast)
    sign_in(client, cast.named_person)
    assert 'name="teams"' in client.get(_url("consent_extend", cast, consent.pk)).content.decode()
    data = {
        "categories": ["education"],
        "recipients": [cast.region.pk],
        "teams": [team.pk],
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    assert client.post(_url("consent_extend", cast, consent.pk), data).status_code == 302
    assert list(Consent.objects.get(replaces=consent).recipient_teams.all()) == [team]


# --- The family ---


def test_the_family_reads_whom_the_team_means_today(client, cast, team):
    consent = ask(cast, recipients=[], teams=[team])
    sign_in(client, cast.guardian_user)
    answer = client.get(reverse("family:consent_answer", args=[cast.child.pk, consent.pk])).content.decode()
    assert "De myndigheter som medlemmarna i teamet Barnombudsteam Öster deltar för" in answer
    assert "I dag betyder det: Region Test, Socialnämnden." in answer
    assert "Slutar en medlem, eller slutar teamet att arbeta" in answer

"""An identified case needs a consent in force naming the team; it closes the moment the consent or membership ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from meetings import services
from meetings.models import CaseItem
from meetings.tests.helpers import team_consent, via
from sharing import policy
from sharing.models import Consent
from testsupport.cast import sign_in


def _access(user, child):
    with transaction.atomic():
        return policy.child_for_user(
            user, child.pk, actor=policy.actor_for(user, session_key=None), surface="page", target="test"
        )


def _raise(cast, meeting, consent, *, category="education"):
    return services.case_add(
        meeting=meeting,
        access=_access(cast.named_person, cast.child),
        consent_id=consent.pk if consent else None,
        category=category,
        summary="Hög frånvaro.",
        question="",
        via=via(cast.named_person),
    )


def _readable(user, team):
    return list(policy.team_case_items(user, CaseItem.objects.all(), team=team))


@pytest.mark.parametrize(
    "state",
    [
        "none",  # no consent at all
        "requested",  # asked, not answered
        "declined",
        "withdrawn",
        "expired",  # its period is over
        "other_team",  # given, but to another team
        "authorities_only",  # given to named authorities, not to the team
    ],
)
def test_it_is_refused_without_a_consent_covering_the_team(cast, team, meeting, state):
    from teams.models import Team

    consent = None
    if state in ("requested", "declined", "withdrawn"):
        consent = team_consent(cast, team, status=state)
    elif state == "expired":
        consent = team_consent(cast, team, hours=(-48, -1))
    elif state == "other_team":
        other = Team.objects.create(name="Annat", municipality=cast.municipality, kind="other", created_by=cast.manager)
        consent = team_consent(cast, other)
    elif state == "authorities_only":
        consent = team_consent(cast, None)
        consent.recipients.set([cast.region, cast.social])
    with pytest.raises(ValidationError) as raised:
        _raise(cast, meeting, consent)
    assert "samtycke" in str(raised.value)
    assert not CaseItem.objects.exists()


def test_it_is_refused_for_a_category_the_consent_does_not_cover(cast, team, meeting):
    consent = team_consent(cast, team, categories=("education",))
    with pytest.raises(ValidationError) as raised:
        _raise(cast, meeting, consent, category="health")
    assert "omfattar inte" in str(raised.value)


def test_only_a_current_member_raises_a_case(cast, team, meeting):
    consent = team_consent(cast, team)
    with pytest.raises(PermissionDenied):
        services.case_add(
            meeting=meeting,
            access=_access(cast.teacher, cast.child),  # sees the child, but is not in the team
            consent_id=consent.pk,
            category="education",
            summary="x",
            question="",
            via=via(cast.teacher),
        )


def test_members_read_it_while_the_consent_is_in_force(cast, team, case):
    for user in (cast.named_person, cast.bup_clinician, cast.social_worker):
        assert _readable(user, team) == [case]
    for user in (cast.teacher, cast.outsider, cast.expired, cast.manager):
        assert _readable(user, team) == []  # not members: nothing


def test_it_becomes_unreadable_the_moment_the_consent_is_withdrawn(cast, team, case):
    Consent.objects.filter(pk=cast.consent.pk).update(status="withdrawn", ended_at=timezone.now())
    for user in (cast.named_person, cast.bup_clinician, cast.social_worker):
        assert _readable(user, team) == []


def test_it_becomes_unreadable_when_the_consent_expires(cast, team, case):
    Consent.objects.filter(pk=cast.consent.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert _readable(cast.bup_clinician, team) == []


def test_it_becomes_unreadable_when_the_consent_is_limited_away_from_its_category(cast, team, case):
    cast.consent.categories.all().delete()
    assert _readable(cast.bup_clinician, team) == []


def test_it_becomes_unreadable_to_a_member_the_moment_they_leave(cast, team, case, client):
    from teams import services as team_services

    team_services.team_member_end(
        member=cast.bup_member,
        via=team_services.Via(
            user=cast.manager, actor=policy.actor_for(cast.manager, session_key=None), surface="page", target="test"
        ),
    )
    assert _readable(cast.bup_clinician, team) == []
    assert _readable(cast.social_worker, team) == [case]  # the others still read it
    sign_in(client, cast.bup_clinician)
    assert client.get(reverse("meetings:detail", args=[case.meeting_id])).status_code == 404


def test_an_ended_employment_ends_the_reading_at_once(cast, team, case):
    cast.social_worker.memberships.update(valid_to=policy.today() - timedelta(days=1))
    assert _readable(cast.social_worker, team) == []


def test_every_read_is_logged_with_the_meeting_as_target(cast, team, case, client):
    sign_in(client, cast.bup_clinician)
    response = client.get(reverse("meetings:detail", args=[case.meeting_id]))
    assert response.status_code == 200
    assert "Alva Andersson" in response.content.decode()
    row = AuditEvent.objects.get(record_type="CaseItem", action="read", user_id=cast.bup_clinician.pk)
    assert (row.target, row.basis, row.child_id) == (
        f"meeting:{case.meeting_id}",
        f"consent:{cast.consent.pk}",
        cast.child.pk,
    )


def test_the_page_shows_nothing_of_it_after_withdrawal(cast, team, case, client):
    Consent.objects.filter(pk=cast.consent.pk).update(status="withdrawn")
    sign_in(client, cast.bup_clinician)
    body = client.get(reverse("meetings:detail", args=[case.meeting_id])).content.decode()
    assert "Alva" not in body and "Hög frånvaro" not in body
    assert "1 ärende med samtycke visas inte" in body
    assert not AuditEvent.objects.filter(record_type="CaseItem", action="read").exists()


def test_the_case_form_offers_only_children_with_a_covering_consent(cast, team, meeting, client):
    team_consent(cast, team)
    sign_in(client, cast.named_person)
    url = reverse("meetings:case_new", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert "Alva Andersson" in body and "Vidar" not in body
    data = {"child": str(cast.protected_child.pk), "category": "education", "summary": "x"}
    assert client.post(url, data).status_code == 400  # a child without consent is not a choice
    data["child"] = str(cast.child.pk)
    assert client.post(url, data).status_code == 302
    assert CaseItem.objects.get().child == cast.child


def _to_plan(case):
    return reverse("meetings:case_to_plan", args=[case.pk])


PLAN_ACTION = {
    "description": "Morgonstöd via familjecentralen",
    "due_on": "2030-01-31",
    "expected_outcome": "Färre sena morgnar.",
}


def test_an_action_lands_in_the_childs_plan_in_one_step(cast, team, case, client):
    from plans.models import Action
    from plans.tests.setup import start

    plan = start(cast)
    sign_in(client, cast.named_person)
    assert client.get(_to_plan(case)).status_code == 200
    assert client.post(_to_plan(case), PLAN_ACTION).status_code == 302
    action = Action.objects.get(plan=plan)
    assert (action.description, action.owner_authority, action.owner_person) == (
        PLAN_ACTION["description"],
        cast.education,
        cast.named_person,
    )
    assert AuditEvent.objects.filter(record_type="Action", child_id=cast.child.pk, action="create").exists()


def test_without_a_plan_the_user_may_change_nothing_is_added(cast, team, case, client):
    from plans.models import Action

    sign_in(client, cast.named_person)
    response = client.post(_to_plan(case), PLAN_ACTION)
    assert response.status_code == 400 and "ingen öppen plan" in response.content.decode()
    assert not Action.objects.exists()


def test_a_member_without_a_relation_or_after_withdrawal_gets_404(cast, team, case, client):
    sign_in(client, cast.bup_clinician)  # reads the case in the meeting, but has no relation to the child
    assert client.get(_to_plan(case)).status_code == 404
    sign_in(client, cast.teacher)  # sees the child, but is not in the team
    assert client.get(_to_plan(case)).status_code == 404
    Consent.objects.filter(pk=cast.consent.pk).update(status="withdrawn")
    sign_in(client, cast.named_person)
    assert client.get(_to_plan(case)).status_code == 404


def test_a_protected_child_is_never_named_in_the_meeting(cast, team, meeting, client):
    consent = team_consent(cast, team, child=cast.protected_child)
    with transaction.atomic():
        access = _access(cast.named_person, cast.protected_child)
    services.case_add(
        meeting=meeting,
        access=access,
        consent_id=consent.pk,
        category="education",
        summary="Behöver stöd på morgnarna.",
        question="",
        via=via(cast.named_person),
    )
    sign_in(client, cast.bup_clinician)
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Behöver stöd på morgnarna." in body and "Skyddade personuppgifter" in body
    assert "Vidar" not in body and "Skyddad" not in body.replace("Skyddade personuppgifter", "")


def _to_referral(case):
    return reverse("meetings:case_to_referral", args=[case.pk])


def test_an_action_becomes_a_referral_in_one_step_and_in_the_plan_when_asked(cast, team, case, client):
    from catalogue.models import Referral
    from catalogue.tests.setup import build
    from plans.models import Action
    from plans.tests.setup import start

    build(cast)
    plan = start(cast)
    sign_in(client, cast.named_person)
    assert "Cool Kids" in client.get(_to_referral(case)).content.decode()
    data = {"intervention": cast.cool_kids.pk, "reason": "Oro inför skoldagen.", "in_plan": "on"}
    assert client.post(_to_referral(case), data).status_code == 302
    referral = Referral.objects.get()
    assert (referral.child, referral.intervention, referral.referred_by) == (
        cast.child,
        cast.cool_kids,
        cast.named_person,
    )
    assert referral.plan_action == Action.objects.get(plan=plan)
    assert AuditEvent.objects.filter(record_type="Referral", child_id=cast.child.pk, action="create").exists()


def test_a_referral_without_a_plan_is_made_alone_and_bad_input_changes_nothing(cast, team, case, client):
    from catalogue.models import Referral
    from catalogue.tests.setup import build

    build(cast)
    sign_in(client, cast.named_person)
    assert client.post(_to_referral(case), {"intervention": cast.cool_kids.pk, "reason": ""}).status_code == 400
    assert not Referral.objects.exists()
    data = {"intervention": cast.cool_kids.pk, "reason": "Oro."}
    assert client.post(_to_referral(case), data).status_code == 302
    assert Referral.objects.get().plan_action is None


@pytest.mark.parametrize("who", ["bup_clinician", "teacher", "outsider", "expired"])
def test_no_referral_from_a_case_without_both_team_and_child(cast, team, case, client, who):
    from catalogue.models import Referral
    from catalogue.tests.setup import build

    build(cast)
    sign_in(client, getattr(cast, who))
    data = {"intervention": cast.cool_kids.pk, "reason": "Oro."}
    assert client.post(_to_referral(case), data).status_code == 404
    Consent.objects.filter(pk=cast.consent.pk).update(status="withdrawn")
    sign_in(client, cast.named_person)
    assert client.post(_to_referral(case), data).status_code == 404
    assert not Referral.objects.exists()

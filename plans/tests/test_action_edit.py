"""Editing an action: every field, in a draft or at a review, refused and merged when someone saved first."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from plans import services
from plans.models import Action, Status
from plans.tests.setup import add_action, agree_all, bup_relation, plan_consent, start, via
from sharing import policy
from sharing.models import Consent
from testsupport.cast import sign_in


@pytest.fixture
def plan(cast):
    return start(cast)


@pytest.fixture
def action(cast, plan):
    return add_action(cast, plan)


def url(action, name: str = "action_edit") -> str:
    kwargs = {"child_id": action.plan.child_id, "plan_id": action.plan_id}
    if name == "action_edit":
        kwargs["action_id"] = action.pk
    return reverse(f"plans:{name}", kwargs=kwargs)


def _data(action, **changes) -> dict:
    """What the edit form posts unchanged: every field and its value when the page was opened."""
    data = {
        "version": action.version,
        "description": action.description,
        "owner_authority": action.owner_authority_id,
        "owner_person": action.owner_person_id or "",
        "resources": action.resources,
        "start": action.start.isoformat(),
        "end": action.end.isoformat(),
        "expected_outcome": action.expected_outcome,
        "indicators": list(action.indicators),
        "status": action.status,
    }
    data.update({f"initial-{name}": value for name, value in list(data.items()) if name != "version"})
    data.update(changes)
    return data


def test_it_edits_every_field_of_an_action(client, cast, action):
    sign_in(client, cast.teacher)
    page = client.get(url(action))
    assert page.status_code == 200 and page.content.decode().count("<h1") == 1
    start = policy.today() + timedelta(days=3)
    response = client.post(
        url(action),
        _data(
            action,
            description="Läxhjälp två dagar i veckan",
            owner_person=cast.teacher.pk,
            resources="En lärare, 2 timmar",
            start=start.isoformat(),
            end=(start + timedelta(days=60)).isoformat(),
            expected_outcome="Alva klarar matematiken.",
            indicators=["achieving"],
            status="ongoing",
        ),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.description, action.owner_person, action.resources, action.start) == (
        "Läxhjälp två dagar i veckan",
        cast.teacher,
        "En lärare, 2 timmar",
        start,
    )
    assert (action.indicators, action.status, action.version) == (["achieving"], "ongoing", 2)
    assert AuditEvent.objects.filter(record_type="Action", action="update", target="plans:action_edit").exists()


def test_a_second_concurrent_save_is_refused_with_both_values_shown_and_merged(client, cast, action):
    stale = _data(action, resources="Lars resurser", expected_outcome="Lars mål")
    services.action_update(
        action=action,
        version=action.version,
        values={"resources": "Hannas resurser", "description": "Samtal varannan vecka"},
        via=via(cast.named_person),
    )
    sign_in(client, cast.teacher)
    response = client.post(url(action), stale)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Någon annan sparade åtgärden medan du ändrade den" in body
    assert "Lars resurser" in body and "Hannas resurser" in body
    action.refresh_from_db()
    assert (action.resources, action.expected_outcome, action.version) == (
        "Hannas resurser",
        "Alva är i skolan oftare.",
        2,
    )
    # Both changed the resources: the user chooses. Only one side changed the others: chosen already.
    assert re.search(r'name="choice_resources"[^>]*value="mine"(?! checked)', body)
    assert re.search(r'id="mine-expected_outcome" value="mine" checked', body)
    assert re.search(r'id="theirs-description" value="theirs" checked', body)
    merge = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body))
    missing = client.post(url(action), {**merge, "choice_expected_outcome": "mine", "choice_description": "theirs"})
    assert missing.status_code == 409 and "Välj för varje fält" in missing.content.decode()
    done = client.post(
        url(action),
        {**merge, "choice_resources": "mine", "choice_expected_outcome": "mine", "choice_description": "theirs"},
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.resources, action.expected_outcome, action.description, action.version) == (
        "Lars resurser",
        "Lars mål",
        "Samtal varannan vecka",
        3,
    )
    assert action.indicators == ["achieving", "included"]  # untouched checkboxes survive the merge


def test_a_state_change_in_between_makes_an_edit_merge(client, cast, action):
    stale = _data(action, description="Ny text")
    services.action_set_status(action=action, status="ongoing", via=via(cast.named_person))
    sign_in(client, cast.teacher)
    response = client.post(url(action), stale)
    assert response.status_code == 409
    action.refresh_from_db()
    assert (action.description, action.status) == ("Samtal varje vecka", "ongoing")


def test_bad_dates_are_refused_and_change_nothing(client, cast, action):
    sign_in(client, cast.teacher)
    today = policy.today()
    response = client.post(url(action), _data(action, start=today.isoformat(), end=(today - timedelta(1)).isoformat()))
    assert response.status_code == 400
    assert "Slutdatumet kan inte ligga före startdatumet" in response.content.decode()
    action.refresh_from_db()
    assert action.version == 1


def test_another_authority_as_owner_needs_a_lead(cast):
    plan = start(cast, kind="single_agency", by=cast.teacher)
    action = add_action(cast, plan)
    with pytest.raises(ValidationError, match="två eller fler myndigheter"):
        services.action_update(
            action=action, version=action.version, values={"owner_authority": cast.social}, via=via(cast.teacher)
        )
    action.refresh_from_db()
    assert action.owner_authority == cast.education


def test_an_agreed_plans_actions_change_only_at_a_review_and_are_kept_as_agreed(client, cast, plan, action):
    agree_all(cast, plan)
    services.plan_activate(plan=plan, via=via(cast.named_person))
    sign_in(client, cast.named_person)
    refused = client.post(url(action), _data(action, description="Ändrad"))
    assert refused.status_code == 409
    assert "ändras vid en uppföljning" in refused.content.decode()
    assert "Ändra åtgärden" not in client.get(url(action, "actions")).content.decode()
    services.plan_review_start(plan=plan, user=cast.named_person, via=via(cast.named_person))
    assert "Ändra åtgärden" in client.get(url(action, "actions")).content.decode()
    action.refresh_from_db()
    assert client.post(url(action), _data(action, description="Samtal varannan vecka")).status_code == 302
    review = plan.reviews.get()
    services.plan_review_complete(
        review=review,
        user=cast.named_person,
        held_on=policy.today(),
        answers={"improved": "Mer närvaro", "aims_met": "Delvis"},
        via=via(cast.named_person),
    )
    agree_all(cast, plan)
    first = plan.versions.get(number=1).snapshot["actions"][0]["description"]
    assert first == "Samtal varje vecka"  # version 1 keeps the action as it was agreed
    diff = client.get(url(action, "compare") + "?fran=1&till=2").content.decode()
    assert "Ändrad åtgärd: Samtal varannan vecka" in diff and "Samtal varje vecka" in diff


def test_a_closed_plans_actions_cannot_be_edited(client, cast, plan, action):
    services.plan_close(plan=plan, user=cast.named_person, reason="Klar", via=via(cast.named_person))
    sign_in(client, cast.named_person)
    assert client.post(url(action), _data(action, description="x")).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Status.CLOSED


def test_a_participant_of_another_authority_reads_but_never_edits(client, cast, plan, action):
    services.participant_add(
        plan=plan, role="practitioner", user=cast.bup_clinician, authority=cast.region, via=via(cast.named_person)
    )
    bup_relation(cast)
    sign_in(client, cast.bup_clinician)
    assert client.get(url(action)).status_code == 404  # no consent: the plan does not exist for BUP
    assert client.post(url(action), _data(action, description="BUP:s text")).status_code == 404
    consent = plan_consent(cast)
    assert client.get(url(action)).status_code == 403  # the family's consent opens reading, not changing
    assert client.post(url(action), _data(action, description="BUP:s text")).status_code == 403
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    assert client.post(url(action), _data(action, description="BUP:s text")).status_code == 404
    action.refresh_from_db()
    assert (action.description, action.version) == ("Samtal varje vecka", 1)


@pytest.mark.parametrize("persona", ["expired", "outsider", "other_school_teacher", "analyst"])
def test_strangers_and_expired_relations_get_404_and_change_nothing(client, cast, action, persona):
    sign_in(client, getattr(cast, persona))
    assert client.get(url(action)).status_code == 404
    assert client.post(url(action), _data(action, description="x")).status_code == 404
    assert Action.objects.get(pk=action.pk).version == 1


def test_an_action_of_another_plan_is_404(client, cast, action):
    sign_in(client, cast.named_person)
    other = reverse(
        "plans:action_edit",
        kwargs={"child_id": cast.protected_child.pk, "plan_id": action.plan_id, "action_id": action.pk},
    )
    assert client.get(other).status_code == 404

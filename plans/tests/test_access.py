"""Who sees the plan: the owning authority; other authorities only through the family's consent to "plan"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import ChildPlan
from plans.tests.setup import bup_relation, plan_consent, start, via
from sharing.models import Consent
from testsupport.cast import sign_in

STRANGERS = ["outsider", "other_school_teacher", "expired", "bvc_nurse", "analyst", "administrator"]


def url(name, plan, **kwargs) -> str:
    return reverse(f"plans:{name}", kwargs={"child_id": plan.child_id, "plan_id": plan.pk, **kwargs})


@pytest.fixture
def plan(cast):
    plan = start(cast)
    services.participant_add(
        plan=plan, role="practitioner", user=cast.bup_clinician, authority=cast.region, via=via(cast.named_person)
    )
    return plan


def test_the_owning_authoritys_staff_see_and_edit_the_plan(client, cast, plan):
    for user in (cast.named_person, cast.teacher, cast.manager):
        sign_in(client, user)
        assert client.get(url("plan", plan)).status_code == 200
        assert client.get(url("edit", plan)).status_code == 200


def test_a_bup_participant_sees_the_plan_through_the_familys_consent(client, cast, plan):
    bup_relation(cast)
    plan_consent(cast)
    sign_in(client, cast.bup_clinician)
    page = client.get(url("plan", plan))
    assert page.status_code == 200
    assert "Alva är ofta borta från skolan" in page.content.decode()
    overview = client.get(reverse("people:child", kwargs={"child_id": cast.child.pk})).content.decode()
    assert url("plan", plan) in overview


def test_a_consent_reader_may_not_change_the_plan(client, cast, plan):
    bup_relation(cast)
    plan_consent(cast)
    sign_in(client, cast.bup_clinician)
    assert client.get(url("edit", plan)).status_code == 403
    response = client.post(url("needs", plan), {"indicator": "safe", "summary": "x"})
    assert response.status_code == 403
    assert not plan.needs.exists()


def test_bup_without_consent_does_not_see_the_plan_even_as_participant(client, cast, plan):
    bup_relation(cast)
    sign_in(client, cast.bup_clinician)
    assert client.get(url("plan", plan)).status_code == 404
    plan_consent(cast, categories=("education",))  # a consent for other information opens nothing of the plan
    assert client.get(url("plan", plan)).status_code == 404
    overview = client.get(reverse("people:child", kwargs={"child_id": cast.child.pk})).content.decode()
    assert url("plan", plan) not in overview


def test_a_consent_that_has_expired_no_longer_opens_the_plan(client, cast, plan):
    bup_relation(cast)
    consent = plan_consent(cast)
    sign_in(client, cast.bup_clinician)
    assert client.get(url("plan", plan)).status_code == 200
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    assert client.get(url("plan", plan)).status_code == 404


@pytest.mark.parametrize("persona", STRANGERS)
@pytest.mark.parametrize("page", ["plan", "edit", "participants", "actions", "versions", "pdf", "review", "close"])
def test_strangers_get_404(client, cast, plan, persona, page):
    plan_consent(cast, recipients=[cast.police, cast.region, cast.social])  # a relation is still needed
    sign_in(client, getattr(cast, persona))
    assert client.get(url(page, plan)).status_code == 404


@pytest.mark.parametrize("persona", STRANGERS)
def test_strangers_change_nothing(client, cast, plan, persona):
    sign_in(client, getattr(cast, persona))
    before = ChildPlan.objects.values().get(pk=plan.pk)
    responses = [
        client.post(url("close", plan), {"reason": "x", "confirm": "on"}),
        client.post(url("decline", plan), {"note": "x", "confirm": "on"}),
        client.post(url("needs", plan), {"indicator": "safe", "summary": "x"}),
        client.post(
            reverse("plans:start", kwargs={"child_id": cast.child.pk}), {"kind": "single_agency", "reasons": "x"}
        ),
    ]
    assert {response.status_code for response in responses} == {404}
    assert ChildPlan.objects.values().get(pk=plan.pk) == before
    assert ChildPlan.objects.count() == 1
    assert not plan.needs.exists()


def test_another_childs_plan_id_is_404(client, cast, plan):
    sign_in(client, cast.named_person)
    address = reverse("plans:plan", kwargs={"child_id": cast.protected_child.pk, "plan_id": plan.pk})
    assert client.get(address).status_code == 404

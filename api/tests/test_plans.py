"""The plan API: read, start, change with a version (409 on conflict), review; strangers get 404 before the body."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from api.tests.conftest import assert_holds_nothing_of, child_url
from audit.models import AuditEvent
from organisations.models import Membership, Role
from plans.models import ChildPlan
from plans.tests.setup import add_action, agree_all, bup_relation, plan_consent, start
from sharing import policy

STRANGERS = ["outsider", "other_school_teacher", "expired", "bvc_nurse", "analyst"]


def patch(client, plan, headers, body):
    address = reverse("api:plan", kwargs={"plan_id": plan.pk})
    return client.patch(address, json.dumps(body), content_type="application/json", headers=headers)


def test_it_starts_and_reads_a_plan(client, cast, bearer):
    headers = bearer(cast.named_person)
    body = {"kind": "multi_agency", "reasons": "Frånvaro", "lead_professional_id": cast.named_person.pk}
    created = client.post(
        child_url("child_plan", cast.child), json.dumps(body), content_type="application/json", headers=headers
    )
    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    read = client.get(child_url("child_plan", cast.child), headers=headers)
    assert read.status_code == 200
    assert {row["role"] for row in read.json()["participants"]} >= {"child", "guardian"}
    again = client.post(
        child_url("child_plan", cast.child), json.dumps(body), content_type="application/json", headers=headers
    )
    assert again.status_code == 422
    assert "redan en plan" in again.json()["detail"]
    assert AuditEvent.objects.filter(surface="api", record_type="ChildPlan", action="create").count() == 1


def test_a_stale_patch_is_refused_with_409_and_the_saved_values(client, cast, bearer):
    plan = start(cast)
    first = patch(client, plan, bearer(cast.named_person), {"version": plan.version, "contingency": "Ring mamma"})
    assert first.status_code == 200
    assert first.json()["version"] == plan.version + 1
    stale = patch(client, plan, bearer(cast.teacher), {"version": plan.version, "contingency": "Ring pappa"})
    assert stale.status_code == 409
    assert stale.json()["current"]["contingency"] == "Ring mamma"
    plan.refresh_from_db()
    assert plan.contingency == "Ring mamma"


def test_it_records_a_review_with_a_rerated_wheel(client, cast, bearer):
    plan = start(cast)
    add_action(cast, plan)
    agree_all(cast, plan)
    address = reverse("api:plan_reviews", kwargs={"plan_id": plan.pk})
    headers = bearer(cast.named_person)
    bad = client.post(
        address,
        json.dumps({"held_on": "2020-01-01", "improved": "", "aims_met": ""}),
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422
    assert not plan.reviews.exists()
    body = {"held_on": "2020-01-01", "improved": "Bättre", "aims_met": "Ja", "ratings": {"safe": 4}}
    response = client.post(address, json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == 201
    assert response.json()["assessment_id"]


def test_a_consent_reader_reads_but_may_not_change(client, cast, bearer):
    plan = start(cast)
    bup_relation(cast)
    plan_consent(cast)
    headers = bearer(cast.bup_clinician)
    assert client.get(child_url("child_plan", cast.child), headers=headers).status_code == 200
    assert patch(client, plan, headers, {"version": plan.version, "reasons": "x"}).status_code == 403


@pytest.mark.parametrize("persona", STRANGERS)
def test_strangers_get_404_even_with_a_bad_body(client, cast, bearer, persona):
    plan = start(cast)
    headers = bearer(getattr(cast, persona))
    responses = [
        client.get(child_url("child_plan", cast.child), headers=headers),
        client.post(child_url("child_plan", cast.child), "not json", content_type="application/json", headers=headers),
        patch(client, plan, headers, {"nonsense": True}),
        client.post(
            reverse("api:plan_reviews", kwargs={"plan_id": plan.pk}),
            "{}",
            content_type="application/json",
            headers=headers,
        ),
    ]
    for response in responses:
        assert response.status_code == 404
        assert_holds_nothing_of(response, cast.child)
    assert ChildPlan.objects.values("version", "reasons").get(pk=plan.pk) == {"version": 1, "reasons": plan.reasons}
    assert patch(client, plan, headers, {"version": 1}).status_code == 404
    assert (
        client.patch(
            reverse("api:plan", kwargs={"plan_id": 999999}), "{}", content_type="application/json", headers=headers
        ).status_code
        == 404
    )


def _start_in(client, cast, headers, **extra):
    body = {"kind": "single_agency", "reasons": "Frånvaro", **extra}
    return client.post(
        child_url("child_plan", cast.child), json.dumps(body), content_type="application/json", headers=headers
    )


def test_an_author_with_two_units_chooses_which_owns_the_plan(client, cast, bearer):
    Membership.objects.create(
        user=cast.named_person, unit=cast.social_team, role=Role.SOCIAL_WORKER, valid_from=policy.today() - timedelta(1)
    )
    created = _start_in(client, cast, bearer(cast.named_person), unit_id=cast.social_team.pk)
    assert created.status_code == 201
    assert ChildPlan.objects.get().owner_authority == cast.social


def test_a_unit_the_author_does_not_work_in_is_refused_and_nothing_is_started(client, cast, bearer):
    refused = _start_in(client, cast, bearer(cast.teacher), unit_id=cast.social_team.pk)
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Välj en av de enheter där du arbetar i dag."
    missing = _start_in(client, cast, bearer(cast.teacher), unit_id=10**9)
    assert missing.status_code == 422
    assert not ChildPlan.objects.exists()
    assert not AuditEvent.objects.filter(record_type="ChildPlan").exists()

"""The API for referrals, requests for support and the intake: the same policy and audit as the pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.services import api_token_create
from audit.models import AuditEvent
from catalogue.models import Referral, SupportRequest
from organisations.models import Membership, Role, Unit
from plans.tests.setup import bup_relation, plan_consent, start
from sharing import policy


def _bearer(user) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="Test", days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, url, user, body):
    return client.post(url, json.dumps(body), content_type="application/json", **_bearer(user))


def _refer(client, cast, user, **extra):
    url = reverse("api:child_referrals", args=[cast.child.pk])
    return _post(client, url, user, {"intervention_id": cast.cool_kids.pk, "reason": "Oro i skolan."} | extra)


@pytest.fixture
def intake(catalogue):
    unit = Unit.objects.create(authority=catalogue.social, name="Mottagningen", unit_type="social_services_team")
    user = User.objects.create_user(username="mottagning", password="x")
    Membership.objects.create(user=user, unit=unit, role=Role.INTAKE, valid_from=policy.today() - timedelta(days=30))
    catalogue.intake_unit, catalogue.intake_user = unit, user
    return catalogue


@pytest.mark.django_db
class TestReferrals:
    def test_a_teacher_refers_and_the_named_person_reads_it(self, client, catalogue):
        response = _refer(client, catalogue, catalogue.teacher)
        assert response.status_code == 201
        assert response.json()["status"] == "requested"
        listed = client.get(
            reverse("api:child_referrals", args=[catalogue.child.pk]), **_bearer(catalogue.named_person)
        )
        assert [row["intervention"] for row in listed.json()] == ["Cool Kids"]

    def test_as_a_plan_action_in_one_step(self, client, catalogue):
        start(catalogue)
        response = _refer(client, catalogue, catalogue.named_person, in_plan=True)
        assert response.status_code == 201
        assert response.json()["plan_action_id"] == Referral.objects.get().plan_action_id is not None

    def test_without_a_plan_to_edit_in_plan_is_refused(self, client, catalogue):
        assert _refer(client, catalogue, catalogue.teacher, in_plan=True).status_code == 403
        assert not Referral.objects.exists()

    @pytest.mark.parametrize("persona", ["other_school_teacher", "outsider", "expired"])
    def test_users_without_a_relation_get_404(self, client, catalogue, persona):
        assert _refer(client, catalogue, getattr(catalogue, persona)).status_code == 404
        url = reverse("api:child_referrals", args=[catalogue.child.pk])
        assert client.get(url, **_bearer(getattr(catalogue, persona))).status_code == 404

    def test_a_user_of_another_authority_gets_404(self, client, catalogue, elsewhere):
        assert _refer(client, catalogue, elsewhere["other_teacher"]).status_code == 404

    def test_a_participant_with_an_expired_consent_reads_none(self, client, catalogue):
        start(catalogue)
        bup_relation(catalogue)
        plan_consent(catalogue, hours=-24, started_hours_ago=48)
        _refer(client, catalogue, catalogue.teacher)
        url = reverse("api:child_referrals", args=[catalogue.child.pk])
        assert client.get(url, **_bearer(catalogue.bup_clinician)).json() == []

    def test_the_provider_reads_its_queue_and_starts_the_referral(self, client, catalogue):
        _refer(client, catalogue, catalogue.teacher)
        referral = Referral.objects.get()
        queue = client.get(reverse("api:referral_queue"), **_bearer(catalogue.bvc_nurse)).json()
        assert [(row["id"], row["child_name"]) for row in queue] == [(referral.pk, "Alva Andersson")]
        url = reverse("api:referral_status", args=[referral.pk])
        assert _post(client, url, catalogue.bvc_nurse, {"status": "started"}).json()["waiting_days"] == 0
        assert AuditEvent.objects.filter(surface="api", basis=policy.Basis.REFERRAL, action="update").exists()

    @pytest.mark.parametrize("persona", ["teacher", "outsider", "expired"])
    def test_others_have_an_empty_queue_and_get_404_on_a_move(self, client, catalogue, persona):
        _refer(client, catalogue, catalogue.teacher)
        user = getattr(catalogue, persona)
        assert client.get(reverse("api:referral_queue"), **_bearer(user)).json() == []
        url = reverse("api:referral_status", args=[Referral.objects.get().pk])
        assert _post(client, url, user, {"status": "accepted"}).status_code == 404


@pytest.mark.django_db
class TestIntake:
    def _ask(self, client, cast):
        url = reverse("api:child_support_requests", args=[cast.child.pk])
        return _post(client, url, cast.teacher, {"intake_unit_id": cast.intake_unit.pk, "concern": "Orolig."})

    def test_a_request_is_triaged_to_orange_and_routed_to_a_provider(self, client, intake):
        assert self._ask(client, intake).status_code == 201
        row = SupportRequest.objects.get()
        listed = client.get(reverse("api:intake_requests"), **_bearer(intake.intake_user)).json()
        assert [item["id"] for item in listed] == [row.pk]
        url = reverse("api:intake_triage", args=[row.pk])
        triaged = _post(client, url, intake.intake_user, {"colour": "orange", "reason": "Förenklad utredning."})
        assert (triaged.json()["status"], triaged.json()["colour"]) == ("triaged", "orange")
        url = reverse("api:intake_route", args=[row.pk])
        routed = _post(client, url, intake.intake_user, {"route": "provider", "intervention_id": intake.cool_kids.pk})
        assert routed.json()["referral_id"] == Referral.objects.get().pk

    def test_a_bad_colour_is_refused_and_nothing_changes(self, client, intake):
        self._ask(client, intake)
        row = SupportRequest.objects.get()
        url = reverse("api:intake_triage", args=[row.pk])
        assert _post(client, url, intake.intake_user, {"colour": "purple", "reason": "x"}).status_code == 422
        row.refresh_from_db()
        assert row.status == "received"

    @pytest.mark.parametrize("persona", ["teacher", "named_person", "outsider", "expired", "manager"])
    def test_others_see_no_intake_and_cannot_triage(self, client, intake, persona):
        self._ask(client, intake)
        user = getattr(intake, persona)
        assert client.get(reverse("api:intake_requests"), **_bearer(user)).json() == []
        url = reverse("api:intake_triage", args=[SupportRequest.objects.get().pk])
        assert _post(client, url, user, {"colour": "orange", "reason": "x"}).status_code == 404

    def test_a_user_of_another_authority_cannot_ask(self, client, intake, elsewhere):
        url = reverse("api:child_support_requests", args=[intake.child.pk])
        body = {"intake_unit_id": intake.intake_unit.pk, "concern": "Orolig."}
        assert _post(client, url, elsewhere["other_teacher"], body).status_code == 404

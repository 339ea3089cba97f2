"""Referrals: made from the child's page or as a plan action, read under the policy, moved on in the queue."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent
from catalogue import referrals
from catalogue.models import Referral
from plans.models import Action
from plans.tests.setup import bup_relation, plan_consent, start
from plans.tests.setup import via as plan_via
from sharing import policy
from testsupport.cast import sign_in


def _page(child) -> str:
    return reverse("catalogue:referrals", args=[child.pk])


def _refer(client, user, child, intervention, **extra):
    sign_in(client, user)
    data = {"intervention": intervention.pk, "reason": "Oro och ångest i skolan."} | extra
    return client.post(_page(child), data)


def _make(cast, child=None, intervention=None) -> Referral:
    child = child or cast.child
    who = policy.actor_for(cast.teacher, session_key="s")
    access = policy.child_for_user(cast.teacher, child.pk, actor=who, surface="page", target="test")
    return referrals.referral_make(
        access=access,
        user=cast.teacher,
        intervention=intervention or cast.cool_kids,
        reason="Oro och ångest i skolan.",
        via=plan_via(cast.teacher),
    )


def _listed(client, user, child) -> list[Referral]:
    sign_in(client, user)
    response = client.get(_page(child))
    assert response.status_code == 200
    return [row["referral"] for row in response.context["rows"]]


@pytest.mark.django_db
class TestMaking:
    def test_a_teacher_refers_the_child_and_the_write_is_logged(self, client, catalogue):
        response = _refer(client, catalogue.teacher, catalogue.child, catalogue.cool_kids)
        assert response.status_code == 302
        referral = Referral.objects.get()
        assert (referral.owner_authority, referral.status, referral.plan_action) == (
            catalogue.education,
            Referral.Status.REQUESTED,
            None,
        )
        assert AuditEvent.objects.filter(
            child_id=catalogue.child.pk, record_type="Referral", record_id=str(referral.pk), action="create"
        ).exists()

    def test_an_empty_reason_is_refused_and_nothing_is_saved(self, client, catalogue):
        response = _refer(client, catalogue.teacher, catalogue.child, catalogue.cool_kids, reason=" ")
        assert response.status_code == 400
        assert "Detta fält måste fyllas i." in response.content.decode()
        assert not Referral.objects.exists()

    def test_an_intervention_of_another_municipality_is_not_offered(self, client, catalogue, elsewhere):
        response = _refer(client, catalogue.teacher, catalogue.child, elsewhere["other_intervention"])
        assert response.status_code == 400
        assert not Referral.objects.exists()

    @pytest.mark.parametrize("persona", ["other_school_teacher", "outsider", "expired", "analyst"])
    def test_users_who_may_not_see_the_child_cannot_refer_it(self, client, catalogue, persona):
        response = _refer(client, getattr(catalogue, persona), catalogue.child, catalogue.cool_kids)
        assert response.status_code == 404
        assert not Referral.objects.exists()

    def test_a_user_of_another_municipality_cannot_refer_the_child(self, client, catalogue, elsewhere):
        response = _refer(client, elsewhere["other_teacher"], catalogue.child, catalogue.cool_kids)
        assert response.status_code == 404
        assert not Referral.objects.exists()


@pytest.mark.django_db
class TestFromThePlan:
    def test_the_plans_editor_refers_as_an_action_of_the_plan_in_one_step(self, client, catalogue):
        plan = start(catalogue)
        response = _refer(client, catalogue.named_person, catalogue.child, catalogue.cool_kids, in_plan="on")
        assert response.status_code == 302
        referral = Referral.objects.get()
        action = Action.objects.get(plan=plan)
        assert referral.plan_action == action
        assert referral.owner_authority == plan.owner_authority
        assert action.description == "Remiss till Cool Kids (Barnhälsovården)"
        assert action.indicators == ["healthy"]

    def test_a_reader_of_the_plan_is_not_offered_the_plan_and_the_service_refuses(self, client, catalogue):
        plan = start(catalogue)
        bup_relation(catalogue)
        plan_consent(catalogue)
        sign_in(client, catalogue.bup_clinician)
        response = client.get(_page(catalogue.child))
        assert "in_plan" not in response.context["form"].fields
        who = policy.actor_for(catalogue.bup_clinician, session_key="s")
        access = policy.child_for_user(
            catalogue.bup_clinician, catalogue.child.pk, actor=who, surface="page", target="t"
        )
        with pytest.raises(PermissionDenied):
            referrals.referral_make(
                access=access,
                user=catalogue.bup_clinician,
                intervention=catalogue.cool_kids,
                reason="Behöver stöd.",
                via=plan_via(catalogue.bup_clinician),
                plan=plan,
            )
        assert not Referral.objects.exists()
        assert not Action.objects.exists()


@pytest.mark.django_db
class TestWhoSeesIt:
    def test_the_named_person_sees_the_referral(self, client, catalogue):
        referral = _make(catalogue)
        assert _listed(client, catalogue.named_person, catalogue.child) == [referral]

    def test_a_plan_participant_sees_it_through_the_familys_consent(self, client, catalogue):
        start(catalogue)
        bup_relation(catalogue)
        consent = plan_consent(catalogue)
        referral = _make(catalogue)
        assert _listed(client, catalogue.bup_clinician, catalogue.child) == [referral]
        assert AuditEvent.objects.filter(
            record_type="Referral", record_id=str(referral.pk), basis=f"consent:{consent.pk}"
        ).exists()

    def test_a_participant_whose_consent_has_expired_no_longer_sees_it(self, client, catalogue):
        start(catalogue)
        bup_relation(catalogue)
        plan_consent(catalogue, hours=-24, started_hours_ago=48)
        _make(catalogue)
        assert _listed(client, catalogue.bup_clinician, catalogue.child) == []

    @pytest.mark.parametrize("persona", ["other_school_teacher", "outsider", "expired"])
    def test_users_without_a_relation_get_404(self, client, catalogue, persona):
        _make(catalogue)
        sign_in(client, getattr(catalogue, persona))
        assert client.get(_page(catalogue.child)).status_code == 404

    def test_a_user_of_another_authority_gets_404(self, client, catalogue, elsewhere):
        _make(catalogue)
        sign_in(client, elsewhere["other_teacher"])
        assert client.get(_page(catalogue.child)).status_code == 404

    @pytest.mark.parametrize("persona", ["other_school_teacher", "outsider", "expired"])
    def test_users_without_a_relation_cannot_change_it(self, client, catalogue, persona):
        referral = _make(catalogue)
        sign_in(client, getattr(catalogue, persona))
        url = reverse("catalogue:referral_status", args=[catalogue.child.pk, referral.pk])
        assert client.post(url, {"status": "withdrawn", "status_note": "Fel"}).status_code == 404
        referral.refresh_from_db()
        assert referral.status == Referral.Status.REQUESTED

    def test_a_reader_of_another_authority_may_not_change_it(self, client, catalogue):
        start(catalogue)
        bup_relation(catalogue)
        plan_consent(catalogue)
        referral = _make(catalogue)
        sign_in(client, catalogue.bup_clinician)
        url = reverse("catalogue:referral_status", args=[catalogue.child.pk, referral.pk])
        assert client.post(url, {"status": "withdrawn", "status_note": "Fel"}).status_code == 403
        referral.refresh_from_db()
        assert referral.status == Referral.Status.REQUESTED

    def test_the_referrer_records_that_the_family_declined_with_a_reason(self, client, catalogue):
        referral = _make(catalogue)
        sign_in(client, catalogue.teacher)
        url = reverse("catalogue:referral_status", args=[catalogue.child.pk, referral.pk])
        client.post(url, {"status": "declined_family", "status_note": ""})
        referral.refresh_from_db()
        assert referral.status == Referral.Status.REQUESTED  # a decline says why
        client.post(url, {"status": "declined_family", "status_note": "Familjen vill vänta."})
        referral.refresh_from_db()
        assert (referral.status, referral.closed_on) == (Referral.Status.DECLINED_BY_FAMILY, policy.today())


@pytest.mark.django_db
class TestProviderQueue:
    def test_the_providers_staff_see_the_referral_and_each_read_is_logged(self, client, catalogue):
        referral = _make(catalogue)
        sign_in(client, catalogue.bvc_nurse)
        response = client.get(reverse("catalogue:queue"))
        assert [row["referral"] for row in response.context["rows"]] == [referral]
        assert "Alva Andersson" in response.content.decode()
        assert AuditEvent.objects.filter(
            record_type="Referral", record_id=str(referral.pk), basis=policy.Basis.REFERRAL, target="catalogue:queue"
        ).exists()

    def test_the_queue_does_not_widen_what_the_provider_sees_of_the_child(self, client, catalogue):
        _make(catalogue)
        sign_in(client, catalogue.bvc_nurse)  # the child left BVC: no relation, only the referral
        assert client.get(reverse("catalogue:queue")).context["rows"]
        assert client.get(_page(catalogue.child)).status_code == 404
        assert client.get(reverse("people:child", args=[catalogue.child.pk])).status_code == 404

    def test_a_protected_child_is_named_by_the_marker_only(self, client, catalogue):
        _make(catalogue, child=catalogue.protected_child)
        sign_in(client, catalogue.bvc_nurse)
        page = client.get(reverse("catalogue:queue")).content.decode()
        assert "Vidar" not in page
        assert "Skyddade personuppgifter" in page

    @pytest.mark.parametrize("persona", ["teacher", "other_school_teacher", "outsider", "expired", "analyst"])
    def test_others_have_an_empty_queue_and_cannot_move_a_referral(self, client, catalogue, persona):
        referral = _make(catalogue)
        sign_in(client, getattr(catalogue, persona))
        assert client.get(reverse("catalogue:queue")).context["rows"] == []
        response = client.post(reverse("catalogue:queue_status", args=[referral.pk]), {"status": "accepted"})
        assert response.status_code == 404
        referral.refresh_from_db()
        assert referral.status == Referral.Status.REQUESTED

    def test_another_municipalitys_provider_sees_nothing(self, client, catalogue, elsewhere):
        _make(catalogue)
        sign_in(client, elsewhere["other_teacher"])
        assert client.get(reverse("catalogue:queue")).context["rows"] == []

    def test_the_provider_starts_it_and_the_waiting_time_is_computed(self, client, catalogue):
        referral = _make(catalogue)
        Referral.objects.filter(pk=referral.pk).update(requested_on=policy.today().replace(day=1))
        sign_in(client, catalogue.bvc_nurse)
        url = reverse("catalogue:queue_status", args=[referral.pk])
        client.post(url, {"status": "completed"})  # not from requested
        referral.refresh_from_db()
        assert referral.status == Referral.Status.REQUESTED
        client.post(url, {"status": "started"})
        referral.refresh_from_db()
        assert (referral.status, referral.started_on) == (Referral.Status.STARTED, policy.today())
        assert referral.waiting_days(policy.today()) == policy.today().day - 1
        assert AuditEvent.objects.filter(record_type="Referral", action="update", basis=policy.Basis.REFERRAL).exists()

"""The one way in: requests from staff and families, triage to a colour, routing, time to first support."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from catalogue.models import Referral, SupportRequest
from core.navigation import INTAKE, items_for
from organisations.models import Membership, Role, Unit
from plans.tests.setup import bup_relation, plan_consent, start
from sharing import policy
from teams.models import Team, TeamMember
from testsupport.cast import sign_in

CONCERN = "Alva är orolig och vill inte gå till skolan."


@pytest.fixture
def intake(catalogue):
    """An intake unit at social services with one member holding the intake role."""
    unit = Unit.objects.create(authority=catalogue.social, name="Mottagningen", unit_type="social_services_team")
    user = User.objects.create_user(username="mottagning", password="x", first_name="Mia", last_name="Mottagare")
    Membership.objects.create(user=user, unit=unit, role=Role.INTAKE, valid_from=policy.today() - timedelta(days=30))
    catalogue.intake_unit, catalogue.intake_user = unit, user
    return catalogue


def _ask(client, user, child, unit, *, family: bool = False):
    sign_in(client, user)
    name = "family:support" if family else "catalogue:requests"
    return client.post(reverse(name, args=[child.pk]), {"intake_unit": unit.pk, "concern": CONCERN})


def _request(cast, child=None, *, by=None) -> SupportRequest:
    return SupportRequest.objects.create(
        child=child or cast.child,
        intake_unit=cast.intake_unit,
        owner_authority=cast.education,
        source=SupportRequest.Source.PRACTITIONER,
        requested_by=by or cast.teacher,
        concern=CONCERN,
        received_at=timezone.now(),
    )


def _triage(client, cast, request, colour="orange", reason="Skolfrånvaro och oro: förenklad utredning."):
    sign_in(client, cast.intake_user)
    return client.post(
        reverse("catalogue:intake_triage", args=[request.pk]), {"colour": colour, "triage_reason": reason}
    )


@pytest.mark.django_db
class TestAsking:
    def test_a_practitioner_asks_about_a_child_they_see(self, client, intake):
        assert _ask(client, intake.teacher, intake.child, intake.intake_unit).status_code == 302
        row = SupportRequest.objects.get()
        assert (row.source, row.owner_authority, row.status) == ("practitioner", intake.education, "received")
        assert AuditEvent.objects.filter(record_type="SupportRequest", action="create", child_id=intake.child.pk)

    def test_a_guardian_asks_through_the_family_view_and_the_intake_holds_it(self, client, intake):
        assert _ask(client, intake.guardian_user, intake.child, intake.intake_unit, family=True).status_code == 302
        row = SupportRequest.objects.get()
        assert (row.source, row.owner_authority) == ("guardian", intake.social)

    def test_each_family_user_sees_their_own_requests_only(self, client, intake):
        _ask(client, intake.guardian_user, intake.child, intake.intake_unit, family=True)
        url = reverse("family:support", args=[intake.child.pk])
        assert [row.concern for row in client.get(url).context["rows"]] == [CONCERN]
        sign_in(client, intake.co_guardian_user)
        assert client.get(url).context["rows"] == []

    def test_a_parent_without_custody_cannot_ask(self, client, intake):
        response = _ask(client, intake.noncustodial_user, intake.child, intake.intake_unit, family=True)
        assert response.status_code == 404
        assert not SupportRequest.objects.exists()

    def test_a_unit_without_the_intake_role_is_refused_and_nothing_is_saved(self, client, intake):
        response = _ask(client, intake.teacher, intake.child, intake.school)
        assert response.status_code == 400
        assert not SupportRequest.objects.exists()

    @pytest.mark.parametrize("persona", ["other_school_teacher", "outsider", "expired"])
    def test_users_who_may_not_see_the_child_cannot_ask(self, client, intake, persona):
        assert _ask(client, getattr(intake, persona), intake.child, intake.intake_unit).status_code == 404
        assert not SupportRequest.objects.exists()


@pytest.mark.django_db
class TestWhoSeesIt:
    def test_the_intake_sees_every_request_to_it_and_each_read_is_logged(self, client, intake):
        row = _request(intake)
        sign_in(client, intake.intake_user)
        response = client.get(reverse("catalogue:intake"))
        assert [r["request"] for r in response.context["rows"]] == [row]
        assert AuditEvent.objects.filter(record_id=str(row.pk), basis=policy.Basis.INTAKE, target="catalogue:intake")

    def test_a_protected_child_is_named_by_the_marker_only(self, client, intake):
        _request(intake, intake.protected_child)
        sign_in(client, intake.intake_user)
        page = client.get(reverse("catalogue:intake")).content.decode()
        assert "Vidar" not in page
        assert "Skyddade personuppgifter" in page

    def test_the_named_person_sees_a_colleagues_request(self, client, intake):
        row = _request(intake)
        sign_in(client, intake.named_person)
        assert list(client.get(reverse("catalogue:requests", args=[intake.child.pk])).context["rows"]) == [row]

    def test_a_familys_request_is_not_shared_with_the_school(self, client, intake):
        _ask(client, intake.guardian_user, intake.child, intake.intake_unit, family=True)
        sign_in(client, intake.named_person)
        assert list(client.get(reverse("catalogue:requests", args=[intake.child.pk])).context["rows"]) == []

    def test_a_participant_whose_consent_has_expired_does_not_see_it(self, client, intake):
        start(intake)
        bup_relation(intake)
        plan_consent(intake, hours=-24, started_hours_ago=48)
        _request(intake)
        sign_in(client, intake.bup_clinician)
        assert list(client.get(reverse("catalogue:requests", args=[intake.child.pk])).context["rows"]) == []

    @pytest.mark.parametrize(
        "persona", ["teacher", "named_person", "other_school_teacher", "outsider", "expired", "manager", "analyst"]
    )
    def test_others_have_no_intake_page_and_cannot_triage(self, client, intake, persona):
        row = _request(intake)
        sign_in(client, getattr(intake, persona))
        assert client.get(reverse("catalogue:intake")).status_code == 404
        response = client.post(
            reverse("catalogue:intake_triage", args=[row.pk]), {"colour": "orange", "triage_reason": "x"}
        )
        assert response.status_code == 404
        row.refresh_from_db()
        assert row.status == "received"

    def test_a_user_of_another_authority_has_no_intake_page(self, client, intake, elsewhere):
        _request(intake)
        sign_in(client, elsewhere["other_teacher"])
        assert client.get(reverse("catalogue:intake")).status_code == 404


@pytest.mark.django_db
class TestTriageAndRouting:
    def test_the_intake_triages_a_request_to_orange_with_its_reason(self, client, intake):
        row = _request(intake)
        assert _triage(client, intake, row).status_code == 302
        row.refresh_from_db()
        assert (row.status, row.colour, row.triaged_by) == ("triaged", "orange", intake.intake_user)
        assert row.triage_reason == "Skolfrånvaro och oro: förenklad utredning."
        assert AuditEvent.objects.filter(record_id=str(row.pk), action="update", basis=policy.Basis.INTAKE)
        page = client.get(reverse("catalogue:intake")).content.decode()
        assert "Orange" in page

    def test_a_triage_without_a_reason_changes_nothing(self, client, intake):
        row = _request(intake)
        _triage(client, intake, row, reason=" ")
        row.refresh_from_db()
        assert (row.status, row.colour) == ("received", "")

    def test_routed_to_a_provider_it_becomes_a_referral_and_its_start_is_the_first_support(self, client, intake):
        row = _request(intake)
        _triage(client, intake, row)
        client.post(
            reverse("catalogue:intake_route", args=[row.pk]), {"route": "provider", "intervention": intake.cool_kids.pk}
        )
        row.refresh_from_db()
        referral = Referral.objects.get()
        assert (row.status, row.referral, referral.owner_authority) == ("routed", referral, intake.social)
        sign_in(client, intake.bvc_nurse)
        client.post(reverse("catalogue:queue_status", args=[referral.pk]), {"status": "started"})
        row.refresh_from_db()
        assert (row.status, row.first_support_on) == ("supported", policy.today())

    def test_routed_to_a_team_the_first_support_is_recorded_and_the_median_shown(self, client, intake):
        team = Team.objects.create(
            name="Barnteamet", municipality=intake.municipality, kind="other", created_by=intake.manager
        )
        row = _request(intake)
        SupportRequest.objects.filter(pk=row.pk).update(received_at=timezone.now() - timedelta(days=4))
        _triage(client, intake, row)
        client.post(reverse("catalogue:intake_route", args=[row.pk]), {"route": "team", "team": team.pk})
        client.post(reverse("catalogue:intake_support", args=[row.pk]), {"first_support_on": policy.today()})
        row.refresh_from_db()
        assert (row.status, row.team, row.days_to_support()) == ("supported", team, 4)
        periods = client.get(reverse("catalogue:intake")).context["periods"]
        assert [(p.received, p.supported, p.median_days) for p in periods] == [(1, 1, 4)]

    def test_a_request_not_yet_triaged_cannot_be_routed(self, client, intake):
        row = _request(intake)
        sign_in(client, intake.intake_user)
        client.post(reverse("catalogue:intake_route", args=[row.pk]), {"route": "plan"})
        row.refresh_from_db()
        assert row.status == "received"


@pytest.mark.django_db
def test_the_menu_offers_the_intake_page_to_the_intake_role_only(intake):
    intake.intake_user.is_verified = lambda: True
    intake.teacher.is_verified = lambda: True
    assert INTAKE in items_for(intake.intake_user)
    assert INTAKE not in items_for(intake.teacher)


@pytest.mark.django_db
class TestRoutingTellsTheReceiver:
    def test_routed_to_the_plan_its_lead_finds_a_reminder_and_the_intake_is_told(self, client, intake, mailoutbox):
        plan = start(intake)
        row = _request(intake)
        _triage(client, intake, row)
        response = client.post(reverse("catalogue:intake_route", args=[row.pk]), {"route": "plan"}, follow=True)
        assert "planens ansvariga har fått en påminnelse" in response.content.decode()
        assert not mailoutbox
        sign_in(client, plan.lead_professional)
        page = client.get(reverse("plans:reminders")).content.decode()
        assert "Mottagningen har fört en begäran om stöd till planen" in page
        assert CONCERN not in page

    def test_routed_to_the_plan_of_a_child_without_one_the_intake_is_told_no_one_learned(self, client, intake):
        row = _request(intake)
        _triage(client, intake, row)
        response = client.post(reverse("catalogue:intake_route", args=[row.pk]), {"route": "plan"}, follow=True)
        assert "barnet har ingen öppen plan och ingen har fått en påminnelse" in response.content.decode()

    def test_routed_to_a_team_its_members_see_that_something_waits_without_the_child(self, client, intake):
        team = Team.objects.create(
            name="Barnteamet", municipality=intake.municipality, kind="other", created_by=intake.manager
        )
        TeamMember.objects.create(
            team=team,
            user=intake.teacher,
            authority=intake.education,
            joined_on=policy.today() - timedelta(days=10),
            added_by=intake.manager,
        )
        row = _request(intake)
        _triage(client, intake, row)
        response = client.post(
            reverse("catalogue:intake_route", args=[row.pk]), {"route": "team", "team": team.pk}, follow=True
        )
        assert "Begäran är vidareförd till Barnteamet" in response.content.decode()
        sign_in(client, intake.teacher)
        page = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
        assert "Mottagningen har fört en begäran om stöd till teamet" in page
        assert CONCERN not in page and intake.child.given_name not in page
        sign_in(client, intake.manager)  # not a member: sees the team, not what waits for it
        assert "Från mottagningen" not in client.get(reverse("teams:detail", args=[team.pk])).content.decode()

    def test_routed_to_a_provider_the_intake_is_told_whose_queue_it_is_in(self, client, intake):
        row = _request(intake)
        _triage(client, intake, row)
        response = client.post(
            reverse("catalogue:intake_route", args=[row.pk]),
            {"route": "provider", "intervention": intake.cool_kids.pk},
            follow=True,
        )
        assert "den finns i utförarens kö (Barnhälsovården)" in response.content.decode()

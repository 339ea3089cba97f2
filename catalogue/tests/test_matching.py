"""Suggestions for a child: ranked by the latest wheel and the age, with reasons; only for those who see the child."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.tests.setup import rate
from plans.tests.setup import start
from testsupport.cast import sign_in


def _url(child) -> str:
    return reverse("catalogue:suggestions", args=[child.pk])


@pytest.mark.django_db
class TestSuggestions:
    def test_it_ranks_by_the_latest_wheel_with_reasons(self, client, catalogue):
        rate(catalogue, healthy=2, safe=4, nurtured=5)
        sign_in(client, catalogue.teacher)
        response = client.get(_url(catalogue.child))
        assert response.status_code == 200
        names = [s.intervention.name for s in response.context["suggestions"]]
        assert names == ["Cool Kids"]  # Frisk is low; the others' needs are rated well or the age does not fit
        page = response.content.decode()
        assert "Indikerad insats för Frisk (skattat 2 av 5)" in page
        assert "väntetid 2 veckor" in page

    def test_without_a_wheel_it_suggests_by_age_alone(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        names = {s.intervention.name for s in client.get(_url(catalogue.child)).context["suggestions"]}
        assert names == {"Cool Kids", "Skilda världar"}
        assert "Hembesök" not in names  # for newborns

    def test_the_read_is_logged_on_the_child(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        client.get(_url(catalogue.child))
        assert AuditEvent.objects.filter(child_id=catalogue.child.pk, target="catalogue:suggestions").exists()

    @pytest.mark.parametrize("persona", ["other_school_teacher", "outsider", "expired", "analyst"])
    def test_users_who_may_not_see_the_child_get_404(self, client, catalogue, persona):
        rate(catalogue, healthy=1)
        sign_in(client, getattr(catalogue, persona))
        assert client.get(_url(catalogue.child)).status_code == 404

    def test_a_user_of_another_municipality_gets_404(self, client, catalogue, elsewhere):
        sign_in(client, elsewhere["other_teacher"])
        assert client.get(_url(catalogue.child)).status_code == 404


def _offered(child, fills: str) -> str:
    return reverse("catalogue:suggestions_offered", args=[child.pk]) + f"?for={fills}"


@pytest.mark.django_db
class TestSuggestionsOfferedInTheForms:
    def test_the_plans_action_form_offers_them(self, client, catalogue):
        plan = start(catalogue)
        sign_in(client, catalogue.named_person)
        page = client.get(reverse("plans:actions", args=[catalogue.child.pk, plan.pk])).content.decode()
        assert _offered(catalogue.child, "action").replace("&", "&amp;") in page
        assert "suggestions-offered.js" in page

    def test_the_referral_form_offers_them(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        page = client.get(reverse("catalogue:referrals", args=[catalogue.child.pk])).content.decode()
        assert _offered(catalogue.child, "referral").replace("&", "&amp;") in page

    def test_a_click_fills_the_actions_description(self, client, catalogue):
        rate(catalogue, healthy=2, safe=4, nurtured=5)
        sign_in(client, catalogue.teacher)
        response = client.get(_offered(catalogue.child, "action"))
        assert response.status_code == 200
        assert [s.intervention.name for s in response.context["suggestions"]] == ["Cool Kids"]
        page = response.content.decode()
        assert 'data-suggestion-fill="id_description"' in page
        assert 'data-suggestion-value="Cool Kids (Barnhälsovården)"' in page
        assert "Indikerad insats för Frisk (skattat 2 av 5)" in page

    def test_a_click_chooses_the_referrals_intervention(self, client, catalogue):
        rate(catalogue, healthy=2, safe=4, nurtured=5)
        sign_in(client, catalogue.teacher)
        page = client.get(_offered(catalogue.child, "referral")).content.decode()
        assert 'data-suggestion-fill="id_intervention"' in page
        assert f'data-suggestion-value="{catalogue.cool_kids.pk}"' in page

    def test_the_read_is_logged_on_the_child(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        client.get(_offered(catalogue.child, "referral"))
        assert AuditEvent.objects.filter(child_id=catalogue.child.pk, target="catalogue:suggestions_offered").exists()

    @pytest.mark.parametrize("persona", ["other_school_teacher", "outsider", "expired", "analyst"])
    def test_users_who_may_not_see_the_child_get_404(self, client, catalogue, persona):
        rate(catalogue, healthy=1)
        sign_in(client, getattr(catalogue, persona))
        assert client.get(_offered(catalogue.child, "action")).status_code == 404

    def test_a_user_of_another_municipality_gets_404_and_never_their_own_interventions(
        self, client, catalogue, elsewhere
    ):
        sign_in(client, elsewhere["other_teacher"])
        response = client.get(_offered(catalogue.child, "referral"))
        assert response.status_code == 404
        assert "Annanstads samtalsstöd" not in response.content.decode()

"""Keeping entries: who may add and change interventions and confirm waiting times; stale waiting times remind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.models import Intervention, WaitingTimeReminder
from catalogue.tasks import catalogue_waiting_times
from sharing import policy
from testsupport.cast import sign_in


def _waiting(intervention) -> str:
    return reverse("catalogue:waiting_time", args=[intervention.pk])


def _edit(intervention) -> str:
    return reverse("catalogue:edit", args=[intervention.pk])


FORM = {
    "name": "Föräldragrupp",
    "description": "Föräldragrupp med olika teman.",
    "target_group": "Familjer med barn under ett år",
    "min_age": "0",
    "max_age": "1",
    "level": "universal",
    "colour": "blue",
    "route": "self",
    "needs": ["nurtured", "healthy"],
    "public": "on",
}


@pytest.mark.django_db
class TestWaitingTime:
    def test_the_providers_staff_confirm_a_waiting_time_and_it_is_logged(self, client, catalogue):
        catalogue.cool_kids.waiting_confirmed_on = policy.today() - timedelta(days=200)
        catalogue.cool_kids.save()
        sign_in(client, catalogue.bvc_nurse)
        response = client.post(_waiting(catalogue.cool_kids), {"weeks": "5"})
        assert response.status_code == 302
        catalogue.cool_kids.refresh_from_db()
        assert (catalogue.cool_kids.waiting_weeks, catalogue.cool_kids.waiting_confirmed_on) == (5, policy.today())
        event = AuditEvent.objects.get(record_type="Intervention", record_id=str(catalogue.cool_kids.pk))
        assert (event.action, event.basis, event.child_id) == ("update", "catalogue_admin", None)

    def test_staff_of_another_unit_may_not(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        response = client.post(_waiting(catalogue.cool_kids), {"weeks": "5"})
        assert response.status_code == 403
        catalogue.cool_kids.refresh_from_db()
        assert catalogue.cool_kids.waiting_weeks == 2
        assert not AuditEvent.objects.filter(record_type="Intervention").exists()

    def test_a_manager_of_the_municipality_keeps_the_outside_organisation(self, client, catalogue):
        sign_in(client, catalogue.manager)
        assert client.post(_waiting(catalogue.group), {"weeks": "0"}).status_code == 302
        catalogue.group.refresh_from_db()
        assert catalogue.group.waiting_weeks == 0

    def test_a_manager_of_another_municipality_gets_404(self, client, catalogue, elsewhere):
        sign_in(client, elsewhere["other_manager"])
        assert client.post(_waiting(catalogue.group), {"weeks": "0"}).status_code == 404

    def test_a_bad_number_is_explained_and_changes_nothing(self, client, catalogue):
        sign_in(client, catalogue.bvc_nurse)
        response = client.post(_waiting(catalogue.cool_kids), {"weeks": "-3"})
        assert response.status_code == 400
        assert "Väntetiden kan inte vara negativ." in response.content.decode()
        catalogue.cool_kids.refresh_from_db()
        assert catalogue.cool_kids.waiting_weeks == 2


@pytest.mark.django_db
class TestEditing:
    def test_the_providers_staff_add_an_intervention_with_its_needs(self, client, catalogue):
        sign_in(client, catalogue.bvc_nurse)
        response = client.post(reverse("catalogue:new"), FORM | {"provider": catalogue.provider.pk})
        assert response.status_code == 302
        created = Intervention.objects.get(name="Föräldragrupp")
        assert sorted(created.needs.values_list("indicator", flat=True)) == ["healthy", "nurtured"]
        assert AuditEvent.objects.filter(action="create", record_id=str(created.pk)).exists()

    def test_staff_may_only_choose_providers_they_keep(self, client, catalogue):
        sign_in(client, catalogue.bvc_nurse)
        response = client.post(reverse("catalogue:new"), FORM | {"provider": catalogue.outside_provider.pk})
        assert response.status_code == 400
        assert not Intervention.objects.filter(name="Föräldragrupp").exists()

    def test_ages_out_of_order_are_refused(self, client, catalogue):
        sign_in(client, catalogue.bvc_nurse)
        response = client.post(_edit(catalogue.cool_kids), FORM | {"provider": catalogue.provider.pk, "min_age": "9"})
        assert response.status_code == 400
        assert "Till-åldern kan inte vara lägre än från-åldern." in response.content.decode()
        catalogue.cool_kids.refresh_from_db()
        assert catalogue.cool_kids.name == "Cool Kids"

    def test_staff_who_keep_no_provider_are_told_so(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        assert client.get(reverse("catalogue:new")).status_code == 403
        assert client.get(_edit(catalogue.cool_kids)).status_code == 403

    def test_my_interventions_lists_stale_ones_first(self, client, catalogue):
        catalogue.internal.waiting_confirmed_on = None
        catalogue.internal.save()
        sign_in(client, catalogue.bvc_nurse)
        page = client.get(reverse("catalogue:mine")).content.decode()
        assert page.index("Utvecklingsbedömning") < page.index("Cool Kids")
        assert "Skilda världar" not in page


@pytest.mark.django_db
class TestReminders:
    def test_the_task_reminds_of_each_stale_waiting_time_once(self, catalogue):
        today = policy.today()
        catalogue.cool_kids.waiting_confirmed_on = today - timedelta(days=61)
        catalogue.cool_kids.save()
        catalogue.internal.waiting_confirmed_on = None
        catalogue.internal.save()
        assert catalogue_waiting_times(today) == "2 påminnelser om väntetider att bekräfta."
        assert catalogue_waiting_times(today + timedelta(days=1)).startswith("0 ")
        assert set(WaitingTimeReminder.objects.values_list("intervention__name", flat=True)) == {
            "Cool Kids",
            "Utvecklingsbedömning",
        }

    def test_the_municipality_sets_how_old_a_waiting_time_may_be(self, catalogue):
        settings = catalogue.municipality.catalogue_settings
        settings.stale_after_days = 10
        settings.save()
        catalogue.group.waiting_confirmed_on = policy.today() - timedelta(days=11)
        catalogue.group.save()
        catalogue_waiting_times(policy.today())
        assert list(WaitingTimeReminder.objects.values_list("intervention__name", flat=True)) == ["Skilda världar"]

    def test_confirming_clears_the_reminder(self, client, catalogue):
        catalogue.cool_kids.waiting_confirmed_on = None
        catalogue.cool_kids.save()
        catalogue_waiting_times(policy.today())
        sign_in(client, catalogue.bvc_nurse)
        client.post(_waiting(catalogue.cool_kids), {"weeks": "4"})
        assert not WaitingTimeReminder.objects.exists()


@pytest.mark.django_db
def test_an_administrator_sets_the_municipalitys_words_and_limit_in_the_admin(client, catalogue):
    catalogue.administrator.is_staff = catalogue.administrator.is_superuser = True
    catalogue.administrator.save()
    sign_in(client, catalogue.administrator)
    settings = catalogue.municipality.catalogue_settings
    url = reverse("admin:catalogue_cataloguesettings_change", args=[settings.pk])
    data = {
        "municipality": catalogue.municipality.pk,
        "blue_label": "Blå – för alla",
        "green_label": "Grön",
        "orange_label": "Orange",
        "red_label": "Röd",
        "stale_after_days": "30",
        "contact_points": "",
    }
    assert client.post(url, data).status_code == 302
    settings.refresh_from_db()
    assert (settings.blue_label, settings.stale_after_days) == ("Blå – för alla", 30)
    assert AuditEvent.objects.filter(record_type="CatalogueSettings", surface="admin").exists()

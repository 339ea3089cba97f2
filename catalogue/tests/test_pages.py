"""The staff catalogue pages: who sees the table, an entry, the pyramid, the actor map and the directory."""

from __future__ import annotations

import pytest
from django.urls import reverse

from testsupport.cast import sign_in

LIST = reverse("catalogue:list")


def _detail(intervention) -> str:
    return reverse("catalogue:detail", args=[intervention.pk])


@pytest.mark.django_db
class TestTable:
    def test_it_lists_public_and_internal_entries_of_the_municipality(self, client, catalogue, elsewhere):
        sign_in(client, catalogue.teacher)
        page = client.get(LIST).content.decode()
        for name in ("Cool Kids", "Hembesök", "Utvecklingsbedömning", "Skilda världar"):
            assert name in page
        assert "Annanstads samtalsstöd" not in page
        assert "4 insatser" in page

    @pytest.mark.parametrize(
        ("query", "shown", "hidden"),
        [
            ({"q": "ångest"}, "Cool Kids", "Hembesök"),
            ({"niva": "universal"}, "Hembesök", "Cool Kids"),
            ({"alder": "7"}, "Skilda världar", "Hembesök"),
            ({"alder": "-1"}, "Inga", "Cool Kids"),
            ({"behov": "safe"}, "Skilda världar", "Cool Kids"),
            ({"synlighet": "intern"}, "Utvecklingsbedömning", "Cool Kids"),
        ],
    )
    def test_it_filters(self, client, catalogue, query, shown, hidden):
        sign_in(client, catalogue.teacher)
        page = client.get(LIST, query).content.decode()
        assert hidden not in page
        if shown != "Inga":
            assert shown in page
        else:
            assert "Ingen insats matchar filtren" in page

    def test_it_filters_by_provider_and_sorts_by_waiting_time(self, client, catalogue):
        catalogue.cool_kids.waiting_weeks = 9
        catalogue.cool_kids.save()
        sign_in(client, catalogue.teacher)
        page = client.get(LIST, {"utforare": catalogue.provider.pk, "sortering": "vantetid"}).content.decode()
        assert "Skilda världar" not in page
        assert page.index("Hembesök") < page.index("Cool Kids")

    def test_it_ignores_a_bad_filter(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        response = client.get(LIST, {"alder": "hundra", "niva": "okänd"})
        assert response.status_code == 200
        assert "Cool Kids" in response.content.decode()

    def test_it_pages_the_list(self, client, catalogue):
        from catalogue.tests.setup import make_intervention

        for number in range(30):
            make_intervention(catalogue.outside_provider, f"Grupp {number:02d}")
        sign_in(client, catalogue.teacher)
        first = client.get(LIST).content.decode()
        second = client.get(LIST, {"sida": 2}).content.decode()
        assert "Sida 1 av 2" in first
        assert "Sida 2 av 2" in second

    def test_it_hides_the_catalogue_from_family_users_and_former_staff(self, client, catalogue):
        sign_in(client, catalogue.guardian_user)
        assert client.get(LIST).status_code == 404

    def test_it_sends_the_signed_out_to_login(self, client, catalogue):
        response = client.get(LIST)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
class TestDetail:
    def test_it_shows_an_entry_with_its_words(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        page = client.get(_detail(catalogue.cool_kids)).content.decode()
        assert "6–18 år" in page
        assert "Indikerad" in page
        assert "Frisk" in page
        assert "Bekräfta väntetid" not in page  # a teacher does not keep the BVC's entries

    def test_another_municipality_gets_the_same_404_as_a_missing_entry(self, client, catalogue, elsewhere):
        sign_in(client, elsewhere["other_teacher"])
        assert client.get(_detail(catalogue.cool_kids)).status_code == 404
        assert client.get(reverse("catalogue:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
class TestViews:
    def test_the_pyramid_counts_each_level_and_names_them_by_provider(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        page = client.get(reverse("catalogue:pyramid")).content.decode()
        assert "Indikerad: 2 insatser" in page
        assert "Universell: 1 insats" in page
        assert "Barnhälsovården:</strong> Cool Kids, Utvecklingsbedömning" in page

    def test_the_actor_map_marks_the_ages_of_each_entry(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        response = client.get(reverse("catalogue:actor_map"))
        groups = dict(response.context["groups"])
        row = next(r for r in groups["Föreningen Stöd"] if r.intervention.name == "Skilda världar")
        assert [age for age, on in enumerate(row.cells) if on] == list(range(7, 13))

    def test_the_directory_lists_providers_with_contacts(self, client, catalogue, elsewhere):
        sign_in(client, catalogue.teacher)
        page = client.get(reverse("catalogue:directory")).content.decode()
        assert "Föreningen Stöd" in page
        assert "Utomstående organisation" in page
        assert "Annanstads elevhälsa" not in page

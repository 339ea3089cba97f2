"""Registering and correcting a child: number validation, duplicates shown before saving, sources and audit rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.personnummer import with_check_digit
from organisations.models import Municipality
from people.models import Child, IdentityKind, Source
from registration.tests.helpers import NEWCOMER_BORN, child_post, coordination_number
from testsupport.cast import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, registrar):
    sign_in(client, registrar)
    return client


def test_it_registers_a_newly_arrived_child_with_a_samordningsnummer(signed_in, cast):
    response = signed_in.post(reverse("registration:child_new"), child_post())
    child = Child.objects.get(identity_number=coordination_number())
    assert response.status_code == 302 and response.url == reverse("registration:child", args=[child.pk])
    assert child.identity_kind == IdentityKind.SAMORDNINGSNUMMER
    assert child.birth_date == NEWCOMER_BORN  # day + 60 read back as the real day
    assert child.municipality == cast.municipality
    assert child.source == Source.MANUAL
    assert child.source_note == "Registrerad för hand av Rut Registrator, Barn- och utbildningsnämnden"
    row = AuditEvent.objects.get(child_id=child.pk, action="create")
    assert row.basis == "registration" and row.username == "registrator"
    page = signed_in.get(response.url).content.decode()
    assert "Samordningsnummer" in page and "Registrerad för hand av Rut Registrator" in page


def test_it_refuses_a_bad_number_and_saves_nothing(signed_in):
    before = Child.objects.count()
    bad = coordination_number()[:-1] + str((int(coordination_number()[-1]) + 1) % 10)
    response = signed_in.post(reverse("registration:child_new"), child_post(number=bad))
    assert response.status_code == 400
    assert "Kontrollsiffran stämmer inte" in response.content.decode()
    assert bad not in response.content.decode()  # the number is never written back into the page
    assert Child.objects.count() == before


def test_it_needs_a_birth_date_with_a_reserve_number(signed_in):
    response = signed_in.post(reverse("registration:child_new"), child_post(number="R1234567"))
    assert response.status_code == 400
    assert "Ange födelsedatum" in response.content.decode()
    response = signed_in.post(reverse("registration:child_new"), child_post(number="R1234567", birth_date="2020-02-02"))
    child = Child.objects.get(identity_number="R1234567")
    assert child.identity_kind == IdentityKind.RESERVE and child.birth_date == date(2020, 2, 2)


def test_it_shows_a_possible_duplicate_before_saving(signed_in, cast):
    same = child_post(given_name="alva", family_name="ANDERSSON", number=with_check_digit(cast.child.birth_date, 123))
    response = signed_in.post(reverse("registration:child_new"), same)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Möjliga dubbletter" in page and reverse("registration:child", args=[cast.child.pk]) in page
    assert not Child.objects.filter(identity_number=same["number"]).exists()
    response = signed_in.post(reverse("registration:child_new"), {**same, "not_duplicate": "on"})
    assert response.status_code == 302
    assert Child.objects.filter(identity_number=same["number"]).exists()


def test_it_refuses_a_number_already_registered(signed_in, cast):
    response = signed_in.post(reverse("registration:child_new"), child_post(number=cast.child.identity_number))
    assert response.status_code == 400
    assert "Ett barn med det numret finns redan" in response.content.decode()


def test_it_refuses_a_number_taken_in_another_municipality_without_showing_the_child(client, cast, other_registrar):
    sign_in(client, other_registrar)
    response = client.post(reverse("registration:child_new"), child_post(number=cast.child.identity_number))
    assert response.status_code == 400
    page = response.content.decode()
    assert "registrerat i en annan kommun" in page and "Alva" not in page


def test_it_corrects_a_reserve_number_to_a_samordningsnummer(signed_in, cast):
    signed_in.post(reverse("registration:child_new"), child_post(number="R7654321", birth_date=NEWCOMER_BORN))
    child = Child.objects.get(identity_number="R7654321")
    response = signed_in.post(reverse("registration:child_edit", args=[child.pk]), child_post(given_name="Amina L."))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.identity_kind == IdentityKind.SAMORDNINGSNUMMER and child.given_name == "Amina L."
    assert AuditEvent.objects.filter(child_id=child.pk, action="update", target="registration:child").exists()


def test_it_refuses_a_correction_to_another_childs_number(signed_in, cast):
    response = signed_in.post(
        reverse("registration:child_edit", args=[cast.child.pk]),
        child_post(number=cast.protected_child.identity_number, given_name="Alva", family_name="Andersson"),
    )
    assert response.status_code == 400
    cast.child.refresh_from_db()
    assert cast.child.identity_number != cast.protected_child.identity_number


def test_it_lists_a_protected_child_without_its_name(signed_in, cast):
    page = signed_in.get(reverse("registration:home")).content.decode()
    assert "Alva" in page and "Vidar" not in page and "Skyddade personuppgifter" in page
    searched = signed_in.get(reverse("registration:home"), {"q": "Vidar"}).content.decode()
    assert "Inget barn matchar" in searched  # a protected child is never matched by name


def test_it_lists_the_municipalitys_children_a_page_at_a_time(signed_in, cast):
    from testsupport.cast import make_child

    for serial in range(300, 330):
        make_child(cast.municipality, born=date(2018, 1, 2), given=f"Barn{serial}", family="Sida", serial=serial)
    first = signed_in.get(reverse("registration:home"), {"q": "Sida"}).content.decode()
    assert "Sida 1 av 2" in first and "q=Sida&amp;sida=2" in first
    second = signed_in.get(reverse("registration:home"), {"q": "Sida", "sida": 2}).content.decode()
    assert "Sida 2 av 2" in second and "Barn329" in second


@pytest.fixture
def two_municipalities(client, registrar, other_registrar):
    """The Testköping registrar also registers for Andraby."""
    other_unit = other_registrar.memberships.get().unit
    registrar.memberships.create(
        unit=other_unit, role=other_registrar.memberships.get().role, valid_from=date(2020, 1, 1)
    )
    sign_in(client, registrar)
    return client, other_unit.authority.municipality


def test_a_registrar_of_one_municipality_is_not_asked_which(signed_in, cast):
    page = signed_in.get(reverse("registration:child_new"))
    assert "municipality" not in page.context["form"].fields
    assert cast.municipality.name in page.content.decode()


def test_a_registrar_of_several_municipalities_chooses_and_the_child_is_registered_there(two_municipalities, cast):
    client, andraby = two_municipalities
    page = client.get(reverse("registration:child_new"))
    field = page.context["form"].fields["municipality"]
    assert {m.name for m in field.queryset} == {cast.municipality.name, andraby.name}
    missing = client.post(reverse("registration:child_new"), child_post())
    assert missing.status_code == 400 and not Child.objects.filter(given_name="Amina").exists()
    response = client.post(reverse("registration:child_new"), child_post(municipality=andraby.pk))
    child = Child.objects.get(given_name="Amina")
    assert response.status_code == 302 and child.municipality == andraby


def test_a_registrar_cannot_choose_a_municipality_they_do_not_register_in(signed_in, cast, other_registrar):
    andraby = other_registrar.memberships.get().unit.authority.municipality
    signed_in.post(reverse("registration:child_new"), child_post(municipality=andraby.pk))
    assert Child.objects.get(given_name="Amina").municipality == cast.municipality  # one municipality: no choice


def test_a_registrar_of_several_cannot_post_a_third_municipality(two_municipalities, cast):
    client, _andraby = two_municipalities
    third = Municipality.objects.create(name="Tredje kommun", code="9997")
    response = client.post(reverse("registration:child_new"), child_post(municipality=third.pk))
    assert response.status_code == 400 and not Child.objects.filter(given_name="Amina").exists()

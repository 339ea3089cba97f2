"""Registration in a real browser: a registrar registers a newly arrived child with a samordningsnummer and two
guardians, and places the child at a preschool. Every registration page is checked with axe-core."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse

from core.personnummer import with_check_digit
from e2e.helpers import axe_violations, describe, log_in
from organisations.models import Membership, Role
from people.models import Child, Guardianship, IdentityKind
from sharing import policy
from testsupport.cast import PASSWORD

NUMBER = with_check_digit(date(2019, 4, 7), 231, coordination=True)
GUARDIANS = (
    (with_check_digit(date(1990, 1, 12), 273, coordination=True), "Layla", "Nyström"),
    ("199908072391", "Omar", "Nyström"),
)


def _assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def _registrar(cast):
    user = get_user_model().objects.create_user(
        username="registrator", password=PASSWORD, first_name="Rut", last_name="Registrator"
    )
    Membership.objects.create(user=user, unit=cast.school, role=Role.REGISTRAR, valid_from=date(2024, 1, 1))
    return user


def test_a_registrar_registers_a_newly_arrived_child_with_two_guardians(page, cast):
    log_in(page, _registrar(cast))
    page.get_by_role("link", name="Registrering").first.click()
    page.wait_for_url(f"**{reverse('registration:home')}")
    _assert_accessible(page)

    page.get_by_role("link", name="Registrera ett barn").click()
    _assert_accessible(page)
    page.get_by_label("Personnummer, samordningsnummer eller reservnummer").fill(NUMBER[:8] + "-" + NUMBER[8:])
    page.get_by_label("Förnamn").fill("Amina")
    page.get_by_label("Efternamn").fill("Nyström")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/registrering/barn/**")
    assert "Samordningsnummer" in page.content()
    _assert_accessible(page)

    for number, given, family in GUARDIANS:
        page.get_by_role("link", name="Lägg till vårdnadshavare").click()
        _assert_accessible(page)
        page.get_by_label("Vårdnadshavarens personnummer eller samordningsnummer").fill(number)
        page.get_by_label("Förnamn").fill(given)
        page.get_by_label("Efternamn").fill(family)
        page.get_by_role("button", name="Spara").click()
        page.wait_for_url("**/registrering/barn/*/")
        assert given in page.locator("section[aria-labelledby=guardians-title]").inner_text()

    page.get_by_role("link", name="Skriv in eller placera barnet").click()
    page.get_by_label("Enhet").select_option(label="Förskolan Solrosen (Barn- och utbildningsnämnden)")
    page.get_by_label("Typ").select_option(label="Förskola")
    page.get_by_label("Från").fill(policy.today().isoformat())
    _assert_accessible(page)
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/registrering/barn/*/")
    assert "Förskolan Solrosen" in page.locator("section[aria-labelledby=enrolments-title]").inner_text()
    _assert_accessible(page)

    child = Child.objects.get(identity_number=NUMBER)
    assert child.identity_kind == IdentityKind.SAMORDNINGSNUMMER
    assert Guardianship.objects.filter(child=child, has_custody=True).count() == 2
    # Possible duplicates are shown before saving: registering her again by name and birth date warns first.
    page.goto(reverse("registration:child_new"))
    page.get_by_label("Personnummer, samordningsnummer eller reservnummer").fill("R1234567")
    page.get_by_label("Förnamn").fill("Amina")
    page.get_by_label("Efternamn").fill("Nyström")
    page.get_by_label("Födelsedatum").fill("2019-04-07")
    page.get_by_role("button", name="Spara").click()
    assert page.get_by_role("heading", name="Möjliga dubbletter").is_visible()
    _assert_accessible(page)
    assert not Child.objects.filter(identity_number="R1234567").exists()

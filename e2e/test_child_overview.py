"""The child overview in a real browser: who sees it, what a protected identity hides."""

from __future__ import annotations

import os
from datetime import date

from core.personnummer import with_check_digit
from e2e.helpers import log_in
from people.models import ContactDetails, Guardian, Guardianship


def test_it_shows_the_child_overview_to_a_teacher_at_the_childs_school(page, cast):
    log_in(page, cast.teacher)

    response = page.goto(f"/barn/{cast.child.pk}/")

    assert response.status == 200
    assert "Alva" in page.locator("h1").inner_text()
    assert "Andersson" in page.content()
    if directory := os.environ.get("SAMPLAN_SCREENSHOTS"):
        page.screenshot(path=os.path.join(directory, "child-overview.png"), full_page=True)


def test_it_answers_404_without_the_childs_name_to_a_police_outsider(page, cast):
    log_in(page, cast.outsider)

    response = page.goto(f"/barn/{cast.child.pk}/")

    assert response.status == 404
    assert page.locator("h1").count() == 1
    body = page.content()
    assert "Alva" not in body
    assert "Andersson" not in body
    assert cast.child.identity_number not in body


def test_it_hides_the_protected_childs_address_from_a_teacher(page, cast):
    guardian = Guardian.objects.create(
        identity_number=with_check_digit(date(1984, 4, 4), 988), given_name="Gunnel", family_name="Skyddad"
    )
    Guardianship.objects.create(
        child=cast.protected_child, guardian=guardian, relation="parent", has_custody=True, valid_from=date(2015, 1, 1)
    )
    ContactDetails.objects.create(guardian=guardian, address="Dolda stigen 7", postal_code="98765", city="Gömsta")
    log_in(page, cast.teacher)

    response = page.goto(f"/barn/{cast.protected_child.pk}/")

    assert response.status == 200
    body = page.content()
    assert "Vidar" in body
    assert "Hemliga vägen" not in body
    assert "99999" not in body
    assert "Dolda stigen" not in body
    assert "Gömsta" not in body

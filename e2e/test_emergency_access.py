"""Emergency access in a real browser: a clinician opens another region's health records; that region reviews."""

from __future__ import annotations

from django.urls import reverse

from e2e.helpers import axe_violations, describe, log_in, totp_code
from sharing.models import EmergencyAccess
from sharing.tests.emergency_setup import neighbour_region
from testsupport.cast import PASSWORD


def _assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_bup_clinician_starts_emergency_access_and_the_other_regions_manager_reviews_it(page, cast):
    neighbour = neighbour_region(cast)
    log_in(page, cast.bup_clinician)

    page.goto(reverse("people:child", args=[cast.child.pk]))
    page.get_by_role("link", name="Nödåtkomst till en annan vårdgivares journaluppgifter").click()
    page.wait_for_url(f"**{reverse('sharing:emergency_start', args=[cast.child.pk])}")
    assert "loggas" in page.content()
    _assert_accessible(page)

    page.get_by_label("Vårdgivare vars journaluppgifter du behöver").select_option(label=neighbour.region.name)
    page.get_by_label("Skäl").fill("Akut läge på kvällen, barnet kan inte samtycka och föräldrarna nås inte.")
    page.get_by_label("Ditt lösenord").fill(PASSWORD)
    page.get_by_label("Engångskod").fill(totp_code(cast.bup_clinician))
    page.get_by_role("button", name="Starta nödåtkomst").click()
    page.wait_for_url(f"**{reverse('people:child', args=[cast.child.pk])}")

    banner = page.locator(".emergency-banner")
    assert "Du har pågående nödåtkomst" in banner.inner_text()
    assert "Alva Andersson" in banner.inner_text()
    assert "BVC Grannby" in page.locator("main").inner_text()  # the other region's health record is now open
    _assert_accessible(page)
    emergency = EmergencyAccess.objects.get()
    assert emergency.user == cast.bup_clinician

    banner.get_by_role("link", name="Avsluta nödåtkomst").click()
    page.wait_for_url(f"**{reverse('sharing:emergency_end', args=[emergency.pk])}")
    _assert_accessible(page)
    page.get_by_role("link", name="Avbryt").click()  # confirmation first: nothing ends without the second click
    emergency.refresh_from_db()
    assert emergency.ended_at is None

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/konto/logga-in/**")
    log_in(page, neighbour.manager)
    page.get_by_role("link", name="Nödåtkomster att granska").first.click()
    page.wait_for_url(f"**{reverse('sharing:emergency_review_queue')}")
    assert "Erik Psykolog" in page.content()
    _assert_accessible(page)

    page.locator(f"a[href='{reverse('sharing:emergency_review', args=[emergency.pk])}']").click()
    _assert_accessible(page)
    page.get_by_label("Befogad", exact=True).check()
    page.get_by_label("Motivering").fill("Akut vårdbehov på kvällen och barnet kunde inte samtycka.")
    page.get_by_role("button", name="Spara granskningen").click()
    page.wait_for_url(f"**{reverse('sharing:emergency_review_queue')}")
    emergency.refresh_from_db()
    assert emergency.review == EmergencyAccess.Review.JUSTIFIED
    assert emergency.reviewed_by == neighbour.manager


def test_a_teacher_is_led_from_emergency_access_to_the_report_of_concern(page, cast):
    log_in(page, cast.teacher)
    page.goto(reverse("sharing:emergency_start", args=[cast.child.pk]))
    assert "Nödåtkomst är till för hälso- och sjukvården" in page.content()
    _assert_accessible(page)
    page.get_by_role("link", name="Gör en orosanmälan").click()
    page.wait_for_url(f"**{reverse('sharing:report_new', args=[cast.child.pk])}")
    assert not EmergencyAccess.objects.exists()

"""Emergency access in a real browser: start with password and code, the banner, the owner's review."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from core.testing import PASSWORD, enrol
from e2e.helpers import axe_violations, describe, log_in, totp_code
from sharing import policy
from sharing.models import EmergencyAccess


def _assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_bup_clinician_starts_emergency_access_and_the_school_manager_reviews_it(page, cast):
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    log_in(page, cast.bup_clinician)

    page.goto(reverse("people:child", args=[cast.child.pk]))
    page.get_by_role("link", name="Nödåtkomst till en annan myndighets uppgifter").click()
    page.wait_for_url(f"**{reverse('sharing:emergency_start', args=[cast.child.pk])}")
    assert "loggas" in page.content()
    _assert_accessible(page)

    page.get_by_label("Myndighet vars uppgifter du behöver").select_option(label=cast.education.name)
    page.get_by_label("Skäl").fill("Akut läge på kvällen, skolan nås inte och familjen kan inte samtycka.")
    page.get_by_label("Ditt lösenord").fill(PASSWORD)
    page.get_by_label("Engångskod").fill(totp_code(cast.bup_clinician))
    page.get_by_role("button", name="Starta nödåtkomst").click()
    page.wait_for_url(f"**{reverse('people:child', args=[cast.child.pk])}")

    banner = page.locator(".emergency-banner")
    assert "Du har pågående nödåtkomst" in banner.inner_text()
    assert "Alva Andersson" in banner.inner_text()
    assert "Östra skolan" in page.locator("main").inner_text()  # the school's enrolment is now open
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
    log_in(page, cast.manager)
    page.get_by_role("link", name="Nödåtkomster att granska").first.click()
    page.wait_for_url(f"**{reverse('sharing:emergency_review_queue')}")
    assert "Erik Psykolog" in page.content()
    _assert_accessible(page)

    page.locator(f"a[href='{reverse('sharing:emergency_review', args=[emergency.pk])}']").click()
    _assert_accessible(page)
    page.get_by_label("Befogad", exact=True).check()
    page.get_by_label("Motivering").fill("Akut läge utanför skolans öppettider.")
    page.get_by_role("button", name="Spara granskningen").click()
    page.wait_for_url(f"**{reverse('sharing:emergency_review_queue')}")
    emergency.refresh_from_db()
    assert emergency.review == EmergencyAccess.Review.JUSTIFIED
    assert emergency.reviewed_by == cast.manager

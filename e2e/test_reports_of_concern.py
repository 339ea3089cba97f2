"""Sharing without consent in a real browser: a report of concern and its feedback; disclosure decisions; blocks."""

from __future__ import annotations

from django.urls import reverse

from e2e.helpers import axe_violations, describe, log_in, totp_code
from sharing.models import Block, DisclosureDecision, ReportOfConcern
from testsupport.cast import PASSWORD

WHAT = "Alva hade blåmärken på armarna och ville inte gå hem."


def _assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def _log_out(page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/konto/logga-in/**")


def test_a_teacher_reports_a_concern_and_social_services_gives_feedback(page, cast):
    log_in(page, cast.teacher)
    page.goto(reverse("people:child", args=[cast.child.pk]))
    page.get_by_role("link", name="Gör en orosanmälan till socialtjänsten").click()
    page.wait_for_url(f"**{reverse('sharing:report_new', args=[cast.child.pk])}")
    assert "Ring 112" in page.content()
    _assert_accessible(page)

    page.get_by_role("button", name="Skicka anmälan till socialtjänsten").click()  # nothing filled in
    assert page.locator(".error-summary").count() == 1
    _assert_accessible(page)
    assert not ReportOfConcern.objects.exists()

    page.get_by_label("Vad har du sett eller hört?").fill(WHAT)
    page.get_by_label("Vad har barnet själv sagt?").fill("Pappa blir så arg.")
    page.get_by_role("radio", name="Nej").check()
    page.get_by_label("Om nej: varför har de inte fått veta?").fill("Det kan skada barnet.")
    page.get_by_role("button", name="Skicka anmälan till socialtjänsten").click()
    page.wait_for_url(f"**{reverse('sharing:my_reports')}")
    report = ReportOfConcern.objects.get()
    assert f"Kvitto {report.pk}" in page.content() and "Inte bedömd ännu" in page.content()
    _assert_accessible(page)
    _log_out(page)

    log_in(page, cast.social_worker)
    page.get_by_role("link", name="Inkomna orosanmälningar").first.click()
    page.wait_for_url(f"**{reverse('sharing:report_intake')}")
    _assert_accessible(page)
    page.get_by_role("link", name=f"Anmälan {report.pk}").click()
    page.wait_for_url(f"**{reverse('sharing:report_detail', args=[report.pk])}")
    assert WHAT in page.content()
    _assert_accessible(page)
    page.get_by_label("Utredning har inletts").check()
    page.get_by_role("button", name="Spara återkoppling").click()
    page.wait_for_url(f"**{reverse('sharing:report_detail', args=[report.pk])}")
    report.refresh_from_db()
    assert report.feedback == ReportOfConcern.Feedback.INVESTIGATION_OPENED
    _log_out(page)

    log_in(page, cast.teacher)
    page.goto(reverse("sharing:my_reports"))
    assert "Utredning har inletts" in page.content()


def test_a_manager_decides_on_disclosure_and_places_and_lifts_a_block(page, cast):
    log_in(page, cast.manager)
    page.goto(reverse("people:child", args=[cast.child.pk]))
    page.get_by_role("link", name="Beslut om utlämnande utan samtycke").click()
    page.wait_for_url(f"**{reverse('sharing:disclosures', args=[cast.child.pk])}")
    _assert_accessible(page)
    page.get_by_role("link", name="Nytt beslut").click()
    _assert_accessible(page)
    page.get_by_label("Lämna ut", exact=True).check()
    page.get_by_label("Rättslig grund").select_option("osl_10_2")
    page.get_by_label("Förskola och skola").check()
    page.get_by_label(cast.region.name).check()
    page.get_by_label("Syfte").fill("BUP behöver veta hur skolgången fungerar.")
    page.get_by_label("Varför är det nödvändigt?").fill("Stödet kan inte planeras annars.")
    page.get_by_label("Varför är uppgifterna relevanta?").fill("Bara skolgången.")
    page.get_by_label("Varför är det proportionerligt?").fill("Samtycke kan inte inhämtas i tid.")
    page.get_by_role("button", name="Registrera beslutet").click()
    page.wait_for_url(f"**{reverse('sharing:disclosures', args=[cast.child.pk])}")
    decision = DisclosureDecision.objects.get()
    page.get_by_role("link", name="Återkalla beslutet").click()
    _assert_accessible(page)
    page.get_by_role("button", name="Återkalla beslutet").click()
    page.wait_for_url(f"**{reverse('sharing:disclosures', args=[cast.child.pk])}")
    decision.refresh_from_db()
    assert decision.revoked_at is not None

    page.goto(reverse("sharing:blocks", args=[cast.child.pk]))
    _assert_accessible(page)
    page.get_by_role("link", name="Ny spärr").click()
    _assert_accessible(page)
    page.get_by_label("Förskola och skola").check()
    page.get_by_label("Barnets begäran (tillräcklig mognad)").check()
    page.get_by_label("Motivering").fill("Eleven har själv bett om det.")
    page.get_by_role("button", name="Spärra").click()
    page.wait_for_url(f"**{reverse('sharing:blocks', args=[cast.child.pk])}")
    block = Block.objects.get()
    page.get_by_role("link", name="Häv spärren för Förskola och skola").click()
    page.wait_for_url(f"**{reverse('sharing:block_lift', args=[cast.child.pk, block.pk])}")
    _assert_accessible(page)
    page.get_by_label("Varför hävs spärren?").fill("Eleven har ändrat sig.")
    page.get_by_label("Ditt lösenord").fill(PASSWORD)
    page.get_by_label("Engångskod").fill(totp_code(cast.manager))
    page.get_by_role("button", name="Häv spärren").click()
    page.wait_for_url(f"**{reverse('sharing:blocks', args=[cast.child.pk])}")
    block.refresh_from_db()
    assert block.lifted_by == cast.manager

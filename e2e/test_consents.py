"""Consent in a real browser: the named person asks, both guardians give it, BUP sees the school's records,
a guardian withdraws it and the access ends. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from e2e.helpers import axe_violations, check_page, describe, log_in
from sharing import policy
from sharing.models import Consent
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, family_via
from testsupport.cast import enrol


def _assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def _school_enrolment_shown(page) -> bool:
    """Return whether the child's page shows the school's enrolment (a record of another authority for BUP)."""
    return "Grundskola" in page.locator("section[aria-labelledby=enrolments-heading]").inner_text()


def _log_out(page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/konto/logga-in/**")


def _give(page, cast, user) -> None:
    log_in(page, user)
    page.goto(reverse("family:consents", args=[cast.child.pk]))
    _assert_accessible(page)
    page.get_by_role("link", name="Svara").click()
    assert "påverkar inte annat stöd" in page.content()
    _assert_accessible(page)
    page.get_by_label("Ja, jag samtycker").check()
    page.get_by_role("button", name="Skicka svaret").click()
    page.wait_for_url(f"**{reverse('family:consents', args=[cast.child.pk])}")
    _log_out(page)


def test_a_consent_is_asked_given_used_and_withdrawn(page, cast):
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    child_page = reverse("people:child", args=[cast.child.pk])

    log_in(page, cast.named_person)
    page.goto(child_page)
    _assert_accessible(page)
    page.get_by_role("navigation", name="Barnets sidor").get_by_role("link", name="Samtycken").click()
    page.wait_for_url(f"**{reverse('sharing:consents', args=[cast.child.pk])}")
    _assert_accessible(page)
    page.get_by_role("link", name="Be om samtycke").click()
    _assert_accessible(page)
    page.get_by_label("Nej, familjen kan välja").check()
    page.get_by_label("Syfte").fill("Samordnat stöd mellan skolan och BUP")
    page.get_by_label("Förskola och skola").check()
    page.get_by_label(cast.region.name).check()
    page.get_by_role("button", name="Skicka begäran").click()
    page.wait_for_url(f"**{reverse('sharing:consents', args=[cast.child.pk])}")
    consent = Consent.objects.get()
    _log_out(page)

    log_in(page, cast.bup_clinician)
    page.goto(child_page)
    assert not _school_enrolment_shown(page)  # no consent yet
    _log_out(page)

    _give(page, cast, cast.guardian_user)
    _give(page, cast, cast.co_guardian_user)
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN

    log_in(page, cast.bup_clinician)
    page.goto(child_page)
    assert _school_enrolment_shown(page)
    assert cast.region.name in page.locator("section[aria-labelledby=consent-summary-heading]").inner_text()
    _log_out(page)

    log_in(page, cast.guardian_user)
    page.goto(reverse("family:consents", args=[cast.child.pk]))
    page.get_by_role("link", name="Ta tillbaka samtycket").click()
    _assert_accessible(page)
    page.get_by_role("button", name="Ja, ta tillbaka samtycket").click()
    page.wait_for_url(f"**{reverse('family:consents', args=[cast.child.pk])}")
    _log_out(page)

    log_in(page, cast.bup_clinician)
    page.goto(child_page)
    assert not _school_enrolment_shown(page)


def test_the_duty_question_sends_the_user_to_inform_instead(page, cast):
    log_in(page, cast.named_person)
    page.goto(reverse("sharing:consent_new", args=[cast.child.pk]))
    page.get_by_label("Ja, uppgifterna lämnas ändå").check()
    page.get_by_role("button", name="Skicka begäran").click()
    page.wait_for_url(f"**{reverse('sharing:consent_notice', args=[cast.child.pk])}")
    assert "inte be om samtycke" in page.content()
    _assert_accessible(page)
    assert not Consent.objects.exists()


def test_the_pages_that_change_a_consent_are_accessible(page, cast):
    given = ask(cast)
    for user in (cast.guardian_user, cast.co_guardian_user):
        services.consent_answer(consent=given, decision="given", via=family_via(user))
    waiting = ask(cast, categories=("health",))
    party = waiting.parties.get(guardian=cast.guardian)
    log_in(page, cast.named_person)
    for url in (
        reverse("sharing:consent_record_answer", args=[cast.child.pk, waiting.pk, party.pk]),
        reverse("sharing:consent_cancel", args=[cast.child.pk, waiting.pk]),
        reverse("sharing:consent_limit", args=[cast.child.pk, given.pk]),
        reverse("sharing:consent_extend", args=[cast.child.pk, given.pk]),
        reverse("sharing:consent_withdraw", args=[cast.child.pk, given.pk]),
    ):
        check_page(page, url, language="sv")

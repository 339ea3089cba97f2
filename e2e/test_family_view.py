"""The family view in a real browser: a guardian signs in, finds the child's named person and the log extract."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from audit import log as audit
from e2e.helpers import axe_violations, describe, log_in
from sharing import policy
from sharing.models import EmergencyAccess


def _staff_read(cast) -> None:
    with audit.deferred():
        policy.child_for_user(
            cast.named_person,
            cast.child.pk,
            actor=policy.actor_for(cast.named_person, session_key="e2e"),
            surface="page",
            target="people:child",
        )


def test_a_guardian_sees_the_child_the_named_person_and_the_log(page, cast):
    _staff_read(cast)
    now = timezone.now()
    EmergencyAccess.objects.create(
        child=cast.child,
        user=cast.bup_clinician,
        owner_authority=cast.education,
        reason="Akut risk för barnets hälsa",
        started_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=23),
    )
    log_in(page, cast.guardian_user)

    page.wait_for_url("**/familj/")
    assert page.locator("h1").inner_text() == "Mina barn"
    assert not axe_violations(page), describe(axe_violations(page))

    page.get_by_role("link", name="Alva Andersson").click()
    page.wait_for_url(f"**/familj/barn/{cast.child.pk}/")
    assert "Hanna Rektorsson" in page.content() and "Östra skolan" in page.content()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.locator("main").get_by_role("link", name="Logg", exact=True).click()
    page.wait_for_url(f"**/familj/barn/{cast.child.pk}/logg/")
    assert cast.named_person.get_full_name() in page.content() and "Namngiven person" in page.content()
    assert "Akut risk för barnets hälsa" in page.get_by_role("table", name="Nödåtkomster").inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_parent_without_custody_sees_what_they_can_do_and_no_child(page, cast):
    log_in(page, cast.noncustodial_user)

    page.wait_for_url("**/familj/")
    assert "Alva" not in page.content()
    assert "Du har ingen vårdnad" in page.content()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.goto("/familj/logg/")
    violations = axe_violations(page)
    assert not violations, describe(violations)

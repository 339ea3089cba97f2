"""Referrals and the one way in, in a browser on a phone and a desktop: a referral from the plan, intake triage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from catalogue.models import Referral
from catalogue.tests.setup import build, rate, request_of
from e2e.helpers import axe_violations, describe, log_in
from organisations.models import Membership, Role
from plans.models import Action
from plans.tests.setup import start
from sharing import policy
from testsupport.cast import PASSWORD

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_practitioner_makes_a_referral_from_the_plan(page, cast, viewport):
    build(cast)
    plan = start(cast)
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, cast.named_person)
    page.goto(reverse("plans:actions", args=[cast.child.pk, plan.pk]))
    page.get_by_role("link", name="Remittera till en insats i katalogen som en åtgärd i planen").click()
    page.wait_for_url("**/remisser/")
    page.get_by_label("Insats", exact=True).select_option(label="Cool Kids – Barnhälsovården")
    page.get_by_label("Skäl till remissen").fill("Alva är orolig inför skoldagen.")
    page.get_by_label("Lägg remissen som en åtgärd i barnets plan").check()
    page.get_by_role("button", name="Skicka remissen").click()
    assert page.get_by_text("Remissen är skickad och finns som en åtgärd i barnets plan.").is_visible()
    referral = Referral.objects.get()
    assert referral.plan_action == Action.objects.get(plan=plan)
    violations = axe_violations(page)
    assert not violations, describe(violations)
    # The provider's staff find it in their queue.
    page.context.clear_cookies()
    log_in(page, cast.bvc_nurse)
    page.goto(reverse("catalogue:queue"))
    assert page.get_by_text("Cool Kids").first.is_visible()
    assert page.get_by_text(cast.child.given_name).first.is_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_intake_triages_a_request_to_orange(page, cast, viewport):
    build(cast)
    request = request_of(cast)
    user = User.objects.create_user(username="mottagning", password=PASSWORD, first_name="Mia", last_name="Mottagare")
    Membership.objects.create(
        user=user, unit=request.intake_unit, role=Role.INTAKE, valid_from=policy.today() - timedelta(days=30)
    )
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, user)
    page.goto(reverse("catalogue:intake"))
    page.get_by_label("Nivå").select_option("orange")
    page.get_by_label("Skäl till bedömningen").fill("Oro och frånvaro: förenklad utredning inom 14 dagar.")
    page.get_by_role("button", name="Spara bedömningen").click()
    assert page.get_by_text("Ändringen är sparad.").is_visible()
    request.refresh_from_db()
    assert (request.status, request.colour) == ("triaged", "orange")
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_practitioner_takes_a_suggestion_into_the_plan_and_into_a_referral(page, cast, viewport):
    build(cast)
    rate(cast, healthy=2, safe=4, nurtured=5)
    plan = start(cast)
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, cast.named_person)
    page.goto(reverse("plans:actions", args=[cast.child.pk, plan.pk]))
    page.get_by_role("link", name="Visa förslag utifrån det du får se om barnet").click()
    page.get_by_role("button", name="Använd Cool Kids som åtgärd").click()
    assert page.get_by_label("Åtgärd: vad ska göras och hur?").input_value() == "Cool Kids (Barnhälsovården)"
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.goto(reverse("catalogue:referrals", args=[cast.child.pk]))
    page.get_by_role("link", name="Visa förslag utifrån det du får se om barnet").click()
    page.get_by_role("button", name="Välj Cool Kids").click()
    page.get_by_label("Skäl till remissen").fill("Alva är orolig inför skoldagen.")
    page.get_by_role("button", name="Skicka remissen").click()
    assert page.get_by_text("Remissen är skickad.").is_visible()
    assert Referral.objects.get().intervention == cast.cool_kids

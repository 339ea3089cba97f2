"""Notifications and the people picker in a real browser: a guardian follows an e-mail to answer the plan; staff
pick a lead professional with the keyboard only."""

from __future__ import annotations

import io
import re

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from e2e.helpers import axe_violations, describe, log_in, totp_code
from plans.models import PlanAgreement
from plans.tests.setup import add_action, send, start
from testsupport.cast import PASSWORD


def test_a_guardian_follows_the_e_mail_signs_in_and_answers_the_plan(page, cast):
    cast.guardian_user.email = "petra@example.invalid"
    cast.guardian_user.save(update_fields=["email"])
    plan = start(cast)
    add_action(cast, plan)
    send(cast, plan)  # the service's hook queues a message to each guardian with the work
    call_command("run_due_tasks", "--only", "notifications_send", stdout=io.StringIO())  # and the task sends them

    [message] = [m for m in mail.outbox if m.to == ["petra@example.invalid"]]
    assert "Alva" not in message.body and "Andersson" not in message.body
    link = re.search(r"http://localhost:8000(/familj/\S+)", message.body).group(1)

    TOTPDevice.objects.get_or_create(user=cast.guardian_user, confirmed=True, defaults={"name": "e2e"})
    page.goto(link)
    page.wait_for_url("**/konto/logga-in/**")
    page.locator("input[name=username]").fill(cast.guardian_user.get_username())
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{reverse('accounts:login_code')}**")
    page.locator("input[name=code]").fill(totp_code(cast.guardian_user))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{link}")
    assert not axe_violations(page), describe(axe_violations(page))

    page.get_by_role("link", name="Svara på planen").click()
    page.wait_for_url("**/svara/")
    page.get_by_label("Ja, jag instämmer i planen").check()
    page.get_by_role("button", name="Skicka svaret").click()
    page.wait_for_url(lambda url: "/svara/" not in url)
    assert PlanAgreement.objects.filter(guardian=cast.guardian, answer="agrees").exists()

    preferences = re.search(r"http://localhost:8000(/aviseringar/)", message.body).group(1)
    page.goto(preferences)
    page.get_by_role("group", name="En plan väntar på ditt svar").get_by_label("SMS").check()
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Dina val är sparade.")).to_be_visible()


def test_a_lead_professional_is_picked_with_the_keyboard_only(page, cast):
    plan = start(cast)
    log_in(page, cast.named_person)
    page.goto(reverse("plans:edit", kwargs={"child_id": plan.child_id, "plan_id": plan.pk}))
    combobox = page.get_by_role("combobox", name="Ansvarig samordnare")
    combobox.focus()
    combobox.press("Control+a")
    page.keyboard.type("Lars")
    option = page.get_by_role("option", name=re.compile("Lars Lärare"))
    expect(option).to_be_visible()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    assert not axe_violations(page), describe(axe_violations(page))
    page.keyboard.press("ArrowDown")
    expect(combobox).to_have_attribute("aria-activedescendant", f"id_lead_professional-option-{cast.teacher.pk}")
    page.keyboard.press("Enter")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(combobox).to_have_value("Lars Lärare")
    page.keyboard.press("Enter")  # the list is closed: Enter submits the form
    page.wait_for_url(lambda url: "/andra/" not in url)
    plan.refresh_from_db()
    assert plan.lead_professional == cast.teacher

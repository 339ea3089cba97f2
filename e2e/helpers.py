"""Helpers for the browser tests: signing in through the real login page, axe-core checks."""

from __future__ import annotations

import re
import time

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from testsupport.cast import PASSWORD

# The WCAG 2.1 A and AA rules; the product promises these (the public-sector accessibility law).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def totp_code(user) -> str:
    """Return a TOTP code the login will accept now for the user's confirmed device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="e2e", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        # Codes are single-use; the device accepts one step ahead, so a second sign-in in the same step still works.
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def log_in(page, user, *, password: str = PASSWORD) -> None:
    """Sign in through the real two-step login page: username and password, then the TOTP code."""
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "e2e"})
    page.goto(reverse("accounts:login"))
    page.locator("input[name=username]").fill(user.get_username())
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{reverse('accounts:login_code')}")
    page.locator("input[name=code]").fill(totp_code(user))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/konto/logga-in/" not in url)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page and return the WCAG 2.1 A/AA violations."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    """Format axe violations so a failing test says what to fix and where."""
    lines = []
    for violation in violations:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)


def switch_language(page, code: str) -> None:
    """Change the interface language with the page's own language switch."""
    switch = page.locator("form[action*='/i18n/setlang/']").first
    chooser = switch.locator("select[name=language]")
    if chooser.count():
        chooser.select_option(code)
        with page.expect_navigation():
            switch.locator("button[type=submit], input[type=submit]").first.click()
    else:
        with page.expect_navigation():
            switch.locator(f"button[name=language][value={code}]").click()
    page.wait_for_load_state()


def check_page(page, url: str, *, language: str) -> None:
    """Open the page; assert language, one <h1>, styles loaded, no console errors and no axe violations."""
    stylesheets, errors = [], []

    def on_response(response) -> None:
        if response.request.resource_type == "stylesheet":
            stylesheets.append(response)

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(message.text)  # a refused script or style (CSP) or a failing script shows up here

    page.on("response", on_response)
    page.on("console", on_console)
    try:
        response = page.goto(url)
        page.wait_for_load_state("load")
    finally:
        page.remove_listener("response", on_response)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1, f"{url} has {page.locator('h1').count()} <h1> elements"
    assert stylesheets, f"{url} loads no stylesheet"
    # 304: the browser revalidated its cached copy (files installed moments ago count as stale) and it is current.
    failed = [(sheet.url, sheet.status) for sheet in stylesheets if not (sheet.ok or sheet.status == 304)]
    assert not failed, failed
    violations = axe_violations(page)
    page.remove_listener("console", on_console)
    assert not errors, f"{url} ({language}) logged errors: {errors}"
    assert not violations, f"{url} ({language}):\n{describe(violations)}"


def pick_person(page, label: str, name: str) -> None:
    """Choose a member of staff in a people picker as a user would: type part of the name, take the option."""
    combobox = page.get_by_role("combobox", name=label)
    combobox.fill(name.split()[0])
    page.get_by_role("option", name=re.compile(re.escape(name))).click()

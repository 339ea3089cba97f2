"""The full two-step sign-in with a TOTP code, in Chromium."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from e2e.helpers import log_in, totp_code
from testsupport.cast import PASSWORD


def test_it_signs_in_with_password_and_totp_code(page, cast):
    log_in(page, cast.teacher)

    assert page.url.endswith(reverse("core:home"))
    page.goto(reverse("accounts:account"))
    assert page.url.endswith(reverse("accounts:account"))
    assert cast.teacher.username in page.content()


def test_it_refuses_a_wrong_code_and_stays_on_the_code_step(page, cast):
    TOTPDevice.objects.create(user=cast.teacher, name="e2e", confirmed=True)
    page.goto(reverse("accounts:login"))
    page.locator("input[name=username]").fill(cast.teacher.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{reverse('accounts:login_code')}")
    wrong = f"{(int(totp_code(cast.teacher)) + 1) % 1_000_000:06d}"

    page.locator("input[name=code]").fill(wrong)
    page.locator("main button[type=submit]").click()

    assert page.url.endswith(reverse("accounts:login_code"))
    assert "Koden stämmer inte" in page.content()
    page.goto(reverse("accounts:account"))
    assert "/konto/logga-in/" in page.url

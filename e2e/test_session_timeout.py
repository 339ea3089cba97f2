"""The idle-timeout warning in Chromium: it warns, moves focus, keeps the session alive, and signs out at expiry."""

from __future__ import annotations

from django.urls import reverse

from e2e.helpers import log_in


def test_it_warns_moves_focus_and_keeps_the_session_alive(page, cast, settings):
    log_in(page, cast.teacher)
    settings.SESSION_COOKIE_AGE = 125  # the warning comes 120 s before expiry, so after about 5 s
    page.goto(reverse("accounts:account"))
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for(state="visible", timeout=15_000)
    button = page.get_by_role("button", name="Fortsätt vara inloggad")
    assert button.evaluate("element => element === document.activeElement")

    with page.expect_response(reverse("accounts:keepalive")) as response:
        button.click()
    assert response.value.status == 200
    assert dialog.is_hidden()


def test_it_sends_the_user_to_the_login_page_at_expiry(page, cast, settings):
    log_in(page, cast.teacher)
    settings.SESSION_COOKIE_AGE = 3
    page.goto(reverse("accounts:account"))
    page.wait_for_url("**/konto/logga-in/?utloggad=inaktiv*", timeout=15_000)
    assert "Du har loggats ut" in page.content()

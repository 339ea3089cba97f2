"""Fresh re-authentication: password and a new code, each code usable once, failures counted by axes."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.reauth import ReauthForm, mark_reauthenticated, reauthenticated_at, recently_reauthenticated
from accounts.tests.helpers import code_for
from testsupport.cast import PASSWORD


@pytest.fixture
def device(cast):
    return TOTPDevice.objects.create(user=cast.bup_clinician, name="test", confirmed=True)


def _request():
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")
    request.session = {}
    return request


def test_it_accepts_the_password_and_a_current_code(cast, device):
    form = ReauthForm(cast.bup_clinician, {"password": PASSWORD, "code": code_for(device)})
    assert form.is_valid(), form.errors


def test_it_refuses_a_wrong_password_without_using_up_the_code(cast, device):
    code = code_for(device)
    form = ReauthForm(cast.bup_clinician, {"password": "fel-lösenord", "code": code})
    assert not form.is_valid()
    assert "Lösenordet stämmer inte" in form.errors["password"][0]
    device.refresh_from_db()
    assert device.last_t == -1  # the code was never tried, so it still works
    assert ReauthForm(cast.bup_clinician, {"password": PASSWORD, "code": code}).is_valid()


def test_it_refuses_a_wrong_code(cast, device):
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    form = ReauthForm(cast.bup_clinician, {"password": PASSWORD, "code": wrong})
    assert not form.is_valid()
    assert "Koden stämmer inte" in form.errors["code"][0]


def test_it_refuses_a_code_used_once_already(cast, device):
    code = code_for(device)
    assert ReauthForm(cast.bup_clinician, {"password": PASSWORD, "code": code}).is_valid()
    again = ReauthForm(cast.bup_clinician, {"password": PASSWORD, "code": code})
    assert not again.is_valid()
    assert "redan använts" in again.errors["code"][0]


def test_it_asks_for_six_digits_in_swedish(cast, device):
    form = ReauthForm(cast.bup_clinician, {"password": PASSWORD, "code": "12ab"})
    assert not form.is_valid()
    assert form.errors["code"] == ["Koden ska vara sex siffror. Skriv den som den står i appen."]


def test_it_refuses_a_user_without_a_confirmed_device(cast):
    form = ReauthForm(cast.bup_clinician, {"password": PASSWORD, "code": "123456"})
    assert not form.is_valid()
    assert "ingen bekräftad app" in form.non_field_errors()[0]


def test_failures_count_towards_the_sign_in_lockout(cast, device, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        ReauthForm(cast.bup_clinician, {"password": "fel", "code": "123456"}, request=_request()).is_valid()
    assert AccessAttempt.objects.filter(username="bup_clinician").exists()
    locked = ReauthForm(cast.bup_clinician, {"password": PASSWORD, "code": code_for(device)}, request=_request())
    assert not locked.is_valid()
    assert "För många misslyckade försök" in locked.non_field_errors()[0]


def test_the_session_mark_is_fresh_for_five_minutes_only():
    request = _request()
    assert not recently_reauthenticated(request)
    assert reauthenticated_at(request) is None
    mark_reauthenticated(request)
    assert recently_reauthenticated(request)
    assert reauthenticated_at(request) is not None
    request.session["samplan_reauth_at"] -= 301
    assert not recently_reauthenticated(request)
    assert recently_reauthenticated(request, max_age_seconds=600)

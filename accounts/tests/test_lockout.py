from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client

from accounts.services import totp_device_create
from accounts.tests.helpers import ENROL, code_for, post_code, post_password

OFFICE = "10.0.0.1"
HOME = "10.0.0.2"


@pytest.fixture
def locked(cast, settings):
    """Lock the teacher out from the office address with wrong passwords."""
    client = Client()
    responses = [
        post_password(client, "teacher", "fel-lösenord", ip=OFFICE) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    return responses[-1]


def test_it_locks_out_after_the_failure_limit_with_a_swedish_page(locked):
    body = locked.content.decode()
    assert locked.status_code == 429
    assert "För många misslyckade försök" in body
    assert "Försök igen om 15 minuter" in body
    assert "no-store" in locked["Cache-Control"]


def test_it_keeps_the_user_locked_out_from_that_address_even_with_the_right_password(locked):
    response = post_password(Client(), "teacher", ip=OFFICE)
    assert response.status_code == 429


def test_it_lets_the_same_user_sign_in_from_another_address(locked):
    response = post_password(Client(), "teacher", ip=HOME)
    assert response.status_code == 302
    assert response["Location"] == ENROL


def test_it_lets_another_user_sign_in_from_the_same_address(locked):
    response = post_password(Client(), "named_person", ip=OFFICE)
    assert response.status_code == 302


def test_it_lets_the_user_in_again_after_the_cool_off(cast, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = post_password(client, "teacher", "fel-lösenord", ip=OFFICE)
    assert response.status_code == 429
    assert "Försök igen om 1 minut." in response.content.decode()

    # Let the minute pass by moving the recorded attempts back in time.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=61))

    response = post_password(Client(), "teacher", ip=OFFICE)
    assert response.status_code == 302
    assert response["Location"] == ENROL


def test_it_counts_wrong_codes_towards_the_lockout(cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = totp_device_create(user=cast.teacher)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_password(client, "teacher", "fel-lösenord", ip=OFFICE)
    assert post_password(client, "teacher", ip=OFFICE).status_code == 302

    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = post_code(client, wrong, ip=OFFICE)

    assert response.status_code == 429
    assert "För många misslyckade försök" in response.content.decode()
    # The half-finished sign-in is gone: even the right code now starts over.
    response = post_code(client, code_for(device), ip=OFFICE)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_resets_the_failures_after_a_complete_sign_in(cast, settings):
    device = totp_device_create(user=cast.teacher)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_password(client, "teacher", "fel-lösenord", ip=OFFICE)
    post_password(client, "teacher", ip=OFFICE, next_url="/konto/")
    assert post_code(client, code_for(device), ip=OFFICE).status_code == 302
    assert client.session["_auth_user_id"] == str(cast.teacher.pk)
    assert not AccessAttempt.objects.filter(username="teacher").exists()

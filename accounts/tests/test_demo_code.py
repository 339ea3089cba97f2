from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import totp_device_create

DEMO_KEY = "3132333435363738393031323334353637383930"


def _run(username: str) -> str:
    out = StringIO()
    call_command("demo_code", username, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_code_the_login_accepts(cast, settings):
    settings.SAMPLAN_DEMO = True
    device = totp_device_create(user=cast.teacher, key_hex=DEMO_KEY)
    assert device.key == DEMO_KEY and device.confirmed
    code = _run("teacher")
    assert len(code) == 6
    assert TOTPDevice.objects.get(pk=device.pk).verify_token(code)


def test_it_prints_the_next_code_once_the_current_one_is_used(cast, settings):
    settings.SAMPLAN_DEMO = True
    device = totp_device_create(user=cast.teacher)
    assert device.verify_token(_run("teacher"))
    assert TOTPDevice.objects.get(pk=device.pk).verify_token(_run("teacher"))


def test_it_refuses_outside_demo_mode(cast, settings):
    settings.SAMPLAN_DEMO = False
    totp_device_create(user=cast.teacher)
    with pytest.raises(CommandError, match="bara i demoläge"):
        _run("teacher")


def test_it_names_a_missing_user_or_device(cast, settings):
    settings.SAMPLAN_DEMO = True
    with pytest.raises(CommandError, match="ingen användare"):
        _run("nobody")
    with pytest.raises(CommandError, match="ingen aktiverad"):
        _run("teacher")

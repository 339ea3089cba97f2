"""Helpers for the accounts tests: codes from a device, and the two sign-in steps."""

from __future__ import annotations

import time

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from testsupport.cast import PASSWORD

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
ENROL = reverse("accounts:login_enrol")


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """Return the code an authenticator app would show now (or some steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def post_password(client, username: str, password: str = PASSWORD, *, ip: str = "127.0.0.1", next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def post_code(client, code: str, *, url: str = CODE, ip: str = "127.0.0.1"):
    return client.post(url, {"code": code}, REMOTE_ADDR=ip)

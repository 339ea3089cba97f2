"""Print the current TOTP code of a demo user, so the demo can be signed in to without a phone."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Skriv ut den aktuella engångskoden för en demoanvändare (bara i demoläge)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Demoanvändarens användarnamn, t.ex. rektor.")

    def handle(self, *args, username: str, **options):
        # A code printed on the server's console would defeat the second factor of a real user.
        if not settings.SAMPLAN_DEMO:
            raise CommandError("demo_code fungerar bara i demoläge (SAMPLAN_DEMO=1); det här är inte en demo.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Det finns ingen användare med användarnamnet {username!r}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"{username} har ingen aktiverad tvåstegsenhet; logga in för att aktivera en.")
        self.stdout.write(self._usable_code(device))

    def _usable_code(self, device: TOTPDevice) -> str:
        """Return the code the login will accept now: the current one, or the next if the current is used."""
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if totp.t() <= device.last_t:
            # Codes are single-use; the device accepts one step ahead (its tolerance), so offer that one.
            totp.time += device.step * (device.last_t + 1 - totp.t())
        return f"{totp.token():0{device.digits}d}"

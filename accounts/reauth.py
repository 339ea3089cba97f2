"""Fresh re-authentication: password and a new TOTP code, asked again before a sensitive action.

A signed-in session alone is not enough for actions such as emergency access: the user proves
again, in the same request, that they hold both the password and the phone. Each code works
once (django-otp remembers the last time step used). When the form is given the request, wrong
answers count towards the same django-axes lockout as the sign-in, and a locked-out user is
refused even with the right answers.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

REAUTH_AT_KEY = "samplan_reauth_at"
# How long a re-authentication counts as fresh: long enough to finish one form, too short to reuse later.
REAUTH_MAX_AGE_SECONDS = 5 * 60


class ReauthForm(forms.Form):
    """Ask for the password and a new code from the user's confirmed authenticator."""

    password = forms.CharField(
        label=_("Ditt lösenord"),
        strip=False,
        error_messages={"required": _("Skriv ditt lösenord för att bekräfta att det är du.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "ds-input"}),
    )
    code = forms.RegexField(
        label=_("Engångskod"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("Sex siffror från appen i din telefon. Varje kod kan bara användas en gång."),
        error_messages={
            "required": _("Skriv koden från appen i din telefon."),
            "invalid": _("Koden ska vara sex siffror. Skriv den som den står i appen."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8, "class": "ds-input"}
        ),
    )

    error_messages = {
        "password": _("Lösenordet stämmer inte. Skriv det lösenord du loggar in med och försök igen."),
        "code": _("Koden stämmer inte eller har redan använts. Vänta tills appen visar en ny kod och skriv den."),
        "no_device": _(
            "Ditt konto har ingen bekräftad app för engångskoder. Logga ut och in igen för att koppla appen."
        ),
        "locked": _("För många misslyckade försök. Vänta en stund och försök igen, eller kontakta din administratör."),
    }

    def __init__(self, user, data=None, *, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(data, **kwargs)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

    def clean(self):
        cleaned = super().clean()
        password, code = cleaned.get("password"), cleaned.get("code")
        # Verified last, and only when the rest of the form is valid: a typo elsewhere never uses up a code.
        if not (password and code) or self.errors:
            return cleaned
        if self._locked():
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        # The password is checked first so a wrong password never uses up a valid code.
        if not self.user.check_password(password):
            self._failed()
            self.add_error("password", forms.ValidationError(self.error_messages["password"], code="password"))
            return cleaned
        device = TOTPDevice.objects.filter(user=self.user, confirmed=True).order_by("pk").first()
        if device is None:
            raise forms.ValidationError(self.error_messages["no_device"], code="no_device")
        # verify_token locks the device row and records the time step, so a code works once.
        if verify_token(self.user, device.persistent_id, code) is None:
            self._failed()
            self.add_error("code", forms.ValidationError(self.error_messages["code"], code="code"))
        return cleaned

    def _credentials(self) -> dict[str, str]:
        return {"username": self.user.get_username()}

    def _locked(self) -> bool:
        return self.request is not None and AxesProxyHandler.is_locked(self.request, self._credentials())

    def _failed(self) -> None:
        """Count the failure with django-axes like a failed sign-in (needs the request for the address)."""
        if self.request is not None:
            user_login_failed.send(sender=__name__, credentials=self._credentials(), request=self.request)


def mark_reauthenticated(request) -> None:
    """Remember in the session that the user just re-authenticated."""
    request.session[REAUTH_AT_KEY] = time.time()


def recently_reauthenticated(request, max_age_seconds: int = REAUTH_MAX_AGE_SECONDS) -> bool:
    """Return whether the user re-authenticated in this session within the last max_age_seconds."""
    at = request.session.get(REAUTH_AT_KEY)
    return at is not None and 0 <= time.time() - at <= max_age_seconds


def reauthenticated_at(request) -> datetime | None:
    """Return when the user last re-authenticated in this session, or None."""
    at = request.session.get(REAUTH_AT_KEY)
    return datetime.fromtimestamp(at, tz=UTC) if at is not None else None

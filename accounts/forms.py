"""Forms for signing in, the second factor and API tokens."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from accounts.services import TOKEN_MAX_DAYS


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "class": "ds-input"}),
    )
    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "ds-input"}),
    )

    error_messages = {
        "invalid": _(
            "Fel användarnamn eller lösenord. Kontrollera stavningen och att Caps Lock är av, och försök igen."
        ),
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            # Passing the request lets django-axes count this attempt against the user and address.
            self.user = authenticate(self.request, username=username, password=password)
            if self.user is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return cleaned


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Engångskod"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("Sex siffror från appen i din telefon."),
        error_messages={
            "required": _("Skriv koden från appen i din telefon."),
            "invalid": _("Koden ska vara sex siffror. Skriv den som den står i appen."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8, "class": "ds-input"}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
        help_text=_("Vad nyckeln ska användas till, t.ex. ”Rapportskript”."),
        error_messages={"required": _("Ge nyckeln ett namn så att du känner igen den.")},
    )
    days = forms.IntegerField(
        label=_("Giltig i antal dagar"),
        min_value=1,
        max_value=TOKEN_MAX_DAYS,
        initial=90,
        widget=forms.NumberInput(attrs={"class": "ds-input"}),
        error_messages={
            "required": _("Ange hur många dagar nyckeln ska gälla."),
            "invalid": _("Ange antal dagar som en siffra."),
            "min_value": _("Nyckeln måste gälla minst 1 dag."),
            "max_value": _("Nyckeln kan gälla högst %(limit_value)s dagar."),
        },
    )

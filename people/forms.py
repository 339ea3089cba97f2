"""The look-up form: a personal number and the reason for looking the child up."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import personnummer


class NumberInput(forms.TextInput):
    """A text input that never writes the submitted number back into the page."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Personnummer, samordningsnummer eller reservnummer"),
        max_length=20,
        help_text=_("ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN. Numret visas inte igen och sparas inte i loggen."),
        error_messages={"required": _("Skriv barnets personnummer, samordningsnummer eller reservnummer.")},
        widget=NumberInput(attrs={"class": "ds-input", "autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=300,
        help_text=_("Varför behöver du hitta barnet? Skälet sparas i loggen tillsammans med ditt namn."),
        error_messages={
            "required": _("Skriv varför du söker barnet. Skälet sparas i loggen."),
            "max_length": _("Skriv skälet kortare, högst 300 tecken."),
        },
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "off"}),
    )

    def clean_number(self) -> str:
        value = self.cleaned_data["number"]
        try:
            return personnummer.parse(value).normalised
        except ValidationError as exc:
            # The message says what is wrong; it never repeats the number itself.
            raise ValidationError(exc.messages[0], code=exc.code) from None

"""The preferences form: one choice of channel per kind of notification the user can receive."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Channel, label


class PreferencesForm(forms.Form):
    def __init__(self, *args, kinds: list[str], current: dict[str, str], to_self: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind] = forms.ChoiceField(
                label=label(kind, to_self=to_self),
                choices=Channel.choices,
                initial=current.get(kind, Channel.EMAIL),
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Välj hur du vill få aviseringen."),
                    "invalid_choice": _("Välj e-post, SMS eller inga aviseringar."),
                },
            )

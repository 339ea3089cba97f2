"""Forms of the report of concern and of social services' feedback to the reporter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sharing.services import reports as services

YES, NO = "ja", "nej"


class ReportForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label=_("Mottagande enhet inom socialtjänsten"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vilken enhet inom socialtjänsten som ska få anmälan."),
            "invalid_choice": services.NOT_RECEIVING,
        },
    )
    what_happened = forms.CharField(
        label=_("Vad har du sett eller hört?"),
        help_text=_(
            "Skriv det du själv har sett eller hört, när och var. Skriv inte vad du tror eller har dragit "
            "för slutsatser."
        ),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "ds-input"}),
        error_messages={"required": services.NEEDS_WHAT},
    )
    child_words = forms.CharField(
        label=_("Vad har barnet själv sagt?"),
        help_text=_("Återge barnets egna ord så exakt du kan. Lämna tomt om barnet inte har sagt något."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}),
    )
    immediate_danger = forms.BooleanField(
        label=_("Barnet är i akut fara"),
        help_text=_("Ring 112 först om barnet är i akut fara. Gör sedan anmälan."),
        required=False,
    )
    guardians_informed = forms.ChoiceField(
        label=_("Har vårdnadshavarna fått veta att du gör en anmälan?"),
        choices=[(YES, _("Ja")), (NO, _("Nej"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Svara på om vårdnadshavarna har fått veta om anmälan.")},
    )
    not_informed_reason = forms.CharField(
        label=_("Om nej: varför har de inte fått veta?"),
        help_text=_("Till exempel att det kan skada barnet eller att det gäller misstanke om brott i hemmet."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )

    def __init__(self, data=None, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["to_unit"].queryset = units
        first = units.first()
        if first is not None:
            self.fields["to_unit"].initial = first.pk

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("guardians_informed") == NO and not cleaned.get("not_informed_reason", "").strip():
            self.add_error("not_informed_reason", services.NEEDS_REASON)
        return cleaned


class FeedbackForm(forms.Form):
    feedback = forms.ChoiceField(
        label=_("Återkoppling till anmälaren"),
        choices=services.FEEDBACK_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": services.NEEDS_FEEDBACK, "invalid_choice": services.NEEDS_FEEDBACK},
    )

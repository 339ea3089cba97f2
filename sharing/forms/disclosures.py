"""Forms of disclosure decisions: the decision (disclose or refuse) and its revocation."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Authority
from sharing.models import DisclosureDecision, LegalBasis
from sharing.services import disclosures as services


def _text(label, help_text) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
        error_messages={"required": services.NEEDS_TEXT},
    )


class DisclosureForm(forms.Form):
    owner_authority = forms.ModelChoiceField(
        label=_("Myndighet som äger uppgifterna"),
        queryset=Authority.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "ds-input"}),
        error_messages={"required": services.NOT_A_DECIDER, "invalid_choice": services.NOT_A_DECIDER},
    )
    outcome = forms.ChoiceField(
        label=_("Beslut"),
        choices=DisclosureDecision.Outcome.choices,
        widget=forms.RadioSelect,
        help_text=_("Ett beslut att inte lämna ut registreras på samma sätt, med skälen för att inte dela."),
        error_messages={"required": services.NEEDS_OUTCOME, "invalid_choice": services.NEEDS_OUTCOME},
    )
    legal_basis = forms.ChoiceField(
        label=_("Rättslig grund"),
        choices=[("", _("Välj rättslig grund")), *LegalBasis.choices],
        required=False,
        help_text=_(
            "Krävs för att lämna ut. Samtycke är den vanliga grunden – använd ett beslut bara när lagen tillåter."
        ),
        widget=forms.Select(attrs={"class": "ds-input"}),
        error_messages={"invalid_choice": services.NEEDS_BASIS},
    )
    categories = forms.MultipleChoiceField(
        label=_("Kategorier av uppgifter"),
        choices=services.DECIDABLE_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": services.NEEDS_CATEGORIES, "invalid_choice": services.NEEDS_CATEGORIES},
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("Mottagande myndigheter"),
        queryset=Authority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": services.NEEDS_RECIPIENTS, "invalid_choice": services.NEEDS_RECIPIENTS},
    )
    valid_until = forms.DateField(
        label=_("Gäller till och med"),
        help_text=_("Ett beslut gäller alltid en begränsad tid, förvalt 30 dagar."),
        widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}),
        error_messages={"required": services.NEEDS_END, "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )
    purpose = _text(_("Syfte"), _("Vad mottagaren behöver uppgifterna till."))
    necessary = _text(_("Varför är det nödvändigt?"), _("Eller, vid avslag: varför det inte är nödvändigt."))
    relevant = _text(_("Varför är uppgifterna relevanta?"), _("Hur uppgifterna hänger ihop med syftet."))
    proportionate = _text(
        _("Varför är det proportionerligt?"),
        _("Varför det inte finns ett mindre ingripande sätt, till exempel samtycke."),
    )

    def __init__(self, data=None, *, authorities, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["owner_authority"].queryset = authorities
        self.fields["recipients"].queryset = Authority.objects.order_by("name")
        self.fields["valid_until"].initial = timezone.localdate() + timedelta(days=services.DEFAULT_DAYS)
        first = authorities.first()
        if first is not None:
            self.fields["owner_authority"].initial = first.pk

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == DisclosureDecision.Outcome.DISCLOSE and not cleaned.get("legal_basis"):
            self.add_error("legal_basis", services.NEEDS_BASIS)
        owner, recipients = cleaned.get("owner_authority"), cleaned.get("recipients")
        if owner is not None and recipients and owner in recipients:
            self.add_error("recipients", services.OWN_RECIPIENT)
        until = cleaned.get("valid_until")
        if until is not None and until <= timezone.localdate():
            self.add_error("valid_until", services.NEEDS_END)
        return cleaned

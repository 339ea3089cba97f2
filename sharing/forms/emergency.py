"""Forms for emergency access: starting one (with fresh re-authentication) and reviewing one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.reauth import ReauthForm
from organisations.models import Authority
from sharing.models import EmergencyAccess


class EmergencyStartForm(ReauthForm):
    """Choose another health-care provider whose records are needed and why; confirm with password and a new code."""

    owner_authority = forms.ModelChoiceField(
        label=_("Vårdgivare vars journaluppgifter du behöver"),
        queryset=Authority.objects.none(),
        empty_label=_("Välj vårdgivare"),
        error_messages={
            "required": _("Välj den vårdgivare vars journaluppgifter du behöver."),
            "invalid_choice": _(
                "Välj en av vårdgivarna i listan. Nödåtkomst öppnar bara en annan vårdgivares journal."
            ),
        },
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=2000,
        help_text=_("Varför behövs uppgifterna nu, och varför kan det inte vänta på samtycke eller ett beslut?"),
        error_messages={
            "required": _("Skriv varför uppgifterna behövs nu och inte kan vänta på samtycke eller ett beslut."),
            "max_length": _("Skriv skälet kortare, högst %(limit_value)d tecken."),
        },
        widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}),
    )

    field_order = ["owner_authority", "reason", "password", "code"]

    def __init__(self, user, data=None, *, authorities, request=None, **kwargs):
        super().__init__(user, data, request=request, **kwargs)
        self.fields["owner_authority"].queryset = authorities


class EmergencyReviewForm(forms.Form):
    """A manager's judgement of an emergency access, with a short motivation."""

    outcome = forms.ChoiceField(
        label=_("Bedömning"),
        choices=[
            (EmergencyAccess.Review.JUSTIFIED, EmergencyAccess.Review.JUSTIFIED.label),
            (EmergencyAccess.Review.UNJUSTIFIED, EmergencyAccess.Review.UNJUSTIFIED.label),
        ],
        error_messages={
            "required": _("Välj om nödåtkomsten var befogad eller inte."),
            "invalid_choice": _("Välj befogad eller inte befogad."),
        },
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Motivering"),
        max_length=2000,
        help_text=_("Till exempel vad som gjorde det akut, eller vad som borde ha gjorts i stället."),
        error_messages={
            "required": _("Skriv en kort motivering till bedömningen."),
            "max_length": _("Skriv motiveringen kortare, högst %(limit_value)d tecken."),
        },
        widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}),
    )

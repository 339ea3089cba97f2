"""Forms of blocks (spärr): placing one, and lifting it after a fresh re-authentication."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.reauth import ReauthForm
from organisations.models import Authority
from sharing.models import Block
from sharing.services import blocks as services
from sharing.services.disclosures import DECIDABLE_CATEGORIES, NOT_A_DECIDER


class BlockForm(forms.Form):
    owner_authority = forms.ModelChoiceField(
        label=_("Myndighet som äger uppgifterna"),
        queryset=Authority.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "ds-input"}),
        error_messages={"required": NOT_A_DECIDER, "invalid_choice": NOT_A_DECIDER},
    )
    category = forms.ChoiceField(
        label=_("Kategori som spärras"),
        choices=DECIDABLE_CATEGORIES,
        widget=forms.RadioSelect,
        error_messages={"required": services.NEEDS_CATEGORY, "invalid_choice": services.NEEDS_CATEGORY},
    )
    ground = forms.ChoiceField(
        label=_("Grund"),
        choices=Block.Ground.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.NEEDS_GROUND, "invalid_choice": services.NEEDS_GROUND},
    )
    reason = forms.CharField(
        label=_("Motivering"),
        help_text=_("Varför uppgifterna inte ska delas. Spärren gäller även om det finns samtycke eller nödåtkomst."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}),
        error_messages={"required": services.NEEDS_REASON},
    )

    def __init__(self, data=None, *, authorities, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["owner_authority"].queryset = authorities
        first = authorities.first()
        if first is not None:
            self.fields["owner_authority"].initial = first.pk


class BlockLiftForm(ReauthForm):
    """Re-authenticate and say why the block is lifted."""

    lift_reason = forms.CharField(
        label=_("Varför hävs spärren?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
        error_messages={"required": services.NEEDS_LIFT_REASON},
    )

"""The filter form of the dashboards: period, area, age band and gender."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.scope import AGE_BANDS, GENDERS, Period


class FilterForm(forms.Form):
    start = forms.DateField(label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.ChoiceField(label=_("Område"), required=False)
    age_band = forms.ChoiceField(
        label=_("Ålder"), required=False, choices=[("", _("Alla åldrar")), *((k, v[2]) for k, v in AGE_BANDS.items())]
    )
    gender = forms.ChoiceField(label=_("Kön"), required=False, choices=[("", _("Alla")), *GENDERS.items()])

    def __init__(self, *args, areas: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if areas is None:
            del self.fields["area"]
        else:
            self.fields["area"].choices = [("", _("Hela kommunen")), *((a, a) for a in areas)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("Startdatumet måste vara före slutdatumet. Ändra datumen och försök igen."))
        return cleaned

    def period(self, today: date) -> Period:
        default = Period.last_year(today)
        data = self.cleaned_data if self.is_valid() else {}
        return Period(data.get("start") or default.start, data.get("end") or default.end)

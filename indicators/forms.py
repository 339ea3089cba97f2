from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators import calculator
from indicators.models import Gender, Indicator

CHOOSE_PLACE = _("Välj en enhet eller kommunen som helhet.")


class ValueForm(forms.Form):
    """One figure for an indicator, as its reporting actor enters it."""

    place = forms.ChoiceField(label=_("Rapporteras för"), help_text=CHOOSE_PLACE)
    period = forms.CharField(
        label=_("Period"), max_length=7, help_text=_("År som 2024, termin som 2024-HT, månad som 2024-03.")
    )
    gender = forms.ChoiceField(label=_("Kön"), choices=Gender.choices, initial=Gender.TOTAL)
    age_band = forms.CharField(
        label=_("Åldersgrupp"), max_length=10, required=False, help_text=_("Till exempel 0-5. Tom för alla åldrar.")
    )
    value = forms.DecimalField(label=_("Värde"), max_digits=16, decimal_places=2)
    note = forms.CharField(
        label=_("Kommentar"),
        max_length=300,
        required=False,
        help_text=_("Skriv varför om du ändrar ett tidigare värde."),
    )

    def __init__(self, *args, indicator: Indicator, places: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places
        if not indicator.by_gender:
            self.fields["gender"].choices = [(Gender.TOTAL, Gender.TOTAL.label)]
        if not indicator.by_age:
            del self.fields["age_band"]


class ImportForm(forms.Form):
    KINDS = [("table", _("Indikatorvärden (CSV eller XLSX)")), ("kolada", _("Nyckeltal från Kolada (JSON)"))]

    kind = forms.ChoiceField(label=_("Vad innehåller filen?"), choices=KINDS, widget=forms.RadioSelect, initial="table")
    file = forms.FileField(label=_("Fil"), help_text=_("Högst 5 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 5 MB. Dela upp den."))
        return upload


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("År som rapporteras"), min_value=2000, max_value=2100)
    due_on = forms.DateField(label=_("Sista dag att rapportera"), widget=forms.DateInput(attrs={"type": "date"}))
    municipality = forms.ChoiceField(label=_("Kommun"))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(str(m.pk), m.name) for m in municipalities]


class CalculatorForm(forms.Form):
    """Inputs of the price of exclusion; defaults are the Ystad 2019 example (seed 003)."""

    cohort = forms.IntegerField(
        label=_("Årskullens storlek (antal barn)"), min_value=0, max_value=10_000_000, initial=314
    )
    rate_percent = forms.DecimalField(
        label=_("Andel i utanförskap (procent)"), min_value=0, max_value=100, decimal_places=2, initial=Decimal(13)
    )
    years = forms.IntegerField(
        label=_("År i utanförskap"),
        min_value=1,
        max_value=80,
        initial=40,
        help_text=_("Ystad: 40 år, från 25 till 65 års ålder."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, kind in calculator.PAYERS:
            self.fields[f"cost_{key}"] = forms.DecimalField(
                label=_("%(payer)s: kostnad per person i utanförskap (kr)") % {"payer": label},
                help_text=kind,
                min_value=0,
                max_value=10_000_000_000,
                decimal_places=2,
                initial=calculator.YSTAD_COSTS[key],
            )

    def payer_fields(self):
        return [self[f"cost_{key}"] for key in calculator.PAYER_KEYS]

    def inputs(self) -> dict:
        data = self.cleaned_data
        return {
            "cohort": data["cohort"],
            "rate_percent": data["rate_percent"],
            "years": data["years"],
            "costs": {key: data[f"cost_{key}"] for key in calculator.PAYER_KEYS},
        }

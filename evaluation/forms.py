"""The filter form of the dashboards: period, area, age band and gender."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import Pilot
from evaluation.scope import AGE_BANDS, GENDERS, Period
from organisations.models import Municipality, Unit


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


class PilotForm(forms.ModelForm):
    """Define or change a pilot: where (an area or units), when, the baseline and the control group."""

    class Meta:
        model = Pilot
        fields = [
            "name",
            "area",
            "units",
            "start",
            "months",
            "baseline_start",
            "baseline_end",
            "control_area",
            "control_units",
        ]
        labels = {
            "name": _("Namn på piloten"),
            "area": _("Pilotområde"),
            "units": _("eller pilotenheter"),
            "start": _("Piloten startar"),
            "months": _("Planerad längd i månader"),
            "baseline_start": _("Baslinjen från och med"),
            "baseline_end": _("Baslinjen till och med"),
            "control_area": _("Kontrollområde"),
            "control_units": _("eller kontrollenheter"),
        }
        help_texts = {
            "units": _("Välj ett område eller en eller flera enheter, inte båda."),
            "baseline_start": _("Lämna baslinjen tom för att jämföra med lika många månader före starten."),
            "control_area": _("Lämna kontrollgruppen tom för att jämföra med kommunens övriga områden och enheter."),
        }
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "baseline_start": forms.DateInput(attrs={"type": "date"}),
            "baseline_end": forms.DateInput(attrs={"type": "date"}),
            # Lists, as every unit chooser of the follow-up: the municipality's units, not where a child is.
            "units": forms.SelectMultiple(attrs={"class": "ds-input", "size": 8}),
            "control_units": forms.SelectMultiple(attrs={"class": "ds-input", "size": 8}),
        }

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        units = Unit.objects.filter(authority__municipality=municipality).order_by("name")
        areas = sorted(set(units.exclude(area="").values_list("area", flat=True)))
        self.fields["area"] = forms.ChoiceField(
            label=_("Pilotområde"),
            required=False,
            choices=[("", _("Inget område, välj enheter")), *((a, a) for a in areas)],
        )
        self.fields["control_area"] = forms.ChoiceField(
            label=_("Kontrollområde"),
            required=False,
            choices=[("", _("Inget kontrollområde")), *((a, a) for a in areas)],
            help_text=self.Meta.help_texts["control_area"],
        )
        for name in ("units", "control_units"):
            self.fields[name].queryset = units
            self.fields[name].label_from_instance = lambda unit: (
                f"{unit.name} ({unit.area})" if unit.area else unit.name
            )
        self.fields["months"].min_value = 1

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Pilot.objects.filter(municipality=self.municipality, name=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Kommunen har redan en pilot med det namnet. Välj ett annat namn."))
        return name

    def clean(self):
        cleaned = super().clean()
        area, units = cleaned.get("area", ""), list(cleaned.get("units") or [])
        control_area, control_units = cleaned.get("control_area", ""), list(cleaned.get("control_units") or [])
        if not area and not units:
            self.add_error("units", _("Välj ett pilotområde eller minst en enhet."))
        if area and units:
            self.add_error("units", _("Välj antingen ett pilotområde eller enheter, inte båda."))
        if control_area and control_units:
            self.add_error("control_units", _("Välj antingen ett kontrollområde eller enheter, inte båda."))
        pilot_units = {unit.pk for unit in units}
        if area:
            pilot_units |= set(
                Unit.objects.filter(authority__municipality=self.municipality, area=area).values_list("pk", flat=True)
            )
        control = {unit.pk for unit in control_units}
        if control_area:
            control |= set(
                Unit.objects.filter(authority__municipality=self.municipality, area=control_area).values_list(
                    "pk", flat=True
                )
            )
        if (area and control_area == area) or pilot_units & control:
            self.add_error(
                "control_area" if control_area else "control_units",
                _("Kontrollgruppen får inte innehålla pilotens område eller enheter. Välj andra."),
            )
        self._clean_dates(cleaned)
        return cleaned

    def _clean_dates(self, cleaned: dict) -> None:
        start, months = cleaned.get("start"), cleaned.get("months")
        if months is not None and months < 1:
            self.add_error("months", _("Piloten måste vara minst en månad."))
        baseline_start, baseline_end = cleaned.get("baseline_start"), cleaned.get("baseline_end")
        if bool(baseline_start) != bool(baseline_end):
            self.add_error("baseline_end", _("Fyll i både början och slutet av baslinjen, eller lämna båda tomma."))
        elif baseline_start and baseline_end:
            if baseline_start > baseline_end:
                self.add_error("baseline_end", _("Baslinjen måste börja innan den slutar."))
            elif start and baseline_end >= start:
                self.add_error("start", _("Piloten måste starta efter att baslinjen har slutat."))


class EndPilotForm(forms.Form):
    ended_on = forms.DateField(label=_("Sista dag för piloten"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, pilot: Pilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.pilot = pilot

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on < self.pilot.start:
            raise forms.ValidationError(_("Piloten kan inte sluta innan den har startat. Välj ett senare datum."))
        return ended_on

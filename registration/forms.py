"""Forms of registration by hand; numbers are checked by core.personnummer and never written back into the page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import personnummer
from people.forms import NumberInput
from people.models import Enrolment, Guardianship, Protection

_TEXT = {"class": "ds-input", "autocomplete": "off"}
_DATE = {"class": "ds-input", "type": "date"}
_SELECT = {"class": "ds-input"}
_CHECK = {"class": "ds-checkbox"}


def _clean_number(value: str) -> str:
    try:
        return personnummer.parse(value).normalised
    except ValidationError as exc:
        # The message says what is wrong; it never repeats the number itself.
        raise ValidationError(exc.messages[0], code=exc.code) from None


class ChildForm(forms.Form):
    number = forms.CharField(
        label=_("Personnummer, samordningsnummer eller reservnummer"),
        max_length=20,
        help_text=_("ÅÅÅÅMMDD-NNNN. Ett samordningsnummer har dagen plus 60. Ett reservnummer börjar med R."),
        error_messages={"required": _("Skriv barnets personnummer, samordningsnummer eller reservnummer.")},
        widget=NumberInput(attrs={**_TEXT, "spellcheck": "false"}),
    )
    given_name = forms.CharField(
        label=_("Förnamn"),
        max_length=100,
        error_messages={"required": _("Skriv barnets förnamn.")},
        widget=forms.TextInput(attrs=_TEXT),
    )
    family_name = forms.CharField(
        label=_("Efternamn"),
        max_length=100,
        error_messages={"required": _("Skriv barnets efternamn.")},
        widget=forms.TextInput(attrs=_TEXT),
    )
    birth_date = forms.DateField(
        label=_("Födelsedatum"),
        required=False,
        help_text=_("Bara för reservnummer. Annars läses datumet ur numret."),
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )
    protection = forms.ChoiceField(
        label=_("Skyddade personuppgifter"),
        choices=Protection.choices,
        initial=Protection.NONE,
        help_text=_("Enligt beslut från Skatteverket. Adress och enhet visas då inte för andra."),
        widget=forms.Select(attrs=_SELECT),
    )
    not_duplicate = forms.BooleanField(
        label=_("Jag har kontrollerat barnen ovan. Det är inte samma barn."),
        required=False,
        widget=forms.CheckboxInput(attrs=_CHECK),
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        """`municipalities`: where the registrar registers; with more than one, the form asks which."""
        super().__init__(*args, **kwargs)
        if municipalities is not None and len(municipalities) > 1:
            field = forms.ModelChoiceField(
                label=_("Kommun"),
                queryset=municipalities,
                empty_label=_("Välj kommun"),
                help_text=_("Du registrerar barn i flera kommuner. Välj kommunen där barnet är folkbokfört."),
                error_messages={"required": _("Välj kommunen barnet registreras i.")},
                widget=forms.Select(attrs=_SELECT),
            )
            field.label_from_instance = lambda municipality: municipality.name
            self.fields = {"municipality": field, **self.fields}  # asked first

    def clean_number(self) -> str:
        return _clean_number(self.cleaned_data["number"])

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("number")
        if number:
            born = personnummer.parse(number).birth_date
            if born is None and cleaned.get("birth_date") is None and "birth_date" not in self.errors:
                self.add_error("birth_date", _("Ange födelsedatum. Ett reservnummer innehåller inget datum."))
            elif born is not None and cleaned.get("birth_date") not in (None, born):
                self.add_error("birth_date", _("Födelsedatumet stämmer inte med numret. Lämna fältet tomt."))
        return cleaned

    def birth_date_value(self):
        """Return the birth date from the number, or the one given for a reserve number."""
        born = personnummer.parse(self.cleaned_data["number"]).birth_date
        return born or self.cleaned_data["birth_date"]


class GuardianForm(forms.Form):
    number = forms.CharField(
        label=_("Vårdnadshavarens personnummer eller samordningsnummer"),
        max_length=20,
        help_text=_("ÅÅÅÅMMDD-NNNN. Finns personen redan används den registrerade personen."),
        error_messages={"required": _("Skriv vårdnadshavarens personnummer, samordningsnummer eller reservnummer.")},
        widget=NumberInput(attrs={**_TEXT, "spellcheck": "false"}),
    )
    given_name = forms.CharField(
        label=_("Förnamn"),
        max_length=100,
        error_messages={"required": _("Skriv vårdnadshavarens förnamn.")},
        widget=forms.TextInput(attrs=_TEXT),
    )
    family_name = forms.CharField(
        label=_("Efternamn"),
        max_length=100,
        error_messages={"required": _("Skriv vårdnadshavarens efternamn.")},
        widget=forms.TextInput(attrs=_TEXT),
    )
    relation = forms.ChoiceField(
        label=_("Relation till barnet"), choices=Guardianship.Relation.choices, widget=forms.Select(attrs=_SELECT)
    )
    has_custody = forms.BooleanField(
        label=_("Har vårdnaden om barnet"), required=False, initial=True, widget=forms.CheckboxInput(attrs=_CHECK)
    )
    valid_from = forms.DateField(
        label=_("Från"),
        error_messages={
            "required": _("Skriv från vilket datum relationen gäller."),
            "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD."),
        },
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )
    valid_to = forms.DateField(
        label=_("Till"),
        required=False,
        help_text=_("Lämna tomt. Vårdnaden upphör av sig själv den dag barnet fyller 18 år."),
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )

    def clean_number(self) -> str:
        return _clean_number(self.cleaned_data["number"])


class EnrolmentForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=None,
        empty_label=_("Välj enhet"),
        error_messages={"required": _("Välj enheten där barnet skrivs in eller placeras.")},
        widget=forms.Select(attrs=_SELECT),
    )
    kind = forms.ChoiceField(label=_("Typ"), choices=Enrolment.Kind.choices, widget=forms.Select(attrs=_SELECT))
    start = forms.DateField(
        label=_("Från"),
        error_messages={"required": _("Skriv första dagen."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Till"),
        required=False,
        help_text=_("Lämna tomt om inskrivningen gäller tills vidare."),
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.name} ({unit.authority.name})"


class EndForm(forms.Form):
    end = forms.DateField(
        label=_("Sista dag"),
        error_messages={"required": _("Skriv sista dagen."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )


class MergeForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför är det samma barn?"),
        max_length=300,
        help_text=_("Till exempel: samma namn och födelsedatum, reservnumret ersatt av samordningsnummer."),
        error_messages={"required": _("Skriv varför det är samma barn. Skälet sparas.")},
        widget=forms.TextInput(attrs=_TEXT),
    )
    confirm = forms.BooleanField(
        label=_("Jag förstår att dubbletten tas bort och att dess uppgifter flyttas till barnet som behålls."),
        error_messages={"required": _("Bekräfta sammanslagningen genom att kryssa i rutan.")},
        widget=forms.CheckboxInput(attrs=_CHECK),
    )

"""Forms of the catalogue pages: the table's filters, an intervention, a waiting time, an import file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.guide import WORRIES
from catalogue.models import OLDEST, PREGNANCY, Intervention, Level, Referral, SupportRequest
from catalogue.selectors import Filters
from organisations.models import Unit
from teams.models import Team
from wellbeing.indicators import Indicator

INPUT = {"class": "ds-input"}
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def age_label(age: int) -> str:
    return str(_("Graviditet")) if age == PREGNANCY else str(age)


AGE_CHOICES = [("", _("Alla åldrar"))] + [(str(age), age_label(age)) for age in range(PREGNANCY, OLDEST + 1)]
SORT_CHOICES = [
    ("namn", _("Namn")),
    ("utforare", _("Utförare")),
    ("niva", _("Nivå")),
    ("alder", _("Ålder")),
    ("vantetid", _("Väntetid")),
]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Fritext"), max_length=100, required=False, widget=forms.TextInput(attrs=INPUT))
    utforare = forms.TypedChoiceField(label=_("Utförare"), required=False, coerce=int, empty_value=None)
    niva = forms.ChoiceField(label=_("Nivå"), required=False, choices=[("", _("Alla nivåer")), *Level.choices])
    alder = forms.TypedChoiceField(label=_("Ålder"), required=False, choices=AGE_CHOICES, coerce=int, empty_value=None)
    behov = forms.ChoiceField(label=_("Behov"), required=False, choices=[("", _("Alla behov")), *Indicator.choices])
    synlighet = forms.ChoiceField(
        label=_("Synlighet"),
        required=False,
        choices=[("", _("Alla")), ("publik", _("Visas för allmänheten")), ("intern", _("Bara för personal"))],
    )
    sortering = forms.ChoiceField(label=_("Sortera på"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, providers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["utforare"].choices = [("", _("Alla utförare"))] + [(str(p.pk), p.name) for p in providers]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    def filters(self) -> Filters:
        """Return the filters of a valid form; an invalid one filters nothing."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        public = {"publik": True, "intern": False}.get(data["synlighet"])
        return Filters(
            text=data["q"].strip(),
            provider=data["utforare"],
            level=data["niva"],
            age=data["alder"],
            need=data["behov"],
            public=public,
            sort=data["sortering"] or "namn",
        )


class InterventionForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("Behov som insatsen möter"),
        choices=Indicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.TypedChoiceField(label=_("Från ålder"), choices=AGE_CHOICES[1:], coerce=int)
    max_age = forms.TypedChoiceField(label=_("Till ålder"), choices=AGE_CHOICES[1:], coerce=int)

    class Meta:
        model = Intervention
        fields = [
            "provider",
            "name",
            "description",
            "description_en",
            "target_group",
            "min_age",
            "max_age",
            "keywords",
            "level",
            "colour",
            "route",
            "needs_consent",
            "needs_decision",
            "capacity",
            "evidence",
            "contact",
            "opening_hours",
            "public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, providers, colour_labels: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["provider"].empty_label = None
        self.fields["colour"].choices = [("", _("Ingen färgnivå")), *list(colour_labels.items())]
        self.fields["keywords"].help_text = _("Ord som familjer och personal söker på, åtskilda med kommatecken.")
        if self.instance.pk:
            self.initial["needs"] = list(self.instance.needs.values_list("indicator", flat=True))
        for name, field in self.fields.items():
            if name not in {"needs", "needs_consent", "needs_decision", "public"}:
                field.widget.attrs.setdefault("class", "ds-input")

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("Till-åldern kan inte vara lägre än från-åldern."))
        return data


class WaitingTimeForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Väntetid i veckor"),
        min_value=0,
        max_value=104,
        required=False,
        help_text=_("Hur många veckor det tar i dag från anmälan till start. Lämna tomt om ni inte vet."),
        error_messages={
            "invalid": _("Skriv väntetiden som ett helt antal veckor, till exempel 3."),
            "min_value": _("Väntetiden kan inte vara negativ."),
            "max_value": _("Skriv en väntetid på högst 104 veckor."),
        },
        widget=forms.NumberInput(attrs=INPUT),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller Excel)"),
        help_text=_("Samma kolumner som i exporten. Filen läses in helt eller inte alls."),
        error_messages={"required": _("Välj en fil att läsa in.")},
        widget=forms.ClearableFileInput(attrs={"class": "ds-input", "accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 5 MB). Dela upp den i flera filer."))
        return upload


class GuideForm(forms.Form):
    alder = forms.TypedChoiceField(
        label=_("Barnets ålder"), required=False, choices=AGE_CHOICES, coerce=int, empty_value=None
    )
    oro = forms.ChoiceField(
        label=_("Vad gäller det?"),
        required=False,
        choices=[("", _("Allt"))] + [(worry.code, worry.label) for worry in WORRIES],
    )


class ReferralForm(forms.Form):
    """Refer a child to an intervention of the child's municipality, optionally as an action of its plan."""

    intervention = forms.ModelChoiceField(
        label=_("Insats"), queryset=Intervention.objects.none(), widget=forms.Select(attrs={"class": "ds-input"})
    )
    reason = forms.CharField(
        label=_("Skäl till remissen"), max_length=4000, widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3})
    )
    in_plan = forms.BooleanField(label=_("Lägg remissen som en åtgärd i barnets plan"), required=False)

    def __init__(self, *args, interventions, plan_offered: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
        self.fields["intervention"].label_from_instance = lambda row: f"{row.name} – {row.provider.name}"
        if not plan_offered:
            del self.fields["in_plan"]


class ReferralStatusForm(forms.Form):
    """Move a referral on: the new status and, for a decline or withdrawal, why."""

    status = forms.ChoiceField(label=_("Ny status"), widget=forms.Select(attrs={"class": "ds-input"}))
    status_note = forms.CharField(
        label=_("Kommentar"), max_length=2000, required=False, widget=forms.TextInput(attrs={"class": "ds-input"})
    )

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Referral.Status.choices)
        self.fields["status"].choices = [(move, labels[move]) for move in moves]


class RequestForm(forms.Form):
    """Ask the intake function for support for a child: which intake unit, and what the worry is."""

    intake_unit = forms.ModelChoiceField(
        label=_("Mottagning"), queryset=Unit.objects.none(), widget=forms.Select(attrs={"class": "ds-input"})
    )
    concern = forms.CharField(
        label=_("Vad gäller det?"), max_length=4000, widget=forms.Textarea(attrs={"class": "ds-input", "rows": 4})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intake_unit"].queryset = units
        self.fields["intake_unit"].label_from_instance = lambda unit: unit.name


class TriageForm(forms.Form):
    """The intake's level for a request, with the reason."""

    colour = forms.ChoiceField(label=_("Nivå"), widget=forms.Select(attrs={"class": "ds-input"}))
    triage_reason = forms.CharField(
        label=_("Skäl till bedömningen"), max_length=4000, widget=forms.Textarea(attrs={"class": "ds-input", "rows": 2})
    )

    def __init__(self, *args, colours, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colour"].choices = colours


class RouteForm(forms.Form):
    """Where a triaged request goes: a provider's intervention (a referral), a team, or the child's plan."""

    route = forms.ChoiceField(
        label=_("Vidare till"), choices=SupportRequest.Route.choices, widget=forms.Select(attrs={"class": "ds-input"})
    )
    intervention = forms.ModelChoiceField(
        label=_("Insats"), queryset=Intervention.objects.none(), required=False, widget=forms.Select(attrs=INPUT)
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, widget=forms.Select(attrs=INPUT)
    )

    def __init__(self, *args, interventions, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
        self.fields["intervention"].label_from_instance = lambda row: f"{row.name} – {row.provider.name}"
        self.fields["team"].queryset = teams


class FirstSupportForm(forms.Form):
    first_support_on = forms.DateField(
        label=_("Första stödet började"), widget=forms.DateInput(attrs=INPUT | {"type": "date"})
    )

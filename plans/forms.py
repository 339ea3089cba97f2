"""Forms of the child's plan: start, edit (with the version it is based on), parts, agreement, review, close.

The lead-professional rule is checked here too, so the form names the problem before the service
refuses it; the service stays the one that decides.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Authority
from plans import services
from plans.models import Action, Kind, Participant, PlanAgreement, RiskLevel, StatutoryPlanLink
from sharing.display import MASKED, Display
from wellbeing.indicators import Indicator

TEXTAREA = forms.Textarea(attrs={"rows": 4, "class": "ds-input"})
INPUT = {"class": "ds-input"}
REQUIRED = _("Fyll i det här fältet.")


def _text(label, *, required: bool = False, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "class": "ds-input"}),
        error_messages={"required": REQUIRED},
    )


def _date(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=_("Skriv datumet som ÅÅÅÅ-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}),
        error_messages={"required": _("Ange ett datum."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )


class LeadChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit) -> str:
        return f"{unit.name} ({unit.authority.name})"


LEAD_OUTSIDE = _(
    "Välj en ansvarig samordnare som arbetar i en myndighet som deltar i planen. Lägg först till den andra "
    "myndigheten som deltagare om samordnaren ska komma därifrån."
)


class StartForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Vilken sorts plan?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("Behöver barnet stöd från fler än din verksamhet blir det en plan med flera verksamheter."),
        error_messages={"required": _("Välj en sorts plan.")},
    )
    reasons = _text(_("Skäl till planen"), required=True, help_text=_("Skriv med vanliga ord: familjen läser planen."))
    unit = UnitChoice(
        label=_("Vilken enhet ska planen höra till?"),
        queryset=None,
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_("Enhetens myndighet äger planen och ansvarar för den. Du arbetar på flera enheter: välj en."),
    )
    lead_professional = LeadChoice(
        label=_("Ansvarig samordnare"),
        queryset=None,
        required=False,
        help_text=_(
            "Krävs när planen omfattar två eller fler myndigheter. Välj någon i planens myndighet eller i den "
            "namngivna personens."
        ),
        error_messages={"invalid_choice": LEAD_OUTSIDE},
    )

    def __init__(self, *args, units, leads, named=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.named = named
        self.fields["unit"].queryset = units
        self.fields["lead_professional"].queryset = leads
        if len(self.units) == 1:
            # One unit: it owns the plan, and there is nothing to choose.
            self.fields["unit"].initial = self.units[0].pk
            self.fields["unit"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if unit is None and len(self.units) == 1:
            unit = data["unit"] = self.units[0]
        if unit is None and len(self.units) > 1 and "unit" not in self.errors:
            self.add_error("unit", _("Välj vilken enhet planen ska höra till."))
        lead = data.get("lead_professional")
        if unit is not None and lead is not None:
            problem = services.lead_problem(lead.pk, services.start_authorities(unit.authority, self.named))
            if problem:
                self.add_error("lead_professional", problem)
        return data


class PlanForm(forms.Form):
    """The plan's own fields; every field carries its value when the page was opened, for merging."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Typ av plan"), choices=Kind.choices, show_hidden_initial=True)
    lead_professional = LeadChoice(
        label=_("Ansvarig samordnare"),
        queryset=None,
        required=False,
        show_hidden_initial=True,
        help_text=_("Någon som arbetar i en myndighet som deltar i planen."),
        error_messages={"invalid_choice": LEAD_OUTSIDE},
    )
    reasons = _text(_("Skäl till planen"), required=True)
    risk_level = forms.ChoiceField(label=_("Nuvarande risknivå"), choices=RiskLevel.choices, show_hidden_initial=True)
    harmful_behaviour = _text(_("Risk för skadligt beteende mot eller av barnet"))
    risk_triggers = _text(_("Vad utlöser risken"))
    risk_effect = _text(_("Hur risken påverkar barnet och andra"))
    contingency = _text(_("Beredskapsplan: vad görs om planen inte fungerar?"))
    review_arrangements = _text(_("Hur planen följs upp"))
    review_interval_weeks = forms.IntegerField(
        label=_("Uppföljning var (veckor)"),
        min_value=1,
        max_value=52,
        show_hidden_initial=True,
        widget=forms.NumberInput(attrs=INPUT),
        error_messages={"required": REQUIRED, "min_value": _("Välj 1–52 veckor."), "max_value": _("Välj 1–52 veckor.")},
    )
    next_review_on = _date(_("Nästa uppföljning"), required=False)

    def __init__(self, *args, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_professional"].queryset = leads
        for name in ("reasons", "harmful_behaviour", "risk_triggers", "risk_effect", "contingency"):
            self.fields[name].show_hidden_initial = True
        self.fields["review_arrangements"].show_hidden_initial = True
        self.fields["next_review_on"].show_hidden_initial = True


PLAN_FIELDS = [name for name in PlanForm.base_fields if name != "version"]


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(label=_("Roll i planen"), choices=Participant.Role.choices)
    user = LeadChoice(
        label=_("Person med konto i Samplan"),
        queryset=None,
        required=False,
        help_text=_("Välj en yrkesperson, eller skriv namnet nedan."),
    )
    name = forms.CharField(label=_("Namn"), required=False, max_length=200, widget=forms.TextInput(attrs=INPUT))
    authority = forms.ModelChoiceField(
        label=_("Myndighet"),
        queryset=Authority.objects.order_by("name"),
        required=False,
        help_text=_("Lämna tomt för barnet, vårdnadshavare och andra utanför myndigheterna."),
    )
    title = forms.CharField(label=_("Befattning eller relation"), required=False, max_length=200)
    view = _text(_("Synpunkter på planen, med egna ord"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people


class ViewForm(forms.Form):
    view = _text(_("Synpunkter på planen, med egna ord"), required=True)


class NeedForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indikator"))
    summary = _text(_("Vad barnet behöver"), required=True)

    def __init__(self, *args, indicators: list[tuple[str, str]], **kwargs):
        """`indicators`: codes and labels in the child's municipality's wording (`wellbeing.labels`)."""
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicators


class ActionForm(forms.Form):
    description = _text(_("Åtgärd: vad ska göras och hur?"), required=True)
    owner_authority = forms.ModelChoiceField(
        label=_("Ansvarig myndighet"),
        queryset=Authority.objects.order_by("name"),
        error_messages={"required": _("Välj vilken myndighet som ansvarar.")},
    )
    owner_person = LeadChoice(label=_("Ansvarig person"), queryset=None, required=False)
    resources = _text(_("Resurser"), rows=2)
    start = _date(_("Start"))
    end = _date(_("Slut"))
    expected_outcome = _text(_("Förväntat resultat för barnet"), required=True)
    indicators = forms.MultipleChoiceField(
        label=_("Indikatorer som åtgärden gäller"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, indicators: list[tuple[str, str]], **kwargs):
        """`indicators`: codes and labels in the child's municipality's wording (`wellbeing.labels`)."""
        super().__init__(*args, **kwargs)
        self.fields["owner_person"].queryset = people
        self.fields["indicators"].choices = indicators


class ActionEditForm(ActionForm):
    """An action's fields, its version and its state; every field carries its value when the page was opened."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Läge"), choices=Action.State.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ACTION_FIELDS:
            self.fields[name].show_hidden_initial = True

    def indicators_initial(self) -> str:
        """Return the indicators' hidden initial values (the checkbox list renders its choices one by one)."""
        return self["indicators"].as_hidden(only_initial=True)


ACTION_FIELDS = [name for name in ActionEditForm.base_fields if name != "version"]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Läge"), choices=Action.State.choices)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av plan"), choices=StatutoryPlanLink.Kind.choices)
    reference = forms.CharField(
        label=_("Referens"),
        max_length=300,
        help_text=_("Till exempel diarienummer eller var planen finns. Skriv inte av innehållet."),
        widget=forms.TextInput(attrs=INPUT),
    )
    held_by = forms.CharField(label=_("Vem ansvarar för den"), max_length=200, widget=forms.TextInput(attrs=INPUT))


class AgreementForm(forms.Form):
    """One answer per participant: does she or he agree to the plan as it stands?"""

    def __init__(self, *args, participants, display: Display, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        choices = [("", _("Inte tillfrågad")), *PlanAgreement.Answer.choices]
        for row in self.participants:
            name = display.participant(row) or MASKED  # a protected child's staff are named only with a need
            self.fields[f"answer_{row.pk}"] = forms.ChoiceField(
                label=f"{name} ({row.get_role_display()})", choices=choices, required=False
            )
            self.fields[f"note_{row.pk}"] = forms.CharField(
                label=_("Vad %(name)s sa") % {"name": name}, required=False, max_length=2000
            )

    def answers(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            row.pk: (data[f"answer_{row.pk}"], data[f"note_{row.pk}"])
            for row in self.participants
            if data.get(f"answer_{row.pk}")
        }


class FamilyAgreementForm(forms.Form):
    """A guardian's own answer to the plan, in the family view, with their view in their own words."""

    answer = forms.ChoiceField(
        label=_("Ditt svar"),
        choices=[
            (PlanAgreement.Answer.AGREES, _("Ja, jag instämmer i planen")),
            (PlanAgreement.Answer.DISAGREES, _("Nej, jag instämmer inte i planen")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj om du instämmer i planen eller inte.")},
    )
    note = forms.CharField(
        label=_("Vad tycker du om planen? Skriv med dina egna ord (frivilligt)."),
        help_text=_("Det du skriver sparas med ditt svar och läses av dem som arbetar med planen."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}),
    )


class ReviewForm(forms.Form):
    held_on = _date(_("Datum för uppföljningen"))
    improved = _text(_("Vad har blivit bättre i barnets liv?"), required=True)
    worsened = _text(_("Har något blivit sämre?"))
    aims_met = _text(_("Har planens syfte uppnåtts?"), required=True)
    must_change = _text(_("Om inte: behöver något i planen ändras?"))
    can_continue = _text(_("Kan insatserna fortsätta i nuvarande situation?"))

    def __init__(self, *args, indicators: list[tuple[str, str]], **kwargs):
        """`indicators`: codes and labels in the child's municipality's wording (`wellbeing.labels`)."""
        super().__init__(*args, **kwargs)
        score_choices = [("", _("Inte bedömd")), *[(str(n), str(n)) for n in range(1, 6)]]
        for code, label in indicators:
            self.fields[f"score_{code}"] = forms.ChoiceField(
                label=_("%(indicator)s, poäng 1–5") % {"indicator": label}, choices=score_choices, required=False
            )

    def ratings(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {code: (int(data[f"score_{code}"]), "") for code in Indicator.values if data.get(f"score_{code}")}


class CloseForm(forms.Form):
    reason = _text(_("Varför avslutas planen?"), required=True)
    confirm = forms.BooleanField(
        label=_("Jag förstår att planen avslutas och att barnets namngivna person åter har ansvaret."),
        error_messages={"required": _("Bekräfta att planen ska avslutas.")},
    )


class DeclineForm(forms.Form):
    note = _text(_("Vad familjen sa (om de vill att det skrivs ned)"))
    confirm = forms.BooleanField(
        label=_("Familjen har tackat nej till planen."),
        error_messages={"required": _("Bekräfta att familjen har tackat nej.")},
    )

"""Forms of the programme pages; the services validate the rules, the forms only the shapes."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import (
    Application,
    BudgetEntry,
    Evaluation,
    Event,
    FollowUp,
    GrantCall,
    Profession,
    Programme,
    SubProject,
)
from programmes.services import ENDS_BEFORE_START

NO_CHILD_DATA = _(
    "Skriv inga uppgifter om enskilda barn eller familjer: inga namn och inga personnummer. "
    "Texten kontrolleras innan den sparas."
)


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "organisation",
            "contact_name",
            "contact_email",
            "title",
            "description",
            "expected_result",
            "amount_requested",
            "may_publish",
        ]
        help_texts = {
            "description": NO_CHILD_DATA,
            "may_publish": _("Om ansökan beviljas visas idén, beloppet och motiveringen på sidan Beviljade idéer."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "expected_result": forms.Textarea(attrs={"rows": 4}),
        }


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Vad filen är"), max_length=200)
    file = forms.FileField(label=_("Fil"), help_text=_("PDF, JPEG eller PNG, högst 10 MB."))


class StaffApplicationForm(ApplicationForm):
    unit = forms.ModelChoiceField(label=_("Enhet som söker"), queryset=None, empty_label=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.order_fields(["unit"])


class CallForm(forms.ModelForm):
    criteria = forms.CharField(
        label=_("Urvalskriterier"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ett kriterium per rad. Ange vikt efter semikolon, till exempel ”Tydlig målgrupp; 2”; utan vikt är den 1."
        ),
    )

    class Meta:
        model = GrantCall
        fields = [
            "title",
            "purpose",
            "target_group",
            "who_may_apply",
            "opens_at",
            "closes_at",
            "award_levels",
            "budget",
            "scale_max",
            "follow_up_due_on",
            "budget_line",
        ]
        help_texts = {
            "opens_at": _("Datum och klockslag, till exempel 2013-06-01 08:00."),
            "closes_at": _("Ansökningar tas emot till exakt denna tidpunkt."),
            "award_levels": _("Belopp i kronor, åtskilda med kommatecken, till exempel 50000,25000."),
        }
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4}), "who_may_apply": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = programme.budget_lines.select_related("sub_project")

    def clean_criteria(self) -> list[tuple[str, int]]:
        parsed = []
        for line in self.cleaned_data["criteria"].splitlines():
            title, _sep, weight = line.partition(";")
            if not title.strip():
                continue
            weight = weight.strip() or "1"
            if not weight.isdigit() or not 1 <= int(weight) <= 10:
                raise forms.ValidationError(
                    _("Vikten ska vara ett heltal från 1 till 10: rätta raden ”%(line)s”."), params={"line": line}
                )
            parsed.append((title.strip()[:200], int(weight)))
        if not parsed:
            raise forms.ValidationError(_("Ange minst ett urvalskriterium."))
        return parsed

    def clean_award_levels(self) -> str:
        value = self.cleaned_data["award_levels"].replace(" ", "")
        if not all(part.isdigit() for part in value.split(",")):
            raise forms.ValidationError(_("Ange beloppen som heltal i kronor åtskilda med kommatecken."))
        return value


class ScoreForm(forms.Form):
    """One score and comment per criterion of the call."""

    def __init__(self, *args, criteria, scale_max: int, initial_scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Välj poäng"))] + [(str(n), str(n)) for n in range(scale_max + 1)]
        self.criteria = list(criteria)
        for criterion in self.criteria:
            value, comment = initial_scores.get(criterion.pk, ("", ""))
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s (vikt %(weight)s)") % {"criterion": criterion.title, "weight": criterion.weight},
                choices=choices,
                coerce=int,
                initial=value,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Kommentar till %(criterion)s") % {"criterion": criterion.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=comment,
            )

    def pairs(self):
        return [(self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till jäv"), max_length=300)


class DecisionForm(forms.Form):
    awarded = forms.TypedChoiceField(
        label=_("Beslut"),
        choices=[("1", _("Bevilja")), ("0", _("Avslå"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    amount = forms.IntegerField(label=_("Belopp (kr)"), min_value=0, required=False)
    motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Publiceras med bidraget när den sökande har godkänt det."),
    )


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["used_as_applied", "achieved_result", "gained_knowledge", "continues", "money_used", "lessons"]
        help_texts = {"lessons": _("Beskriv arbetet så att andra verksamheter kan lära av det. ") + NO_CHILD_DATA}
        widgets = {
            name: forms.RadioSelect for name in ("used_as_applied", "achieved_result", "gained_knowledge", "continues")
        } | {"lessons": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("used_as_applied", "achieved_result", "gained_knowledge", "continues"):
            self.fields[name].required = True
            self.fields[name].choices = FollowUp.Answer.choices
        self.fields["money_used"].required = True


class RegistrationForm(forms.Form):
    profession = forms.ChoiceField(label=_("Yrkesgrupp"), choices=Profession.choices)
    unit = forms.ModelChoiceField(
        label=_("Enhet"), queryset=None, required=False, empty_label=_("Ingen av mina enheter")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class EvaluationForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Betyg, från 1 (dåligt) till 5 (mycket bra)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Skulle du rekommendera föreläsningen till en kollega?"),
        choices=[("1", _("Ja")), ("0", _("Nej"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Evaluation
        fields = ["rating", "would_recommend", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}


class BudgetEntryForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budgetpost"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=BudgetEntry.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("Beslutat är pengar som är lovade; använt är pengar som är betalda och ryms i det beslutade."),
    )
    amount = forms.IntegerField(label=_("Belopp (kr)"), min_value=1)
    description = forms.CharField(label=_("Vad pengarna är till"), max_length=300)
    sub_project = forms.ModelChoiceField(label=_("Delprojekt"), queryset=None, required=False, empty_label=_("Inget"))
    event = forms.ModelChoiceField(
        label=_("Föreläsning"),
        queryset=None,
        required=False,
        empty_label=_("Ingen"),
        help_text=_("För en föreläsnings kostnad."),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = programme.budget_lines.select_related("sub_project", "programme")
        self.fields["sub_project"].queryset = programme.sub_projects.all()
        self.fields["event"].queryset = programme.events.all()


class ProgrammeForm(forms.ModelForm):
    """A programme's owner, period, steering group and description; the municipality only when creating."""

    municipality = forms.ModelChoiceField(label=_("Kommun"), queryset=None, empty_label=None)

    class Meta:
        model = Programme
        fields = ["municipality", "name", "owner", "starts_on", "ends_on", "steering_group", "description"]
        help_texts = {
            "owner": _("Till exempel Kommunstyrelsen."),
            "starts_on": _("Datum, till exempel 2013-01-01."),
            "steering_group": _("En person per rad, med namn och titel."),
        }
        widgets = {
            "steering_group": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is None:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", ENDS_BEFORE_START)
        return data


class SubProjectForm(forms.ModelForm):
    class Meta:
        model = SubProject
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "place", "speakers", "target_professions", "description", "budget_line"]
        labels = {"budget_line": _("Budgetpost för kostnaden")}
        help_texts = {
            "speakers": _("Åtskilda med kommatecken."),
            "target_professions": _("Till exempel förskola, skola, BVC och socialtjänst."),
            "budget_line": _("Kostnaden bokas i budgeten på den här posten."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = programme.budget_lines.select_related("sub_project", "programme")
        self.fields["budget_line"].empty_label = _("Ingen")


class SessionForm(forms.Form):
    """A sitting: a day, the morning or the afternoon (or times of one's own), and the number of places."""

    HALF_DAYS = {"morning": (time(8, 30), time(12)), "afternoon": (time(13), time(16, 30))}

    date = forms.DateField(label=_("Datum"), help_text=_("Till exempel 2013-10-02."))
    part = forms.ChoiceField(
        label=_("Tid"),
        choices=[
            ("morning", _("Förmiddag (8.30–12.00)")),
            ("afternoon", _("Eftermiddag (13.00–16.30)")),
            ("own", _("Egen tid")),
        ],
        widget=forms.RadioSelect,
        initial="morning",
    )
    starts = forms.TimeField(label=_("Börjar (vid egen tid)"), required=False, help_text=_("Till exempel 09:00."))
    ends = forms.TimeField(label=_("Slutar (vid egen tid)"), required=False)
    capacity = forms.IntegerField(label=_("Antal platser"), initial=75)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["part"] == "own":
            if data.get("starts") is None or data.get("ends") is None:
                raise forms.ValidationError(_("Ange både start- och sluttid när du väljer egen tid."))
            starts, ends = data["starts"], data["ends"]
        else:
            starts, ends = self.HALF_DAYS[data["part"]]
        zone = timezone.get_current_timezone()
        data["starts_at"] = datetime.combine(data["date"], starts, tzinfo=zone)
        data["ends_at"] = datetime.combine(data["date"], ends, tzinfo=zone)
        return data

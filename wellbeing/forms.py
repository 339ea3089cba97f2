"""Forms of the practice-model pages. Validation that is a business rule lives in services; these parse input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wellbeing.instrument_data import RESPONDENTS
from wellbeing.labels import IndicatorText, score_word
from wellbeing.models import ChronologyEntry, FiveQuestions
from wellbeing.triangle import AXIS_CHOICES, ENVIRONMENT_AXIS, RESILIENCE_AXIS, Area

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "ds-input"}, format="%Y-%m-%d")
TEXT = {"class": "ds-input"}
BAD_DATE = _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2025-03-14.")


def _date(label, *, required=True, help_text="", required_message=BAD_DATE) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DATE_WIDGET,
        error_messages={"required": required_message, "invalid": BAD_DATE},
    )


def _text(label, *, required=True, help_text="", rows=4, max_length=5000, required_message="") -> forms.CharField:
    messages = {"required": required_message} if required_message else {}
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, **TEXT}),
        error_messages=messages,
    )


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Vad vill du skriva in?"),
        choices=ChronologyEntry.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj om det är en oro, en styrka eller en betydelsefull händelse.")},
    )
    start_date = _date(
        _("Datum"),
        help_text=_("Dagen det hände, eller första dagen om det pågick en tid."),
        required_message=_("Skriv vilket datum det hände."),
    )
    end_date = _date(_("Till och med (om det pågick en tid)"), required=False)
    what_happened = _text(
        _("Vad hände?"),
        help_text=_(
            "Skriv sakligt och med vanliga ord vad som hände, inte vad du tror. "
            "Familjen kan komma att läsa det du skriver."
        ),
        rows=6,
        required_message=_("Beskriv vad som hände, sakligt och med vanliga ord."),
    )
    source = forms.CharField(
        label=_("Källa"),
        help_text=_("Vem såg eller berättade? Till exempel ”klasslärare”, ”BVC” eller ”barnet självt”."),
        max_length=300,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("Skriv vem som såg eller berättade.")},
    )
    indicators = forms.MultipleChoiceField(
        label=_("Vilka delar av barnets välbefinnande berörs?"),
        help_text=_("Välj en eller flera, eller ingen om det inte passar."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj bland de åtta indikatorerna.")},
    )
    impact = forms.ChoiceField(
        label=_("Hur påverkar det barnet?"),
        choices=ChronologyEntry.Impact.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj om det påverkar barnet positivt, negativt eller inte märkbart.")},
    )
    action_taken = _text(_("Vad gjordes?"), required=False, help_text=_("Lämna tomt om inget gjordes."), rows=3)

    def __init__(self, data=None, *, indicators: list[tuple[str, str]], **kwargs):
        """`indicators`: the codes and labels in the child's municipality's wording (`wellbeing.labels`)."""
        super().__init__(data, **kwargs)
        self.fields["indicators"].choices = indicators


class FiveQuestionsForm(forms.Form):
    in_the_way = _text(_("1. Vad står i vägen för barnets välbefinnande?"), required_message=_("Besvara fråga 1."))
    information = _text(
        _("2. Har jag all information jag behöver för att hjälpa barnet?"),
        help_text=_("Om inte: vad saknas och vem kan ha det?"),
        required_message=_("Besvara fråga 2."),
    )
    i_can_do = _text(_("3. Vad kan jag göra nu för att hjälpa barnet?"), required_message=_("Besvara fråga 3."))
    agency_can_do = _text(
        _("4. Vad kan min verksamhet göra nu för att hjälpa barnet?"), required_message=_("Besvara fråga 4.")
    )
    others_needed = _text(
        _("5. Vilken ytterligare hjälp, om någon, kan behövas från andra verksamheter?"),
        required=False,
        help_text=_("Lämna tomt om ingen annan hjälp behövs."),
    )
    suspects_harm = forms.ChoiceField(
        label=_("Finns det anledning att misstänka att barnet far illa?"),
        choices=FiveQuestions.SuspectsHarm.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Svara på om det finns anledning att misstänka att barnet far illa."),
            "invalid_choice": _("Svara ja, nej eller osäker."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Hur går du vidare?"),
        choices=FiveQuestions.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj om oron hanteras inom din verksamhet eller behöver andra verksamheter.")},
    )
    action = _text(
        _("Om inom min verksamhet: vad ska göras?"),
        required=False,
        help_text=_("Beskriv åtgärden och vem som gör den."),
        rows=3,
    )
    follow_up_on = _date(_("Om inom min verksamhet: när följs åtgärden upp?"), required=False)

    def __init__(self, data=None, *, duty_to_report=None, **kwargs):
        super().__init__(data, **kwargs)
        # The law is cited from the versioned reference in force, so a law change is a data change.
        help_text = _(
            "Du som arbetar med barn är skyldig att genast anmäla till socialtjänsten om du får kännedom om eller "
            "misstänker att ett barn far illa. Det räcker med en misstanke; du behöver inte vara säker. "
            "Anmälan görs före en plan eller en begäran om samtycke, och familjen informeras men tillfrågas inte."
        )
        if duty_to_report is not None:
            cite = _("Lagrum: %(citation)s.") % {"citation": duty_to_report.citation}
            help_text = f"{help_text} {cite}"
        self.fields["suspects_harm"].help_text = help_text


class FollowUpForm(forms.Form):
    note = _text(_("Vad visade uppföljningen?"), required=False, rows=3, max_length=2000)


class WheelForm(forms.Form):
    """One 1–5 choice and a comment per indicator, labelled with the municipality's wording."""

    assessed_on = _date(_("Datum"), required_message=_("Skriv vilket datum bedömningen gjordes."))
    note = _text(_("Sammanfattning"), required=False, rows=3)

    def __init__(self, data=None, *, texts: list[IndicatorText], for_child: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        self.texts = texts
        choices = [(str(score), f"{score} – {score_word(score, for_child=for_child)}") for score in range(1, 6)]
        if for_child:
            choices = [(str(score), score_word(score, for_child=True)) for score in range(1, 6)]
        for text in texts:
            self.fields[f"score_{text.code}"] = forms.TypedChoiceField(
                label=text.child_text if for_child else text.label,
                help_text="" if for_child else text.short_text,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{text.code}"] = forms.CharField(
                label=_("Vill du säga något mer?") if for_child else _("Kommentar"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs=TEXT),
            )

    def rows(self):
        return [(text, self[f"score_{text.code}"], self[f"comment_{text.code}"]) for text in self.texts]

    def ratings(self) -> dict[str, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            text.code: (data.get(f"score_{text.code}") or None, data.get(f"comment_{text.code}", ""))
            for text in self.texts
        }


class TriangleForm(forms.Form):
    assessed_on = _date(_("Datum"), required_message=_("Skriv vilket datum bedömningen gjordes."))
    note = _text(_("Sammanfattning"), required=False, rows=3)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for area in Area:
            self.fields[f"strengths_{area.value}"] = _text(_("Styrkor"), required=False, rows=2, max_length=2000)
            self.fields[f"concerns_{area.value}"] = _text(_("Oro"), required=False, rows=2, max_length=2000)

    def area_fields(self, area: str):
        return self[f"strengths_{area}"], self[f"concerns_{area}"]

    def notes(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {area.value: (data[f"strengths_{area.value}"], data[f"concerns_{area.value}"]) for area in Area}


class MatrixForm(forms.Form):
    assessed_on = _date(_("Datum"), required_message=_("Skriv vilket datum bedömningen gjordes."))
    resilience = forms.TypedChoiceField(
        label=RESILIENCE_AXIS,
        choices=AXIS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj var barnet står mellan sårbarhet och motståndskraft.")},
    )
    resilience_evidence = _text(
        _("Vad bygger placeringen på? (barnets egenskaper)"),
        help_text=_("Till exempel självkänsla, problemlösning, anknytning."),
        required_message=_("Skriv vad placeringen mellan sårbarhet och motståndskraft bygger på."),
    )
    environment = forms.TypedChoiceField(
        label=ENVIRONMENT_AXIS,
        choices=AXIS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj var barnets miljö står mellan svårigheter och skydd.")},
    )
    environment_evidence = _text(
        _("Vad bygger placeringen på? (barnets miljö)"),
        help_text=_("Till exempel en nära vuxen, stöd i skolan, familjens situation."),
        required_message=_("Skriv vad placeringen mellan svårigheter och skyddande miljö bygger på."),
    )
    note = _text(_("Sammanfattning"), required=False, rows=3)


class InstrumentForm(forms.Form):
    respondent = forms.ChoiceField(
        label=_("Vem fyllde i formuläret?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vem som fyllde i formuläret.")},
    )
    completed_on = _date(_("Datum då formuläret fylldes i"), required_message=_("Skriv datumet på formuläret."))

    def __init__(self, data=None, *, instrument, subscales, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["respondent"].choices = [
            (kind, RESPONDENTS.get(kind, kind)) for kind in instrument.respondent_kinds
        ]
        self.entered = [s for s in subscales if not s.is_total]
        for subscale in self.entered:
            self.fields[subscale.code] = forms.IntegerField(
                label=gettext(subscale.name),  # shipped instruments' texts are msgids (instrument_data.py)
                help_text=_("Poäng %(min)d–%(max)d från formuläret.")
                % {"min": subscale.min_score, "max": subscale.max_score},
                widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
                error_messages={
                    "required": _("Skriv poängen för %(name)s från formuläret.") % {"name": gettext(subscale.name)},
                    "invalid": _("Skriv poängen som ett heltal."),
                },
            )

    def scores(self) -> dict[str, int | None]:
        return {s.code: self.cleaned_data.get(s.code) for s in self.entered}


class ChronologyFilterForm(forms.Form):
    indikator = forms.ChoiceField(label=_("Indikator"), required=False)
    myndighet = forms.TypedChoiceField(label=_("Myndighet"), required=False, coerce=int, empty_value=None)
    fran = _date(_("Från och med"), required=False)
    till = _date(_("Till och med"), required=False)

    def __init__(self, data=None, *, authorities, indicators: list[tuple[str, str]], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["indikator"].choices = [("", _("Alla indikatorer")), *indicators]
        self.fields["myndighet"].choices = [("", _("Alla myndigheter")), *((a.pk, a.name) for a in authorities)]
        for field in ("indikator", "myndighet"):
            self.fields[field].widget.attrs["class"] = "ds-input"

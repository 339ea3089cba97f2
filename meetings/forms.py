"""Forms of the meeting pages. Anonymous items say, next to the text, what they must not contain."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem, CaseOutcome, ConsentReason, MeetingSeries, Outcome
from sharing.categories import OPEN_TO_ANY_RELATION, Category

INPUT = {"class": "ds-input"}
DATE = forms.DateInput(attrs={"type": "date", **INPUT}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", **INPUT}, format="%H:%M")
TEXT = forms.Textarea(attrs={"rows": 4, **INPUT})
SELECT = forms.Select(attrs=INPUT)
NO_IDENTITY = _(
    "Skriv inget som kan identifiera barnet: inget namn, personnummer, telefonnummer eller adress, "
    "och inga detaljer som tillsammans pekar ut ett barn. Sådan text tas inte emot."
)


def _char(label, *, required=True, max_length=200, help_text=""):
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text, widget=forms.TextInput(INPUT)
    )


class SeriesForm(forms.Form):
    title = _char(_("Rubrik"))
    frequency = forms.ChoiceField(label=_("Hur ofta"), choices=MeetingSeries.Frequency.choices, widget=SELECT)
    ordinal = forms.TypedChoiceField(
        label=_("Vilken veckodag i månaden"),
        choices=[("", _("Varje vecka")), *MeetingSeries.Ordinal.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=SELECT,
    )
    weekday = forms.TypedChoiceField(
        label=_("Veckodag"), choices=MeetingSeries.Weekday.choices, coerce=int, widget=SELECT
    )
    starts_at = forms.TimeField(label=_("Börjar"), widget=TIME)
    ends_at = forms.TimeField(label=_("Slutar"), widget=TIME)
    place = _char(_("Plats"), required=False)
    video_link = forms.URLField(
        label=_("Videolänk"), required=False, assume_scheme="https", widget=forms.URLInput(INPUT)
    )
    first_date = forms.DateField(label=_("Från och med"), widget=DATE)


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DATE)
    starts_at = forms.TimeField(label=_("Börjar"), widget=TIME)
    ends_at = forms.TimeField(label=_("Slutar"), widget=TIME)
    place = _char(_("Plats"), required=False)
    video_link = forms.URLField(
        label=_("Videolänk"), required=False, assume_scheme="https", widget=forms.URLInput(INPUT)
    )


class AnonymousItemForm(forms.Form):
    title = _char(_("Rubrik"), help_text=NO_IDENTITY)
    age_band = forms.ChoiceField(label=_("Ålder"), choices=AgendaItem.AgeBand.choices, widget=SELECT)
    gender = forms.ChoiceField(
        label=_("Kön (frivilligt)"),
        choices=[("", _("Anges inte")), *AgendaItem.Gender.choices],
        required=False,
        widget=SELECT,
    )
    situation = forms.CharField(label=_("Situationen"), max_length=4000, widget=TEXT)
    question = forms.CharField(label=_("Frågan till teamet"), max_length=2000, widget=TEXT)


class ThemeItemForm(forms.Form):
    title = _char(_("Rubrik"))
    theme_kind = forms.ChoiceField(label=_("Slags tema"), choices=AgendaItem.ThemeKind.choices, widget=SELECT)
    situation = forms.CharField(
        label=_("Beskrivning"), max_length=4000, widget=TEXT, help_text=_("Skriv inga uppgifter om enskilda barn.")
    )
    question = forms.CharField(label=_("Frågan till teamet"), max_length=2000, required=False, widget=TEXT)


class CaseItemForm(forms.Form):
    child = forms.ChoiceField(
        label=_("Barn"),
        help_text=_("Här finns bara barn med ett samtycke som gäller i dag och som nämner teamet."),
        widget=SELECT,
        error_messages={"invalid_choice": _("Välj ett barn i listan.")},
    )
    category = forms.ChoiceField(
        label=_("Det jag berättar är"),
        choices=[(value, label) for value, label in Category.choices if value not in OPEN_TO_ANY_RELATION],
        widget=SELECT,
    )
    summary = forms.CharField(label=_("Det här vill jag ta upp"), max_length=4000, widget=TEXT)
    question = forms.CharField(label=_("Frågan till teamet"), max_length=2000, required=False, widget=TEXT)

    def __init__(self, data=None, *, children, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["child"].choices = [("", _("Välj barn")), *((str(child.pk), str(child)) for child in children)]


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=Outcome.Kind.choices, widget=SELECT)
    item = forms.TypedChoiceField(label=_("Gäller"), coerce=int, empty_value=None, required=False, widget=SELECT)
    text = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, **INPUT}))
    owner = forms.TypedChoiceField(label=_("Ansvarig"), coerce=int, empty_value=None, required=False, widget=SELECT)
    due_on = forms.DateField(label=_("Klart senast"), required=False, widget=DATE)

    def __init__(self, data=None, *, items, members, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["item"].choices = [("", _("Mötet som helhet")), *((item.pk, item.title) for item in items)]
        self.fields["owner"].choices = [
            ("", _("Ingen")),
            *((member.user_id, member.user.get_full_name() or member.user.username) for member in members),
        ]


class CaseOutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=CaseOutcome.Kind.choices, widget=SELECT)
    text = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, **INPUT}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Protokoll"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8, **INPUT})
    )


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("Tillägg"), max_length=4000, widget=TEXT)


class PlanActionForm(forms.Form):
    description = forms.CharField(label=_("Åtgärd"), max_length=2000, widget=TEXT)
    due_on = forms.DateField(label=_("Klart senast"), widget=DATE)
    expected_outcome = forms.CharField(label=_("Förväntat resultat"), max_length=2000, widget=TEXT)


class ConsentReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("Skäl"), choices=ConsentReason.Reason.choices, widget=SELECT)
    text = forms.CharField(
        label=_("Med egna ord (frivilligt)"),
        help_text=_("Bara om vårdnadshavaren själv ville berätta. Skriv inga namn eller andra personuppgifter."),
        max_length=2000,
        required=False,
        widget=TEXT,
    )

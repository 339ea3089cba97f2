"""Forms of the team pages: a new team, and a new member with the authority they take part for."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.selectors import TEAM, team_authorities, team_staff
from directory.widgets import use_picker
from teams import selectors
from teams.models import Team, TeamMember

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "ds-input"}, format="%Y-%m-%d")


class TeamForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Kommun"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Välj kommun."),
            "invalid_choice": _("Välj en kommun där du är chef eller administratör."),
        },
    )
    name = forms.CharField(
        label=_("Namn"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    kind = forms.ChoiceField(
        label=_("Typ av team"),
        choices=Team.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj typ av team."), "invalid_choice": _("Välj en typ i listan.")},
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        help_text=_("Vad teamet gör och hur ofta det träffas. Skriv inga uppgifter om enskilda barn."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )

    def __init__(self, data=None, *, municipalities, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()


def _staff_label(user) -> str:
    return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        error_messages={
            "required": _("Välj vem som ska vara med i teamet."),
            "invalid_choice": _("Välj en person i listan: personal med en aktuell anställning i kommunen."),
        },
    )
    authority = forms.ModelChoiceField(
        label=_("Deltar för myndigheten"),
        help_text=_("Myndigheten som personen företräder i teamet. Den måste vara en av personens arbetsgivare i dag."),
        queryset=None,
        error_messages={
            "required": _("Välj vilken myndighet personen deltar för."),
            "invalid_choice": _("Välj en myndighet i listan."),
        },
    )
    role = forms.ChoiceField(
        label=_("Roll i teamet"),
        choices=TeamMember.Role.choices,
        initial=TeamMember.Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj roll."), "invalid_choice": _("Välj en roll i listan.")},
    )
    joined_on = forms.DateField(
        label=_("Med från"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Välj första dagen."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, data=None, *, team: Team, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["user"].queryset = team_staff(team)
        self.fields["user"].label_from_instance = _staff_label
        use_picker(self, "user", user=user, authorities=team_authorities(team), purpose=TEAM)
        self.fields["authority"].queryset = selectors.authorities_of(team)
        self.fields["joined_on"].initial = timezone.localdate()

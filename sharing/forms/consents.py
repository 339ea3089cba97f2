"""Forms of consents: the request (with the duty question first), answers, limits, extensions, withdrawal."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Authority
from sharing.categories import Category
from sharing.consent_selectors import PLAN_PARTICIPANTS, party_label
from sharing.evidence import evidence_check
from sharing.models import ConsentParty
from sharing.services import consents as services
from teams.models import Team

DATE_INVALID = _("Skriv datumet som ÅÅÅÅ-MM-DD.")
NEEDS_CATEGORIES = _("Välj minst en sorts uppgifter.")
NEEDS_RECIPIENTS = _("Välj minst en myndighet.")
NEEDS_END = _("Välj en slutdag.")
CATEGORY_CHOICES = [(category.value, category.label) for category in services.SHAREABLE]
DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "ds-input"}, format="%Y-%m-%d")


def until_moment(day: date) -> datetime:
    """Return the end (exclusive) of a period that runs to and including a day."""
    return services.day_start(day + timedelta(days=1))


def _categories(label) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NEEDS_CATEGORIES, "invalid_choice": NEEDS_CATEGORIES},
    )


def _recipients(label) -> forms.ModelMultipleChoiceField:
    # Not required on its own: the plan's participants may be the only recipients (each form checks for one).
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Authority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NEEDS_RECIPIENTS},
    )


def _to_plan() -> forms.BooleanField:
    return forms.BooleanField(
        label=PLAN_PARTICIPANTS,
        required=False,
        help_text=_(
            "De myndigheter som deltar i barnets pågående plan får uppgifterna, så länge de deltar. Avslutas planen "
            "eller slutar en myndighet delta, får den inte uppgifterna längre."
        ),
    )


TEAMS_LABEL = _("Team som får ta del av uppgifterna")


def _teams(label=TEAMS_LABEL) -> forms.ModelMultipleChoiceField:
    # Not required on its own, like the named authorities: each form checks that some recipient is left.
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "De myndigheter som teamets medlemmar deltar för får uppgifterna, så länge de är med i teamet. "
            "Slutar en medlem, eller blir teamet inaktivt, får den myndigheten inte uppgifterna längre."
        ),
        error_messages={"invalid_choice": services.NEEDS_ACTIVE_TEAM},
    )


def _active_teams(municipality_id: int):
    return Team.objects.filter(municipality_id=municipality_id, active=True).order_by("name")


def _needs_recipient(form: forms.Form, message) -> None:
    """Add an error when the form leaves no recipient: no named authority, plan's participants or team."""
    data = form.cleaned_data
    if not data.get("recipients") and not data.get("to_plan_participants") and not data.get("teams"):
        form.add_error("recipients" if "recipients" in form.fields else None, message)


def _until() -> forms.DateField:
    return forms.DateField(
        label=_("Gäller till och med"),
        widget=DATE_WIDGET,
        error_messages={"required": NEEDS_END, "invalid": DATE_INVALID},
    )


CATEGORIES_LABEL = _("Uppgifter som får lämnas")
RECIPIENTS_LABEL = _("Myndigheter som får ta del av uppgifterna")


class ConsentRequestForm(forms.Form):
    shared_under_duty = forms.ChoiceField(
        label=_("Kommer uppgifterna att lämnas ändå, även om familjen säger nej?"),
        help_text=_(
            "Till exempel en orosanmälan till socialtjänsten eller en uppgiftsskyldighet enligt lag. "
            "Då ska du inte be om samtycke, utan informera familjen."
        ),
        choices=[("no", _("Nej, familjen kan välja")), ("yes", _("Ja, uppgifterna lämnas ändå"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Svara på om uppgifterna lämnas ändå."),
            "invalid_choice": _("Välj ja eller nej."),
        },
    )
    purpose = forms.CharField(
        label=_("Syfte"),
        help_text=_("Vad uppgifterna ska användas till, med ord som familjen förstår."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )
    categories = _categories(CATEGORIES_LABEL)
    recipients = _recipients(RECIPIENTS_LABEL)
    to_plan_participants = _to_plan()
    teams = _teams()
    valid_from = forms.DateField(
        label=_("Gäller från"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Välj en startdag."), "invalid": DATE_INVALID},
    )
    valid_until = _until()

    def __init__(self, data=None, *, owner: Authority, max_days: int, municipality_id: int, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["recipients"].queryset = Authority.objects.exclude(pk=owner.pk).order_by("name")
        self.fields["teams"].queryset = _active_teams(municipality_id)
        if not self.fields["teams"].queryset.exists():
            del self.fields["teams"]  # the municipality has no active team to choose
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + timedelta(days=max_days - 1)
        self.fields["valid_until"].help_text = _("Högst %(days)d dagar.") % {"days": max_days}

    def clean(self):
        cleaned = super().clean()
        _needs_recipient(self, services.NEEDS_A_RECIPIENT)
        return cleaned


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Svar"),
        choices=[(ConsentParty.Decision.GIVEN, _("Samtycker")), (ConsentParty.Decision.DECLINED, _("Samtycker inte"))],
        widget=forms.RadioSelect,
        required=False,
    )
    view = forms.CharField(
        label=_("Inställning med egna ord"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )
    method = forms.ChoiceField(
        label=_("Hur svaret lämnades"),
        choices=[(ConsentParty.Method.WRITTEN, _("Skriftligt")), (ConsentParty.Method.ORAL, _("Muntligt"))],
        widget=forms.RadioSelect,
        required=False,
    )
    evidence = forms.FileField(
        label=_("Undertecknad blankett"),
        help_text=_("PDF, JPEG eller PNG, högst 10 MB. Eller skriv en anteckning nedan."),
        validators=[evidence_check],
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "ds-input"}),
    )
    evidence_note = forms.CharField(
        label=_("Anteckning"),
        help_text=_("När, hur och till vem svaret lämnades."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )

    def __init__(self, data=None, files=None, *, view_only: bool, **kwargs):
        super().__init__(data, files, **kwargs)
        if view_only:
            del self.fields["decision"]
        else:
            del self.fields["view"]


class LimitForm(forms.Form):
    categories = _categories(_("Uppgifter som fortfarande får lämnas"))
    recipients = _recipients(_("Myndigheter som fortfarande får ta del"))
    to_plan_participants = _to_plan()
    teams = _teams(_("Team som fortfarande får ta del"))
    valid_until = _until()

    def __init__(self, data=None, *, consent, **kwargs):
        super().__init__(data, **kwargs)
        current = set(consent.categories.values_list("category", flat=True))
        self.fields["categories"].choices = [(c, Category(c).label) for c in sorted(current)]
        self.fields["recipients"].queryset = consent.recipients.order_by("name")
        self.fields["teams"].queryset = consent.recipient_teams.order_by("name")
        self.initial = {
            "categories": sorted(current),
            "recipients": list(consent.recipients.values_list("pk", flat=True)),
            "to_plan_participants": consent.to_plan_participants,
            "teams": list(consent.recipient_teams.values_list("pk", flat=True)),
            "valid_until": timezone.localdate(consent.valid_until - timedelta(microseconds=1)),
        }
        # A limit only takes away: offer only the kinds of recipient the consent has.
        if not self.initial["recipients"]:
            del self.fields["recipients"]
        if not consent.to_plan_participants:
            del self.fields["to_plan_participants"]
        if not self.initial["teams"]:
            del self.fields["teams"]

    def clean(self):
        cleaned = super().clean()
        _needs_recipient(self, services.KEEP_A_RECIPIENT)
        return cleaned


class ExtendForm(forms.Form):
    categories = _categories(CATEGORIES_LABEL)
    recipients = _recipients(RECIPIENTS_LABEL)
    to_plan_participants = _to_plan()
    teams = _teams()
    valid_until = _until()

    def __init__(self, data=None, *, consent, max_days: int, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["recipients"].queryset = Authority.objects.exclude(pk=consent.owner_authority_id).order_by("name")
        self.fields["valid_until"].help_text = _("Högst %(days)d dagar från i dag.") % {"days": max_days}
        # The consent's own teams stay offered (an extension never drops one), with the municipality's active teams.
        kept = consent.recipient_teams.values("pk")
        self.fields["teams"].queryset = Team.objects.filter(
            Q(pk__in=kept) | Q(municipality_id=consent.child.municipality_id, active=True)
        ).order_by("name")
        self.initial = {
            "categories": list(consent.categories.values_list("category", flat=True)),
            "recipients": list(consent.recipients.values_list("pk", flat=True)),
            "to_plan_participants": consent.to_plan_participants,
            "teams": list(consent.recipient_teams.values_list("pk", flat=True)),
            "valid_until": timezone.localdate() + timedelta(days=max_days - 1),
        }
        if not self.fields["teams"].queryset.exists():
            del self.fields["teams"]

    def clean(self):
        cleaned = super().clean()
        _needs_recipient(self, services.NEEDS_A_RECIPIENT)
        return cleaned


class WithdrawForm(forms.Form):
    party = forms.ModelChoiceField(
        label=_("Vem vill återkalla samtycket?"),
        queryset=ConsentParty.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vem som har återkallat samtycket."),
            "invalid_choice": _("Välj en av personerna i listan."),
        },
    )
    note = forms.CharField(
        label=_("Anteckning (frivillig)"),
        help_text=_("Till exempel hur familjen hörde av sig. Familjen behöver aldrig ange skäl."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
    )

    def __init__(self, data=None, *, consent, **kwargs):
        super().__init__(data, **kwargs)
        parties = consent.parties.exclude(decision=ConsentParty.Decision.VIEW_ONLY).select_related("guardian")
        self.fields["party"].queryset = parties
        self.fields["party"].label_from_instance = party_label


class FamilyNoticeForm(forms.Form):
    legal_basis = forms.ChoiceField(
        label=_("Varför lämnas uppgifterna utan samtycke?"),
        choices=[(basis.value, basis.label) for basis in services.DUTY_BASES],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj varför uppgifterna lämnas."),
            "invalid_choice": _("Välj en grund i listan."),
        },
    )
    what = forms.CharField(
        label=_("Vad lämnas, till vem och varför"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )
    informed_how = forms.CharField(
        label=_("Hur och när familjen informerades"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )


class FamilyAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Ditt svar"),
        choices=[
            (ConsentParty.Decision.GIVEN, _("Ja, jag samtycker")),
            (ConsentParty.Decision.DECLINED, _("Nej, jag samtycker inte")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    view = forms.CharField(
        label=_("Vad tycker du? Skriv med dina egna ord."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )

    def __init__(self, data=None, *, view_only: bool, **kwargs):
        super().__init__(data, **kwargs)
        if view_only:
            del self.fields["decision"]
        else:
            del self.fields["view"]

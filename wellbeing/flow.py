"""Where the five questions lead: one function maps each outcome to the next step.

The duty to report comes first: when the practitioner answers that there is reason to suspect the child
is harmed (or is unsure), the next step is the report of concern to social services, whatever the
outcome, before any plan or consent request. The family is informed of a report, never asked to consent.

This is the extension point of the flow. "Handled within my service" stays in wellbeing: the
answers keep a single-agency action and a follow-up date, which the task `wellbeing_follow_ups_due`
marks when due and "Mina uppföljningar" lists. "Needs other services" hands over to the plans app's
`plans:start` (a single- or multi-agency child's plan, with the family's consent). A later route,
such as a general request for support, is added as a new `FiveQuestions.Outcome` and one branch here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from wellbeing.models import FiveQuestions

HANDLED = _("Svaren är sparade. Åtgärden följs upp %(date)s; du hittar den under Mina uppföljningar.")
TO_PLAN = _("Svaren är sparade. Starta nu barnets plan tillsammans med familjen.")
NO_PLAN_YET = _(
    "Svaren är sparade. Barnets plan kan inte startas i Samplan ännu: kontakta barnets namngivna person "
    "för att kalla till ett möte med de verksamheter som behövs."
)


TO_REPORT = _(
    "Svaren är sparade. Du har svarat att det finns anledning att misstänka att barnet far illa. Gör en orosanmälan "
    "till socialtjänsten nu, innan en plan eller en begäran om samtycke. Familjen informeras om anmälan, men deras "
    "samtycke behövs inte och ska inte efterfrågas."
)
UNSURE_TO_REPORT = _(
    "Svaren är sparade. Du är osäker på om barnet far illa. Anmälningsskyldigheten gäller redan vid misstanke: du "
    "behöver inte vara säker, och det är socialtjänsten som utreder. Du kan rådgöra med socialtjänsten utan att "
    "nämna barnets namn. Finns misstanken kvar, gör en orosanmälan nu, innan en plan eller en begäran om samtycke. "
    "Familjen informeras om anmälan men tillfrågas inte."
)


@dataclass(frozen=True)
class NextStep:
    url: str
    message: str
    is_warning: bool = False


def next_step(five: FiveQuestions) -> NextStep:
    """Return where the user goes after answering, and what they are told."""
    entry_url = reverse("wellbeing:entry", kwargs={"child_id": five.child_id, "entry_id": five.entry_id})
    # The report of concern first, whatever the outcome: the duty to report goes before consent and plans.
    if five.suspects_harm in (FiveQuestions.SuspectsHarm.YES, FiveQuestions.SuspectsHarm.UNSURE):
        message = TO_REPORT if five.suspects_harm == FiveQuestions.SuspectsHarm.YES else UNSURE_TO_REPORT
        return NextStep(reverse("sharing:report_new", kwargs={"child_id": five.child_id}), str(message), True)
    if five.outcome == FiveQuestions.Outcome.HANDLED_HERE:
        return NextStep(entry_url, HANDLED % {"date": five.follow_up_on.isoformat()})
    if five.outcome == FiveQuestions.Outcome.NEEDS_OTHERS:
        try:
            return NextStep(reverse("plans:start", kwargs={"child_id": five.child_id}), str(TO_PLAN))
        except NoReverseMatch:
            return NextStep(entry_url, str(NO_PLAN_YET), is_warning=True)
    raise ValueError(f"No next step for outcome {five.outcome!r}.")  # fail closed: a new outcome needs a branch

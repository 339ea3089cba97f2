"""Where the five questions lead: one function maps each outcome to the next step.

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


@dataclass(frozen=True)
class NextStep:
    url: str
    message: str
    is_warning: bool = False


def next_step(five: FiveQuestions) -> NextStep:
    """Return where the user goes after answering, and what they are told."""
    entry_url = reverse("wellbeing:entry", kwargs={"child_id": five.child_id, "entry_id": five.entry_id})
    if five.outcome == FiveQuestions.Outcome.HANDLED_HERE:
        return NextStep(entry_url, HANDLED % {"date": five.follow_up_on.isoformat()})
    if five.outcome == FiveQuestions.Outcome.NEEDS_OTHERS:
        try:
            return NextStep(reverse("plans:start", kwargs={"child_id": five.child_id}), str(TO_PLAN))
        except NoReverseMatch:
            return NextStep(entry_url, str(NO_PLAN_YET), is_warning=True)
    raise ValueError(f"No next step for outcome {five.outcome!r}.")  # fail closed: a new outcome needs a branch

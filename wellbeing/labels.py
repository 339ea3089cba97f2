"""Indicator names as a municipality shows them: its own labels where set, the national wording otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from wellbeing.indicators import DEFINITIONS, Indicator

# Plain questions for the child's own page, when the municipality has not written its own.
CHILD_QUESTIONS = {
    Indicator.SAFE: _("Känner du dig trygg?"),
    Indicator.HEALTHY: _("Mår du bra i kroppen och i huvudet?"),
    Indicator.ACHIEVING: _("Lär du dig saker, och får du hjälp när något är svårt?"),
    Indicator.NURTURED: _("Tar de vuxna hand om dig?"),
    Indicator.ACTIVE: _("Får du leka, röra på dig och göra sådant du tycker om?"),
    Indicator.RESPECTED: _("Lyssnar de vuxna på dig?"),
    Indicator.RESPONSIBLE: _("Får du hjälpa till och ta ansvar för saker?"),
    Indicator.INCLUDED: _("Känner du att du hör till, hemma, i skolan och med kompisar?"),
}

# Words for the scores: staff and guardians see the first, the child the second.
SCORE_WORDS = {
    1: (_("Mycket dåligt"), _("Inte bra alls")),
    2: (_("Ganska dåligt"), _("Inte så bra")),
    3: (_("Varken bra eller dåligt"), _("Sådär")),
    4: (_("Ganska bra"), _("Bra")),
    5: (_("Mycket bra"), _("Jättebra")),
}


@dataclass(frozen=True)
class IndicatorText:
    code: str
    label: str
    short_text: str
    child_text: str


def indicator_texts(municipality_id: int | None) -> list[IndicatorText]:
    """Return the eight indicators in order with the municipality's wording (one query)."""
    from wellbeing.models import IndicatorLabel

    own = {}
    if municipality_id is not None:
        own = {row.indicator: row for row in IndicatorLabel.objects.filter(municipality_id=municipality_id)}
    texts = []
    for indicator in Indicator:
        row = own.get(indicator.value)
        texts.append(
            IndicatorText(
                code=indicator.value,
                label=row.label if row else str(indicator.label),
                short_text=(row.short_text if row and row.short_text else str(DEFINITIONS[indicator])),
                child_text=(row.child_text if row and row.child_text else str(CHILD_QUESTIONS[indicator])),
            )
        )
    return texts


def score_word(score: int | None, *, for_child: bool = False) -> str:
    if score is None:
        return ""
    return str(SCORE_WORDS[score][1 if for_child else 0])

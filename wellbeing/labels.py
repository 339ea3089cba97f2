"""Indicator names as a municipality shows them: the one selector every page, chart, PDF and API answer uses.

The wording comes from the label set the municipality has chosen (`IndicatorLabelChoice`, the latest
in force), else the default set, else the seed wording in `wellbeing.label_data` (a database without
the installed sets). Swedish is the source; English comes from the set's `*_en` fields when the active
language is English and the field is filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wellbeing.indicators import Indicator
from wellbeing.label_data import SEED_WORDING

# Words for the scores: staff and guardians see the first, the child the second.
SCORE_WORDS = {
    1: (_("Mycket dåligt"), _("Inte bra alls")),
    2: (_("Ganska dåligt"), _("Inte så bra")),
    3: (_("Varken bra eller dåligt"), _("Sådär")),
    4: (_("Ganska bra"), _("Bra")),
    5: (_("Mycket bra"), _("Jättebra")),
}
DEFAULT_WHEEL = ("Välbefinnandehjulet", "Wellbeing wheel")


@dataclass(frozen=True)
class IndicatorText:
    code: str
    label: str
    short_text: str
    child_text: str


@dataclass(frozen=True)
class Wording:
    """The wheel's name and the eight indicators' texts in the active language, in SHANARRI order."""

    wheel_name: str
    texts: list[IndicatorText]
    confirmed: bool
    note: str

    def label(self, code: str) -> str:
        return next((text.label for text in self.texts if text.code == code), code)

    def labels(self, codes) -> list[str]:
        return [self.label(code) for code in codes if code in Indicator.values]

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(text.code, text.label) for text in self.texts]


def _pick(english: bool, swedish: str, in_english: str) -> str:
    return in_english if english and in_english else swedish


def wording_rows(municipality_id: int | None, *, on: date | None = None):
    """Return the labels of the label set the municipality uses on the date, as a queryset (`wording_from` reads it)."""
    from wellbeing.models import IndicatorLabel, IndicatorLabelChoice, IndicatorLabelSet

    on = on or timezone.localdate()
    chosen = (
        IndicatorLabelChoice.objects.filter(municipality_id=municipality_id, valid_from__lte=on)
        .order_by("-valid_from")
        .values("label_set")[:1]
    )
    default = IndicatorLabelSet.objects.filter(is_default=True).values("pk")[:1]
    in_force = Coalesce(Subquery(chosen), Subquery(default))
    return IndicatorLabel.objects.filter(label_set=in_force).select_related("label_set").order_by("pk")


def wording_for(municipality_id: int | None, *, on: date | None = None) -> Wording:
    """Return the indicator wording the municipality uses on the date (one query)."""
    return wording_from(list(wording_rows(municipality_id, on=on)))


def wording_from(labels) -> Wording:
    """Return the wording from the rows `wording_rows` read, in the language of the request."""
    rows = {row.indicator: row for row in labels}
    english = (translation.get_language() or "sv").startswith("en")
    texts = []
    for code, (label, label_en, short, short_en, child, child_en) in SEED_WORDING.items():
        row = rows.get(code)
        if row is not None:
            label, label_en = row.label, row.label_en
            short, short_en = row.short_text or short, row.short_text_en or short_en
            child, child_en = row.child_text or child, row.child_text_en or child_en
        texts.append(
            IndicatorText(
                code=code,
                label=_pick(english, label, label_en),
                short_text=_pick(english, short, short_en),
                child_text=_pick(english, child, child_en),
            )
        )
    label_set = next(iter(rows.values())).label_set if rows else None
    if label_set is None:
        return Wording(_pick(english, *DEFAULT_WHEEL), texts, confirmed=True, note="")
    wheel = _pick(english, label_set.wheel_name, label_set.wheel_name_en)
    return Wording(wheel, texts, confirmed=label_set.confirmed, note=label_set.note)


def indicator_texts(municipality_id: int | None) -> list[IndicatorText]:
    """Return the eight indicators in order with the municipality's wording (one query)."""
    return wording_for(municipality_id).texts


def score_word(score: int | None, *, for_child: bool = False) -> str:
    if score is None:
        return ""
    return str(SCORE_WORDS[score][1 if for_child else 0])

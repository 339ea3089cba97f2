"""The public guide's words: the kinds of worry a family may have, each tied to wellbeing indicators and keywords.

A worry matches an intervention that addresses one of its indicators or names one of its keywords;
the lists are the catalogue's shared language, not child data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wellbeing.indicators import Indicator


@dataclass(frozen=True)
class Worry:
    code: str
    label: str | Promise
    indicators: tuple[str, ...]
    keywords: tuple[str, ...]


WORRIES: tuple[Worry, ...] = (
    Worry("kanslor", _("Oro, ångest eller nedstämdhet"), (Indicator.HEALTHY,), ("ångest", "oro", "psykisk")),
    Worry("skola", _("Skolan och lärandet"), (Indicator.ACHIEVING,), ("skola", "lärande")),
    Worry("hemma", _("Hemma, föräldraskap eller separation"), (Indicator.NURTURED,), ("föräldraskap", "separation")),
    Worry("trygghet", _("Våld, otrygghet eller kränkningar"), (Indicator.SAFE,), ("våld", "trygg")),
    Worry("beteende", _("Beteende, alkohol eller droger"), (Indicator.RESPONSIBLE,), ("droger", "impuls")),
    Worry("utveckling", _("Utveckling eller funktionsnedsättning"), (Indicator.INCLUDED,), ("funktionsnedsättning",)),
    Worry("fritid", _("Kompisar och fritid"), (Indicator.ACTIVE,), ("fritid", "kompisar")),
    Worry("graviditet", _("Graviditet och nyfött barn"), (), ("graviditet", "förlossning", "nyfödd")),
)
WORRY_BY_CODE = {worry.code: worry for worry in WORRIES}

# Numbers anyone may need; they are national and the same in every municipality.
EMERGENCY_NUMBERS = (
    (_("Akut fara för liv eller hälsa"), "112"),
    (_("Sjukvårdsrådgivning dygnet runt"), "1177"),
    (_("BRIS – för barn och unga"), "116 111"),
    (_("Polisen, när det inte är akut"), "114 14"),
)

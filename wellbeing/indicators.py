"""The eight wellbeing indicators (SHANARRI), the shared language of the practice model.

Names and short definitions follow the 2022 statutory guidance (DOMAIN.md A1); Swedish wording
follows the Ystad pre-study. A municipality may relabel them (a "livsblomma" variant) through
`wellbeing.models.IndicatorLabel`; the codes below never change, so ratings stay comparable.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    SAFE = "safe", _("Trygg")
    HEALTHY = "healthy", _("Frisk")
    ACHIEVING = "achieving", _("Utvecklas och presterar efter förmåga")
    NURTURED = "nurtured", _("Omvårdad")
    ACTIVE = "active", _("Aktiv")
    RESPECTED = "respected", _("Respekterad")
    RESPONSIBLE = "responsible", _("Ansvarstagande")
    INCLUDED = "included", _("Inkluderad")


# Version of the definition texts below (the guidance has changed them before; keep them versioned).
DEFINITIONS_VERSION = "2022"

DEFINITIONS = {
    Indicator.SAFE: _(
        "Växer upp och känner sig trygg, omhändertagen och lyssnad på, och kan nå sin fulla potential. "
        "Innefattar skydd mot övergrepp och försummelse."
    ),
    Indicator.HEALTHY: _(
        "Bästa möjliga fysiska och psykiska hälsa, tillgång till lämplig vård och stöd att lära sig göra "
        "hälsosamma och säkra val."
    ),
    Indicator.ACHIEVING: _(
        "Stöd och vägledning i lärande och för färdigheter, självförtroende och självkänsla, hemma, i skolan "
        "och i samhället."
    ),
    Indicator.NURTURED: _(
        "Omhändertagen i en miljö som ger den fysiska och känslomässiga trygghet, omtanke och värme som behövs "
        "för sund utveckling, motståndskraft och en positiv identitet."
    ),
    Indicator.ACTIVE: _(
        "Möjlighet att leka, delta i fritidsaktiviteter och idrott som främjar sund utveckling, hemma, i skolan "
        "och i samhället."
    ),
    Indicator.RESPECTED: _("Delaktig i beslut som påverkar det egna livet och får sin röst hörd, med stöd vid behov."),
    Indicator.RESPONSIBLE: _(
        "Möjlighet och uppmuntran att ta aktiva, ansvarsfulla roller hemma, i skolan och i samhället, med "
        "vägledning och tillsyn vid behov."
    ),
    Indicator.INCLUDED: _("Hjälp att övervinna ojämlikhet, och accepterad som en del av familj, skola och samhälle."),
}

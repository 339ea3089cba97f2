"""My World Triangle (three sides, seven areas each) and the resilience matrix's two axes (DOMAIN.md A2, A3).

Swedish wording follows the Ystad pre-study's terms ("min världstriangel", "motståndskraftsmatrisen");
the area headings are translated from IRISS "Mairi's Triangle". Codes never change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    GROW = "grow", _("Hur jag växer och utvecklas")
    CARE = "care", _("Vad jag behöver från dem som tar hand om mig")
    WORLD = "world", _("Min omvärld")


class Area(models.TextChoices):
    HEALTHY = "healthy", _("Att vara frisk")
    LEARNING = "learning", _("Att lära och prestera")
    COMMUNICATING = "communicating", _("Att kunna kommunicera")
    CONFIDENCE = "confidence", _("Tillit till den jag är")
    RESPONSIBLE = "responsible", _("Att lära mig ta ansvar")
    INDEPENDENT = "independent", _("Att bli självständig och ta hand om mig själv")
    FAMILY_FRIENDS = "family_friends", _("Att trivas med familj och vänner")
    EVERYDAY_CARE = "everyday_care", _("Vardaglig omsorg och hjälp")
    KEEPING_SAFE = "keeping_safe", _("Att hålla mig trygg")
    BEING_THERE = "being_there", _("Att finnas där för mig")
    PLAY = "play", _("Lek, uppmuntran och glädje")
    GUIDANCE = "guidance", _("Vägledning och stöd att göra rätt val")
    KNOWING = "knowing", _("Att veta vad som ska hända och när")
    BACKGROUND = "background", _("Förståelse för min familjs bakgrund och tro")
    SUPPORT = "support", _("Stöd från familj, vänner och andra")
    SCHOOL = "school", _("Skolan")
    LOCAL_RESOURCES = "local_resources", _("Resurser i närområdet")
    BELONGING = "belonging", _("Tillhörighet")
    WORK = "work", _("Arbetsmöjligheter för min familj")
    HOUSING = "housing", _("Ett bekvämt och tryggt boende")
    MONEY = "money", _("Tillräckligt med pengar")


_AREAS = list(Area)
SIDES: dict[str, list[Area]] = {
    Side.GROW: _AREAS[0:7],
    Side.CARE: _AREAS[7:14],
    Side.WORLD: _AREAS[14:21],
}

# The matrix's two axes, each placed from -2 to +2 (DOMAIN.md A3; the sources name only the axes).
AXIS_CHOICES = [(-2, "-2"), (-1, "-1"), (0, "0"), (1, "+1"), (2, "+2")]
RESILIENCE_AXIS = _("Sårbarhet (−2) till motståndskraft (+2): barnets egna egenskaper")
ENVIRONMENT_AXIS = _("Svårigheter (−2) till skyddande miljö (+2): familj, skola och närsamhälle")


def quadrant(resilience: int, environment: int) -> str:
    """Return the quadrant's name for a placement (0 on an axis counts towards the positive side)."""
    child = _("motståndskraftigt barn") if resilience >= 0 else _("sårbart barn")
    around = _("i en skyddande miljö") if environment >= 0 else _("i svårigheter")
    return f"{str(child).capitalize()} {around}"

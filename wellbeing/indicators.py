"""The eight wellbeing indicators (SHANARRI), the shared language of the practice model.

The codes below are what ratings, chronology entries and plans store; they never change, so ratings
stay comparable. What people read is configuration: a municipality's label set (`IndicatorLabelSet`,
read through `wellbeing.labels.wording_for`). The labels here name the codes for Django's choices
only (the seed wording, DOMAIN.md A1).
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

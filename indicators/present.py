"""How figures are shown: small counts of children are never published (core.disclosure)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core import disclosure
from indicators.models import Indicator

RULE = _(
    "Antal barn eller familjer under %(threshold)d visas inte: där står ”färre än %(threshold)d”. "
    "Regeln gäller tabeller, filer och API."
)


def rule() -> str:
    return RULE % {"threshold": disclosure.threshold()}


def suppressed(indicator: Indicator, value: Decimal) -> bool:
    """True when the figure is a small count of children (or families) and must be hidden."""
    return (
        indicator.counts_children and indicator.measure == Indicator.Measure.COUNT and disclosure.is_small(int(value))
    )


def shown(indicator: Indicator, value: Decimal) -> str:
    """Return the figure as the page, the export and the API show it."""
    if suppressed(indicator, value):
        return _("färre än %(threshold)d") % {"threshold": disclosure.threshold()}
    if indicator.measure == Indicator.Measure.COUNT:
        return number_format(int(value), force_grouping=True)
    if indicator.measure == Indicator.Measure.SHARE:
        return f"{number_format(value, 1)} %"
    return f"{number_format(int(value), force_grouping=True)} kr"

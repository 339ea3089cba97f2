"""The one small-count rule for every published figure: counts below the deployment's threshold are hidden.

Every table, chart, export and API response of aggregate figures asks this module, never the setting.
"""

from __future__ import annotations

from django.conf import settings


def threshold() -> int:
    """The smallest count that may be published (SAMPLAN_DISCLOSURE_THRESHOLD, default 5)."""
    return max(1, int(settings.SAMPLAN_DISCLOSURE_THRESHOLD))


def is_small(count: int | None) -> bool:
    """True for a count of children that must not be published: at least one but fewer than the threshold."""
    return count is not None and 0 < count < threshold()

"""How often a user may search the staff directory: SAMPLAN_PEOPLE_SEARCH_PER_MINUTE a minute of the clock.

One count per user and minute, in Django's cache, shared by the picker's typeahead (`views.people_search`) and
its search without JavaScript (`widgets.use_picker`): both read the same directory, so a script cannot go
round the limit by posting the form instead.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def search_over_limit(user_id: int) -> int:
    """Count this search in the user's current minute; return the seconds left of it when over the limit, else 0."""
    limit = settings.SAMPLAN_PEOPLE_SEARCH_PER_MINUTE
    if limit <= 0:  # 0 turns the limit off
        return 0
    now = time.time()
    window = int(now // 60)
    key = f"directory:people-search:{user_id}:{window}"
    cache.add(key, 0, timeout=90)  # outlives its minute a little, never the next one's key
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this search starts the count again
        cache.set(key, 1, timeout=90)
        count = 1
    return max(1, 60 - int(now % 60)) if count > limit else 0

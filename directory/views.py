"""The typeahead search of the people picker: staff within the allowed set the form's page signed."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.access import authenticated
from directory import selectors


def _over_limit(user_id: int) -> int:
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


@authenticated
@require_safe
def people_search(request: HttpRequest) -> HttpResponse:
    """Answer the picker's search with a list of options (staff only: no child data, so nothing to audit)."""
    picker = request.GET.get("picker", "picker")[:80]
    if wait := _over_limit(request.user.pk):
        context = {"hits": [], "limited": True, "picker": picker}
        response = render(request, "directory/_results.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        scope = selectors.scope_read(request.GET.get("scope", ""))
    except signing.BadSignature:
        return HttpResponseBadRequest()
    query = request.GET.get("q", "")[:100]
    context = {
        "hits": selectors.staff_search(query, scope.authorities, purpose=scope.purpose),
        "too_short": len(query.strip()) < selectors.MIN_CHARS,
        "picker": picker,
        "max_results": selectors.MAX_RESULTS,
    }
    response = render(request, "directory/_results.html", context)
    response["Vary"] = "HX-Request"
    return response

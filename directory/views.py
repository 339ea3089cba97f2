"""The typeahead search of the people picker: staff within the allowed set the form's page signed."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.access import authenticated
from directory import selectors
from directory.limits import search_over_limit


@authenticated
@require_safe
def people_search(request: HttpRequest) -> HttpResponse:
    """Answer the picker's search with a list of options (staff only: no child data, so nothing to audit)."""
    picker = request.GET.get("picker", "picker")[:80]
    if wait := search_over_limit(request.user.pk):
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

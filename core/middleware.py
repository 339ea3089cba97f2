"""Site-wide request handling: Server-Timing for the benchmark and operators, and refusing NUL in parameters."""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        return response


class NulParametersMiddleware:
    """Refuse a page request whose query or form holds a NUL character, before any view reads it.

    The database cannot store or compare text with NUL, so a search or a form would otherwise fail
    with a server error. Browsers never send one from what a user types. Forms already refuse it
    field by field (Django's CharField); this closes raw reads such as `request.GET["q"]` too. The
    API checks its own parameters and answers in its JSON format (api.body).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.api_prefix = reverse("api:api-root")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.api_prefix) and _holds_nul(request):
            response = render(request, "core/bad_input.html", status=400)
            add_never_cache_headers(response)
            return response
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    parameters = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        parameters.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for querydict in parameters
        for key, values in querydict.lists()
    )

"""Every answer under the API's prefix is JSON, also those Django gives before or after an operation runs.

An address no route matches (a path value its pattern refuses), a method a route does not have, a
body too large to read or an unexpected error would otherwise answer with the site's HTML pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from api.api import NOT_FOUND

BAD_REQUEST = _("Begäran kunde inte läsas. Kontrollera adressen, huvudena och kroppen och försök igen.")
NOT_ALLOWED = _("Adressen tar inte emot den metoden. Se API-dokumentationen för vilka metoder som finns.")
FAILED = _("Något gick fel i Samplan. Försök igen senare, och kontakta supporten om felet finns kvar.")
MESSAGES = {400: BAD_REQUEST, 404: NOT_FOUND, 405: NOT_ALLOWED}


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = reverse("api:api-root")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not request.path.startswith(self.prefix):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        detail = MESSAGES.get(response.status_code, FAILED)
        answer = JsonResponse({"detail": str(detail)}, status=response.status_code)
        for header, value in response.items():
            # Allow (405), security and timing headers stay; only the body and its type change.
            if header.lower() not in ("content-type", "content-length"):
                answer[header] = value
        add_never_cache_headers(answer)
        return answer

"""The public guide "Var vänder jag mig?": where a family turns, by the child's age and the kind of worry.

Open to anyone without signing in. It reads only the public catalogue entries, never child data,
and sets no cookies: the language is chosen by a link (`?sprak=en`), not the session, and the
pages carry no forms that post and no tracking.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from catalogue import present, selectors
from catalogue.forms import GuideForm
from catalogue.guide import EMERGENCY_NUMBERS, WORRIES, WORRY_BY_CODE
from core.access import public

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _language(request: HttpRequest) -> str:
    chosen = request.GET.get("sprak", "")
    return chosen if chosen in LANGUAGES else settings.LANGUAGE_CODE


def _municipality(request: HttpRequest, municipalities: list):
    code = request.GET.get("kommun", "")
    return next((m for m in municipalities if m.code == code), municipalities[0] if municipalities else None)


@public
@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    """Show the public entries for an age and a worry, the contact points and the emergency numbers."""
    language = _language(request)
    with translation.override(language):
        municipalities = list(selectors.guide_municipalities())
        municipality = _municipality(request, municipalities)
        form = GuideForm(request.GET or None)
        age = worry = None
        if form.is_valid():
            age = form.cleaned_data["alder"]
            worry = WORRY_BY_CODE.get(form.cleaned_data["oro"])
        entries = []
        contact_points: list[str] = []
        if municipality is not None:
            found = selectors.public_interventions(municipality, age=age, worry=worry)
            entries = [present.public_entry(item, language=language) for item in found]
            contact_points = selectors.settings_for(municipality).contact_points.splitlines()
        context = {
            "form": form,
            "searched": form.is_bound,
            "entries": entries,
            "worries": WORRIES,
            "municipalities": municipalities,
            "municipality": municipality,
            "contact_points": [line for line in contact_points if line.strip()],
            "emergency_numbers": EMERGENCY_NUMBERS,
            "language": language,
            "other_language": "en" if language == "sv" else "sv",
        }
        response = render(request, "catalogue/guide.html", context)
    response["Content-Language"] = language
    if not request.COOKIES:
        # Only a cookieless answer may be kept by shared caches: a signed-in user's session is refreshed on it.
        response["Cache-Control"] = "public, max-age=300"
    return response

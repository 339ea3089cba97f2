"""The public guide "Var vänder jag mig?": where a family turns, by the child's age and the kind of worry.

Open to anyone without signing in. It reads only the public catalogue entries, never child data,
and sets no cookies: the language is chosen by a link (`?sprak=en`), not the session, and the
pages carry no forms that post and no tracking. The page is the same for everyone, so it is rendered
without the request (no navigation, no user) and kept in the cache for a minute per choice; a change
to any entry starts a new version at once (`selectors.catalogue_version`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_safe

from catalogue import present, selectors
from catalogue.forms import GuideForm
from catalogue.guide import EMERGENCY_NUMBERS, WORRIES, WORRY_BY_CODE
from core.access import public

LANGUAGES = {code for code, _name in settings.LANGUAGES}
CACHE_SECONDS = 60


def _language(request: HttpRequest) -> str:
    chosen = request.GET.get("sprak", "")
    return chosen if chosen in LANGUAGES else settings.LANGUAGE_CODE


def _municipality(code: str, municipalities: list):
    return next((m for m in municipalities if m.code == code), municipalities[0] if municipalities else None)


def _page(*, language: str, code: str, age: int | None, worry_code: str, searched: bool) -> str:
    municipalities = list(selectors.guide_municipalities())
    municipality = _municipality(code, municipalities)
    worry = WORRY_BY_CODE.get(worry_code)
    entries = []
    contact_points: list[str] = []
    if municipality is not None:
        found = selectors.public_interventions(municipality, age=age, worry=worry)
        entries = [present.public_entry(item, language=language) for item in found]
        contact_points = selectors.settings_for(municipality).contact_points.splitlines()
    context = {
        "form": GuideForm(initial={"alder": age, "oro": worry_code}),
        "searched": searched,
        "entries": entries,
        "worries": WORRIES,
        "municipalities": municipalities,
        "municipality": municipality,
        "contact_points": [line for line in contact_points if line.strip()],
        "emergency_numbers": EMERGENCY_NUMBERS,
        "language": language,
        "other_language": "en" if language == "sv" else "sv",
    }
    return render_to_string("catalogue/guide.html", context)


@public
@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    """Show the public entries for an age and a worry, the contact points and the emergency numbers."""
    language = _language(request)
    form = GuideForm(request.GET or None)
    age, worry_code = (form.cleaned_data["alder"], form.cleaned_data["oro"]) if form.is_valid() else (None, "")
    code = request.GET.get("kommun", "")
    code = code if code.isdigit() and len(code) == 4 else ""
    searched = form.is_bound
    key = f"catalogue:guide:{selectors.catalogue_version()}:{language}:{code}:{age}:{worry_code}:{searched}"
    content = cache.get(key)
    if content is None:
        with translation.override(language):
            content = _page(language=language, code=code, age=age, worry_code=worry_code, searched=searched)
        cache.set(key, content, CACHE_SECONDS)
    response = HttpResponse(content)
    response["Content-Language"] = language
    if not request.COOKIES:
        # Only a cookieless answer may be kept by shared caches: a signed-in user's session is refreshed on it.
        response["Cache-Control"] = "public, max-age=300"
    return response

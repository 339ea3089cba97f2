"""The English guard: every page reachable from the demo navigation, shown in English, holds no Swedish-only
string from the catalogue (a msgid whose English translation is missing or the same as the Swedish).

Pages are found by e2e/site.py's walk (the persona's menu and the links from there, one address per route).
The failure lists each page and the untranslated strings found on it, so they can be translated centrally
in locale/en/LC_MESSAGES/django.po.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings

from e2e.site import ROLES, build_world, walk_all

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Words that read the same in both languages are not Swedish-only (names of the product and of formats).
SAME_IN_BOTH = {"Samplan", "PDF", "CSV", "API", "E-post", "OK", "Team", "Status", "Information"}
MIN_LENGTH = 4  # shorter msgids ("Ja", "Nej", "av") match inside other words and names too often

SWEDISH_LETTERS = re.compile("[åäöÅÄÖ]")
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)
SPACES = re.compile(r"\s+")
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[sd]|\{[^{}]*\}")


def swedish_only() -> list[str]:
    """Return the catalogue's plain strings (no placeholders) that English pages would show in Swedish."""
    strings = []
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or entry.msgid_plural:
            continue
        text = entry.msgid.strip()
        if len(text) < MIN_LENGTH or text in SAME_IN_BOTH or PLACEHOLDER.search(text):
            continue
        if not entry.msgstr.strip():
            strings.append(text)
        elif entry.msgstr.strip() == text and (" " in text or SWEDISH_LETTERS.search(text)):
            strings.append(text)  # a single word spelt alike in both ("Region", "Video") is English too
    return strings


def page_text(html: str) -> str:
    return SPACES.sub(" ", unescape(TAGS.sub(" ", html)))


def found_in(text: str, strings: list[str]) -> list[str]:
    """Return the strings that appear in the text as whole words."""
    return [s for s in strings if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]


@pytest.mark.django_db
def test_english_pages_show_no_swedish_only_catalogue_strings(cast):
    build_world(cast)
    strings = swedish_only()
    walks = walk_all(cast)
    assert {walk.role for walk in walks} == set(ROLES)
    assert sum(len(walk.pages) for walk in walks) > 20  # the walk reaches the site, not only the start page
    untranslated: dict[str, list[str]] = {}
    for walk in walks:
        walk.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for name, url in walk.pages.items():
            response = walk.client.get(url)
            assert response.status_code == 200, (walk.role, url)
            assert '<html lang="en"' in response.content.decode()
            hits = found_in(page_text(response.content.decode()), strings)
            if hits:
                untranslated[f"{name} ({url}, as {walk.role})"] = hits
    report = "\n".join(f"{page}: {hits}" for page, hits in untranslated.items())
    assert not untranslated, f"Swedish-only strings on English pages (translate in {PO}):\n{report}"

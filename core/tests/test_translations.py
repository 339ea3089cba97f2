"""The English catalogue: complete, up to date with the code, compiled, and used; the language switch shows the
page's language; a child's languages are named in the interface language.

Swedish is the source language (the msgids are Swedish), so only English has a catalogue: locale/en.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from people import present
from testsupport.cast import sign_in

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# What `makemessages -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles` reads, and nothing else.
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", "locale", ".git", "__pycache__"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}

# Placeholders that must survive translation unchanged: %(name)s, %s, %d ... and the HTML tags in a msgid.
PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[a-zA-Z%]")
BRACE = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|span|strong)\b[^>]*>")


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def key(entry: polib.POEntry) -> tuple[str, str, str]:
    return entry.msgctxt or "", entry.msgid, entry.msgid_plural or ""


def placeholders(text: str, flags: list[str]) -> list[str]:
    found = [p for p in PERCENT.findall(text) if p != "%%"] + TAG.findall(text)
    if "python-brace-format" in flags:
        found += BRACE.findall(text)
    return sorted(found)


def translations(entry: polib.POEntry) -> list[tuple[str, str]]:
    """Each (source, translation) pair of an entry; a plural entry gives one pair per form."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [(entry.msgid if n == 0 else entry.msgid_plural, text) for n, text in sorted(entry.msgstr_plural.items())]


# --- The catalogue --------------------------------------------------------------------------------------------


def test_the_english_catalogue_translates_every_entry():
    po = catalogue()
    assert len(po) > 100
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    empty_forms = [entry.msgid for entry in po if entry.msgid_plural and not all(entry.msgstr_plural.values())]
    assert not untranslated, f"Translate these in {PO} (docs/translations.md): {untranslated}"
    assert not fuzzy, f"Check and unflag these fuzzy entries in {PO}: {fuzzy}"
    assert not empty_forms, f"Fill every plural form of: {empty_forms}"
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "en"


def test_every_translation_keeps_the_placeholders_and_tags_of_its_msgid():
    wrong = [
        (source, text)
        for entry in catalogue().translated_entries()
        for source, text in translations(entry)
        if placeholders(source, entry.flags) != placeholders(text, entry.flags)
    ]
    assert not wrong, f"Placeholders or tags differ: {wrong}"


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed: it must be compiled from the current .po (`manage.py compilemessages`)."""
    assert MO.exists(), "Run: python manage.py compilemessages --ignore=.venv --ignore=node_modules"
    compiled = {key(entry): translations(entry) for entry in polib.mofile(str(MO)) if entry.msgid}
    written = {key(entry): translations(entry) for entry in catalogue().translated_entries()}
    assert compiled == written, "django.mo is older than django.po: run manage.py compilemessages"


def test_the_po_file_has_every_string_in_the_code(tmp_path, monkeypatch, settings):
    """Extract the messages afresh from a copy of the sources, so the work tree is never touched."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("xgettext is missing: apt-get install gettext")
        pytest.skip("xgettext is missing (Debian package gettext)")
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = [name for name in subdirs if name not in SKIPPED_DIRS and not name.startswith(".")]
        for name in files:
            if Path(name).suffix in SOURCE_SUFFIXES:
                source = Path(directory, name)
                target = copy / source.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], verbosity=0)
    fresh = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = {key(entry) for entry in catalogue() if not entry.obsolete}
    missing = [
        msgid
        for context, msgid, plural in sorted(key(entry) for entry in fresh)
        if (context, msgid, plural) not in committed
    ]
    assert len(fresh) > 100
    assert not missing, f"Run makemessages -l en and translate (docs/translations.md); missing from {PO}: {missing}"


# --- Pages in either language ----------------------------------------------------------------------------------


def select_options(body: str) -> list[tuple[str, bool]]:
    """The language switch's options as (code, selected)."""
    select = re.search(r'<select id="language-select".*?</select>', body, re.S)
    assert select, "no language switch on the page"
    return [
        (code, " selected" in attributes)
        for code, attributes in re.findall(r'<option value="([^"]+)"([^>]*)>', select.group(0))
    ]


def test_the_login_page_is_swedish_by_default(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="sv"' in body
    assert "<h1>Logga in</h1>" in body
    assert "Användarnamn" in body


def test_the_login_page_is_english_once_english_is_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en"' in body
    assert "<h1>Sign in</h1>" in body
    assert "Username" in body
    assert "Skip to content" in body
    assert "Logga in" not in body


def test_the_chosen_language_wins_over_the_browsers(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Logga in</h1>" in body


def test_the_signed_in_pages_are_english_too(client, cast):
    sign_in(client, cast.named_person)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("core:home")).content.decode()
    assert "Signed in as" in body
    assert ">My children</a>" in body
    assert "Sign out" in body


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_language_switch_selects_the_pages_language(client, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    body = client.get(reverse("accounts:login")).content.decode()
    assert f'<html lang="{language}"' in body
    assert select_options(body) == [("sv", language == "sv"), ("en", language == "en")]


def test_the_language_switch_is_never_restored_by_the_browser(client):
    """A choice picked but not sent must not survive Back or reload, or a Swedish page shows "English"."""
    body = client.get(reverse("accounts:login")).content.decode()
    assert re.search(r'<select id="language-select"[^>]* autocomplete="off"', body)
    assert "/static/js/language-switcher.js" in body


# --- A child's languages ---------------------------------------------------------------------------------------


@pytest.fixture
def child_page(client, cast):
    cast.child.languages = ["sv", "ar", "so", "xx"]
    cast.child.save(update_fields=["languages"])
    sign_in(client, cast.teacher)

    def get(language):
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        return client.get(reverse("people:child", kwargs={"child_id": cast.child.pk})).content.decode()

    return get


def test_the_child_overview_names_the_languages_in_swedish(child_page):
    assert re.search(r"<dt>Språk</dt>\s*<dd>svenska, arabiska, somaliska, xx</dd>", child_page("sv"))


def test_the_child_overview_names_the_languages_in_english(child_page):
    assert re.search(r"<dt>Language</dt>\s*<dd>Swedish, Arabic, Somali, xx</dd>", child_page("en"))


@pytest.mark.parametrize(
    ("language", "code", "name"),
    [
        ("sv", "fi", "finska"),
        ("en", "fi", "Finnish"),
        ("sv", "TI", "tigrinja"),
        ("en", "ti", "Tigrinya"),
        # Known to Django only: its own catalogue, in lower case in Swedish.
        ("sv", "br", "bretonska"),
        ("en", "br", "Breton"),
        ("sv", "qq", "qq"),
    ],
)
def test_it_names_a_language_in_the_interface_language(language, code, name):
    with translation.override(language):
        assert present.language_name(code) == name

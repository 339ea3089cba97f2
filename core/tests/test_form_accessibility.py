"""Forms as the design system means them: check boxes and radio buttons beside their labels, and a failed
submit that says so in the page title (the error summary takes focus in js/page-enhancements.js)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
DESIGN_SYSTEM_CSS = ROOT / "node_modules" / "@digdir" / "designsystemet-css" / "dist" / "src" / "index.css"


def templates() -> list[Path]:
    skipped = {".venv", "node_modules", "staticfiles", ".git"}
    return [path for path in ROOT.rglob("*.html") if not skipped & set(path.relative_to(ROOT).parts)]


def test_templates_use_only_design_system_classes_that_exist_for_check_boxes_and_radio_buttons():
    css = DESIGN_SYSTEM_CSS.read_text(encoding="utf-8")
    assert ".ds-field:has(input[type=radio],input[type=checkbox])" in css  # the field lays them out side by side
    for name in ("ds-checkbox", "ds-radio"):
        assert not re.search(rf"\.{name}[^-\w]", css)  # only helpers such as .ds-checkbox--checked exist
        users = [str(path) for path in templates() if re.search(rf'class="[^"]*\b{name}\b', path.read_text())]
        assert not users, f".{name} does not exist in the installed design system; use .ds-field: {users}"


def test_a_failed_submit_says_so_in_the_page_title(client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>Fel: ", body), re.search(r"<title>.*?</title>", body, re.S).group(0)
    assert "error-summary" in body


def test_a_page_without_errors_has_a_plain_title(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert not re.search(r"<title>Fel: ", body)


def test_every_page_loads_the_script_that_focuses_the_error_summary_and_wraps_wide_tables(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'src="/static/js/page-enhancements.js"' in body
    assert 'data-error-prefix="Fel:"' in body
    assert (ROOT / "static" / "js" / "page-enhancements.js").exists()

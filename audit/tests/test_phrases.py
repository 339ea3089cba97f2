"""Every route and command that writes audit rows has a phrase in words (audit.phrases), in both languages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from audit import phrases
from audit.models import AuditEvent

# Routes that never touch a child's data and so write no audit rows: signing in and out, the API's own
# documentation, the language switch and the health probe.
NOT_LOGGED = {
    "set_language",
    "core:home",
    "core:whoami",
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
}
NOT_LOGGED_NAMESPACES = {"accounts"}
# What a target looks like: a route name, a namespace:name or a task name (not a sentence some other
# `target` keyword holds, such as a programme's target group).
TARGET_SHAPE = re.compile(r"^[a-z][a-z0-9_:\- ]{0,60}$")


def route_names(resolver=None, prefix: str = "") -> list[str]:
    """Return every named route of the project, with its namespaces (e.g. "plans:pdf")."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            names += route_names(pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(prefix + pattern.name)
    return names


def logged_targets_in_code() -> tuple[set[str], set[str]]:
    """Return the targets the code writes as literals, and the namespaces of those it builds (f"api:{NAME}")."""
    literals, namespaces = set(), set()
    root = Path(settings.BASE_DIR)
    for path in root.glob("*/**/*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in {".venv", "node_modules", "bench", "e2e"} or "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = None
            if (isinstance(node, ast.keyword) and node.arg == "target") or (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id.endswith(("TARGET", "TASK_NAME")) for t in node.targets)
            ):
                value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and TARGET_SHAPE.match(value.value):
                literals.add(value.value)
            elif isinstance(value, ast.JoinedStr) and value.values and isinstance(value.values[0], ast.Constant):
                namespaces.add(str(value.values[0].value).split(":", 1)[0])
    return literals, namespaces


def test_it_has_a_phrase_for_every_route():
    missing = [
        name
        for name in route_names()
        if name not in NOT_LOGGED
        and name.split(":", 1)[0] not in NOT_LOGGED_NAMESPACES
        and not phrases.has_own_phrase(name)
    ]
    assert not missing, f"routes without a phrase in audit/phrases.py: {missing}"


def test_it_has_a_phrase_of_its_own_for_every_target_written_in_the_code():
    literals, namespaces = logged_targets_in_code()
    assert "people:child" in literals and "plan_reminders" in literals  # the scan finds what the code logs
    missing = sorted(target for target in literals if target not in phrases.TARGETS)
    assert not missing, f"targets logged in the code without a phrase in audit/phrases.py: {missing}"
    assert namespaces <= set(phrases.NAMESPACES), namespaces - set(phrases.NAMESPACES)


def test_it_has_a_verb_for_every_kind_of_access():
    assert set(phrases.VERBS) == set(AuditEvent.Action.values)


def test_it_says_what_happened_in_words():
    assert phrases.describe(action="read", target="people:child") == "läste barnets översikt"
    assert phrases.describe(action="export", target="plans:pdf") == "hämtade planen som PDF"


def test_it_shows_no_identifier_for_a_target_it_does_not_know():
    text = phrases.describe(action="read", target="removed_app:old_page")
    assert "removed_app" not in text and "old_page" not in text and ":" not in text


def test_it_describes_in_english_when_the_page_is_in_english():
    with translation.override("en"):
        text = phrases.describe(action="read", target="people:child")
    assert "people:child" not in text

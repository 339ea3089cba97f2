"""The layout rules: the application never imports the tests' support package, and the demo modules form no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _production_modules() -> list[Path]:
    local = [Path(config.path) for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)]
    local.append(ROOT / "samplan")
    return [
        path
        for folder in local
        for path in folder.rglob("*.py")
        if "tests" not in path.relative_to(folder).parts and "migrations" not in path.relative_to(folder).parts
    ]


def test_no_production_module_imports_the_test_support():
    modules = _production_modules()
    assert any(path.parts[-2:] == ("demo", "build.py") for path in modules)  # the walk sees the apps
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules
        if any(name == "testsupport" or name.startswith("testsupport.") for name in _imports(path))
    ]
    assert offenders == []


def test_the_test_support_is_not_an_installed_app():
    assert not any(name.split(".")[0] == "testsupport" for name in settings.INSTALLED_APPS)


def test_the_demo_modules_import_no_module_that_imports_them_back():
    modules = {path.stem: _imports(path) for path in (ROOT / "demo").glob("*.py")}
    graph = {
        name: {other for other in modules if other != name and f"demo.{other}" in imported}
        for name, imported in modules.items()
    }

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(step == goal or (step not in seen and reaches(step, goal, seen | {step})) for step in graph[start])

    assert [name for name in graph if reaches(name, name, set())] == []

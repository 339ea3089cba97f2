"""The policy is the only path to child data: no view, API router, export or template tag queries it directly.

The child-data models are found from the schema (the child itself, every model that points at a
child, and every model that points at one of those), so a model added later is guarded without
touching this file. The modules that serve requests may reach those models only through
`sharing.policy` and the apps' selectors and services, which take a `ChildAccess` the policy gave.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import ForeignKey, OneToOneField

from people.models import Child

ROOT = Path(settings.BASE_DIR)
# Records about a child that do not point at it by a foreign key.
EXTRA_CHILD_DATA = {"audit.AuditEvent"}  # the log names the child by id


def child_data_models() -> set[str]:
    """Return "app_label.Model" for the child and every model that points at it, directly or through another."""
    found = {Child._meta.label}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model._meta.label in found:
                continue
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                if isinstance(field, ForeignKey | OneToOneField) and target is not None and target._meta.label in found:
                    found.add(model._meta.label)
                    changed = True
                    break
    return found | EXTRA_CHILD_DATA


def request_modules() -> list[Path]:
    """Return the modules that answer requests: views, API routers, exports and template tags."""
    paths = set()
    for pattern in ("*/views.py", "*/views/*.py", "api/routers/*.py", "*/templatetags/*.py", "*/export*.py"):
        paths.update(ROOT.glob(pattern))
    return sorted(path for path in paths if ".venv" not in path.parts and "tests" not in path.parts)


def _imported_models(tree: ast.AST, labels: set[str]) -> dict[str, str]:
    """Return local name -> model label for child-data models imported by the module."""
    by_module = {}
    for label in labels:
        model = apps.get_model(label)
        by_module[(model.__module__, model.__name__)] = label
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                label = by_module.get((node.module, alias.name))
                if label:
                    names[alias.asname or alias.name] = label
    return names


MANAGERS = {"objects", "_default_manager", "_base_manager"}


def _given_to_the_policy(tree: ast.AST) -> set[ast.AST]:
    """Return the nodes inside the arguments of a `policy.…(…)` call: querysets the policy itself filters."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "policy":
                for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                    inside.update(ast.walk(argument))
    return inside


def offences(source: str, labels: set[str], *, filename: str = "<module>") -> list[str]:
    """Return "file:line Model.objects" for each direct query of a child-data model in the source."""
    tree = ast.parse(source, filename=filename)
    imported = _imported_models(tree, labels)
    filtered = _given_to_the_policy(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS and node not in filtered:
            owner = node.value
            # `Child.objects` after `from people.models import Child`, or `models.Child.objects` on a module.
            name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else None
            if name in imported or any(label.endswith(f".{name}") for label in labels):
                found.append(f"{filename}:{node.lineno} {name}.{node.attr}")
    return found


def test_it_finds_the_child_data_models():
    labels = child_data_models()
    assert {"people.Child", "people.Guardianship", "plans.ChildPlan", "plans.PlanVersion", "sharing.Consent"} <= labels
    assert "organisations.Unit" not in labels


def test_it_catches_a_planted_query():
    planted = (
        "from plans.models import ChildPlan\n"
        "def plan_page(request, plan_id):\n"
        "    return ChildPlan.objects.get(pk=plan_id)\n"
    )
    assert offences(planted, child_data_models(), filename="planted.py") == ["planted.py:3 ChildPlan.objects"]


def test_it_lets_a_queryset_given_to_the_policy_pass():
    filtered = (
        "from plans.models import ChildPlan\n"
        "from sharing import policy\n"
        "def plans(access):\n"
        "    return policy.records_for_user(access, ChildPlan.objects.all())\n"
    )
    assert offences(filtered, child_data_models()) == []


def test_it_lets_staff_and_organisation_queries_pass():
    harmless = "from organisations.models import Unit\ndef units(request):\n    return Unit.objects.all()\n"
    assert offences(harmless, child_data_models()) == []


@pytest.mark.parametrize("path", request_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_it_reads_child_data_only_through_the_policy(path):
    found = offences(path.read_text(), child_data_models(), filename=str(path.relative_to(ROOT)))
    assert not found, (
        "These request modules query child data directly; load it through sharing.policy "
        f"(or a selector that takes the policy's ChildAccess): {found}"
    )

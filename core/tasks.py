"""The registry of time-based tasks that `manage.py run_due_tasks` runs.

Each app registers its tasks in its own `tasks.py` with `@register("name")`. A task receives the
day to act for and returns a one-line summary. Tasks must be idempotent and must not assume they
ran recently: a scheduler may call the command every minute or once a week, and the access policy
checks dates itself, so a late run only makes the records tidier, never changes who may see what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

TaskFunction = Callable[[date], str]

_tasks: dict[str, TaskFunction] = {}


@dataclass(frozen=True)
class TaskResult:
    name: str
    summary: str
    error: BaseException | None = None


def register(name: str) -> Callable[[TaskFunction], TaskFunction]:
    """Register a task under a unique name."""

    def decorator(function: TaskFunction) -> TaskFunction:
        registered = _tasks.get(name)
        if registered is not None and registered.__qualname__ != function.__qualname__:
            raise ImproperlyConfigured(f"Two tasks are registered as {name!r}.")
        _tasks[name] = function
        return function

    return decorator


def discover() -> None:
    """Import the `tasks` module of every Samplan app (third-party apps are left alone)."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if Path(config.path).resolve().is_relative_to(base) and module_has_submodule(config.module, "tasks"):
            import_module(f"{config.name}.tasks")


def registered() -> list[str]:
    """Return the names of all registered tasks, in registration order."""
    discover()
    return list(_tasks)


def run_all(on: date, *, only: list[str] | None = None) -> list[TaskResult]:
    """Run every registered task (or the named ones) for a day; one failing task does not stop the others."""
    names = registered()
    unknown = sorted(set(only or []) - set(names))
    if unknown:
        raise ValueError(f"Okänd uppgift: {', '.join(unknown)}. Kända uppgifter: {', '.join(names)}.")
    results = []
    for name in names:
        if only and name not in only:
            continue
        try:
            results.append(TaskResult(name, _tasks[name](on)))
        except Exception as exc:  # reported per task; the command exits non-zero afterwards
            results.append(TaskResult(name, "", exc))
    return results

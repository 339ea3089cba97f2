"""Test data built once per test module: the cast, a demo municipality, an API test world.

A fixture made with `per_module` builds its data at most once per test module, in a transaction left open around
the module's tests (an outer atomic block). pytest-django runs each test in a savepoint inside it and rolls that
back, so no test sees another's writes, and each test gets its own deep copy of the built objects, so changes
to them in memory do not carry over either. The Django cache is emptied before each such test: the built ids
repeat from test to test, and nothing cached for them may carry over.

The transaction matches the test: a module's data is rebuilt when a test asks for other per-module fixtures than
the one before, and is rolled back for a test that asks for none (it sees an empty database, as before).
Transactional tests (the live server, `transactional_db`, `django_db(transaction=True)`) commit for real and
cannot run inside it: their per-module fixtures build afresh inside the test, as plain fixtures do.

The root conftest.py calls `before_database_setup` from pytest's `pytest_fixture_setup` hook, just before
pytest-django opens a test's own transaction, and `module_finished` at the end of each module.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from pytest_django.fixtures import validate_django_db

_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@dataclass(frozen=True)
class _Builder:
    name: str
    home: str  # the module that defines it: a test module, or a conftest (then its package and below)
    build: Callable
    needs: tuple[str, ...]

    def serves(self, module_name: str) -> bool:
        if self.home == module_name or self.home == "conftest":
            return True
        package = self.home.removesuffix("conftest")
        return package != self.home and module_name.startswith(package)


_builders: dict[str, list[_Builder]] = {}


def per_module(*, needs: tuple[str, ...] = ()):
    """Make the decorated builder a fixture of the same name whose data is built once per test module.

    The builder gets the values of the per-module fixtures it `needs` as keyword arguments.
    """

    def decorate(build: Callable):
        home = sys._getframe(1).f_globals["__name__"]
        builder = _Builder(name=build.__name__, home=home, build=build, needs=needs)
        _builders.setdefault(builder.name, []).append(builder)

        @pytest.fixture(name=builder.name)
        def fixture(request, db):
            values = _state.values_for(request.node)
            if values is not None:
                return values[builder.name]
            # A transactional test (or a fixture not known when the test started): build it afresh.
            return builder.build(**{need: request.getfixturevalue(need) for need in builder.needs})

        fixture.__doc__ = build.__doc__
        return fixture

    return decorate


def _builder_for(name: str, module_name: str) -> _Builder | None:
    serving = [builder for builder in _builders.get(name, ()) if builder.serves(module_name)]
    return max(serving, key=lambda builder: len(builder.home.removesuffix("conftest")), default=None)


def _wanted(item) -> tuple[_Builder, ...]:
    """The per-module fixtures the test uses, each after those it needs."""
    module_name = item.module.__name__
    ordered: list[_Builder] = []

    def add(name: str) -> None:
        builder = _builder_for(name, module_name)
        if builder is None or builder in ordered:
            return
        for need in builder.needs:
            add(need)
        ordered.append(builder)

    for name in item.fixturenames:
        add(name)
    return tuple(ordered)


def _is_transactional(item) -> bool:
    if _TRANSACTIONAL_FIXTURES & set(item.fixturenames):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transactional, reset_sequences, _databases, serialized_rollback, _apps = validate_django_db(marker)
    return bool(transactional or reset_sequences or serialized_rollback)


def _key(item) -> tuple[str, ...]:
    if not hasattr(item, "module") or _is_transactional(item):
        return ()
    return tuple(builder.name for builder in _wanted(item))


def group_by_module_data(items: list) -> None:
    """Within each module, run the tests that use the same per-module fixtures one after another (in place).

    The order is otherwise kept: groups in the order of their first test, tests in their order within a group.
    """
    grouped: list = []
    start = 0
    while start < len(items):
        module = getattr(items[start], "module", None)
        end = start
        while end < len(items) and getattr(items[end], "module", None) is module:
            end += 1
        groups: dict[tuple[str, ...], list] = {}
        for item in items[start:end]:
            groups.setdefault(_key(item), []).append(item)
        for group in groups.values():
            grouped += group
        start = end
    items[:] = grouped


class _ModuleData:
    """The data built for the current module, and the open transaction it lives in, if any."""

    def __init__(self) -> None:
        self.module = None
        self.builders: tuple[_Builder, ...] = ()
        self.atomic = None
        self.built: dict[str, object] = {}
        self.item = None  # the test the copies below belong to
        self.copies: dict[str, object] | None = None

    def is_open(self) -> bool:
        return self.atomic is not None and connection.atomic_blocks == [self.atomic] and not connection.needs_rollback

    def open(self, module, builders: tuple[_Builder, ...]) -> None:
        self.module, self.builders = module, builders
        self.atomic = transaction.atomic()
        self.atomic._from_testcase = True  # as Django's TestCase marks its own: durable blocks may open inside
        self.atomic.__enter__()
        try:
            for builder in builders:
                self.built[builder.name] = builder.build(**{need: self.built[need] for need in builder.needs})
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        atomic = self.atomic
        self.module, self.builders, self.atomic, self.built = None, (), None, {}
        self.item, self.copies = None, None
        if atomic is not None and connection.atomic_blocks[:1] == [atomic]:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def prepare(self, item) -> None:
        builders = () if _is_transactional(item) else _wanted(item)
        if builders and (self.module, self.builders) == (item.module, builders) and self.is_open():
            pass
        else:
            self.close()
            if builders:
                self.open(item.module, builders)
        self.item, self.copies = (item, None) if builders else (None, None)
        if builders:
            cache.clear()

    def values_for(self, item) -> dict[str, object] | None:
        if self.item is not item:
            return None
        if self.copies is None:
            self.copies = copy.deepcopy(self.built)  # one copy for all, so objects shared between them stay shared
        return self.copies


_state = _ModuleData()


def before_database_setup(item, django_db_blocker) -> None:
    """Open, keep or close the module's data to suit the test, before its own transaction starts."""
    with django_db_blocker.unblock():
        _state.prepare(item)


def module_finished(django_db_blocker) -> None:
    if _state.atomic is not None:
        with django_db_blocker.unblock():
            _state.close()

"""Querysets compiled once per shape, then run with each request's values as parameters.

Building and compiling a large condition with Django's ORM costs more CPU than PostgreSQL spends
running it. A `Prepared` query is built by an ordinary queryset function, so the rule it expresses
stays written once, in the ORM; its SQL is compiled the first time a *shape* is asked for (the
database, the configuration it depends on, which values are None, the length of each list) and
reused after that with the new values bound as parameters.

To be sure that every value reaches the SQL only as a parameter, the first compilation builds the
queryset twice with two different sets of marker values and requires the same SQL from both, with
every parameter either one of the markers or the same constant in both. A value the function derives
from another (a date from a moment, say) would differ between the builds without being a marker, and
is refused: pass it in as a value of its own. A value the function reads for itself (the clock, the
database) would be the same in both builds and be baked in: the function must not read either, and
`sharing.policy.today()` refuses to answer while a query is being prepared.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

Value = int | uuid.UUID | date | datetime | tuple | None


class ShapeError(Exception):
    """The queryset's SQL depends on a value in a way the parameters cannot carry."""


_preparing: ContextVar[bool] = ContextVar("samplan_preparing", default=False)


def refuse_while_preparing(what: str) -> None:
    """Raise ShapeError if a query is being prepared: `what` (the clock, say) would be baked into its SQL."""
    if _preparing.get():
        raise ShapeError(f"A prepared query read {what} while it was built; pass it in as a value.")


@dataclass(frozen=True)
class _Slot:
    name: str | None  # the value this parameter carries, or None for a constant
    index: int | None  # the position in a tuple value
    adapt: str  # how the backend adapted the marker: "raw", "hex", "date", "datetime"
    constant: object = None


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the query can match nothing (Django raised EmptyResultSet)
    slots: tuple[_Slot, ...]


class Prepared:
    """A queryset function whose SQL is compiled once per shape (see the module docstring)."""

    def __init__(self, build: Callable[..., QuerySet], *, depends_on: Callable[[], Hashable] = lambda: None) -> None:
        self.build = build
        self.depends_on = depends_on  # configuration the SQL bakes in (settings): part of the shape
        self._compiled: dict[Hashable, _Compiled] = {}
        self._lock = threading.Lock()

    def sql(self, using: str = "default", **values: Value) -> tuple[str | None, list]:
        """Return the SQL and parameters for these values; the SQL is None when nothing can match."""
        key = (using, self.depends_on(), tuple(sorted((name, _shape(value)) for name, value in values.items())))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(using, values)
            with self._lock:
                self._compiled[key] = compiled
        if compiled.sql is None:
            return None, []
        ops = connections[using].ops
        return compiled.sql, [_bind(slot, values, ops) for slot in compiled.slots]

    def _compile(self, using: str, values: dict[str, Value]) -> _Compiled:
        ops = connections[using].ops
        token = _preparing.set(True)
        try:
            builds = [self._build(using, values, build) for build in (0, 1)]
        finally:
            _preparing.reset(token)
        (sql, first, markers), (other_sql, second, other_markers) = builds
        if sql != other_sql or len(first) != len(second):
            raise ShapeError(f"{self.build.__qualname__}: the SQL depends on a value, not only its parameters.")
        forms = _forms(markers, ops)
        other_forms = _forms(other_markers, ops)
        slots = []
        for param, other in zip(first, second, strict=True):
            found = forms.get(_hashable(param))
            if found is not None and other_forms.get(_hashable(other)) == found:
                slots.append(found)
            elif param == other and found is None:
                slots.append(_Slot(None, None, "raw", param))
            else:
                raise ShapeError(f"{self.build.__qualname__}: a parameter is derived from a value ({param!r}).")
        return _Compiled(sql, tuple(slots))

    def _build(self, using: str, values: dict[str, Value], build: int) -> tuple[str | None, list, dict]:
        markers = {name: _marker(value, build, number) for number, (name, value) in enumerate(values.items())}
        try:
            sql, params = self.build(**markers).query.get_compiler(using).as_sql()
        except EmptyResultSet:
            sql, params = None, ()
        return sql, list(params), markers


def _shape(value: Value) -> Hashable:
    if value is None:
        return None
    if isinstance(value, tuple):
        return ("tuple", len(value))
    return type(value).__name__


def _marker(value: Value, build: int, number: int) -> Value:
    """Return a value of the same shape that no real value has, different per build and per value."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(_marker(item, build, number * 1000 + index + 1) for index, item in enumerate(value))
    serial = (build + 1) * 100_000 + number
    if isinstance(value, bool):
        raise ShapeError("A boolean changes the SQL's shape; build separate queries for each.")
    if isinstance(value, int):
        return -(10**12) - serial
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=(0xFEED << 112) + serial)
    if isinstance(value, datetime):
        return datetime(1000 + serial % 800, 1 + build, 1 + number % 28, 7, 13, 17, 1 + serial, tzinfo=UTC)
    if isinstance(value, date):
        return date(1000 + serial % 800, 1 + build, 1 + number % 28)
    raise ShapeError(f"Cannot prepare a value of type {type(value).__name__}.")


def _adapted(kind: str, value: object, ops) -> object:
    if kind == "hex":
        return value.hex
    if kind == "date":
        return ops.adapt_datefield_value(value)
    if kind == "datetime":
        return ops.adapt_datetimefield_value(value)
    return value


def _forms(markers: dict[str, Value], ops) -> dict[Hashable, _Slot]:
    """Map every form a marker can take once the backend has adapted it to the slot it fills."""
    forms: dict[Hashable, _Slot] = {}
    for name, marker in markers.items():
        items = enumerate(marker) if isinstance(marker, tuple) else [(None, marker)]
        for index, item in items:
            if item is None:
                continue
            kinds = ["raw"]
            if isinstance(item, uuid.UUID):
                kinds.append("hex")
            elif isinstance(item, datetime):
                kinds.append("datetime")
            elif isinstance(item, date):
                kinds.append("date")
            for kind in kinds:
                forms.setdefault(_hashable(_adapted(kind, item, ops)), _Slot(name, index, kind))
    return forms


def _hashable(value: object) -> Hashable:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return (type(value).__name__, value)


def _bind(slot: _Slot, values: dict[str, Value], ops) -> object:
    if slot.name is None:
        return slot.constant
    value = values[slot.name]
    if slot.index is not None:
        value = value[slot.index]
    return _adapted(slot.adapt, value, ops)


# --- Planned once per connection: a server-side prepared statement (PostgreSQL) ---

# Server types declared for the parameters of a server-side statement, by the Python type of the value.
_SERVER_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "bigint"),
    (datetime, "timestamptz"),
    (date, "date"),
    (uuid.UUID, "uuid"),
)
_PLACEHOLDER = re.compile(r"%%|%s")


def execute_planned(using: str, sql: str, params: list) -> list[tuple]:
    """Run a SELECT and return its rows; on PostgreSQL, planned once per database connection (see below)."""
    return execute_planned_described(using, sql, params)[0]


def execute_planned_described(using: str, sql: str, params: list) -> tuple[list[tuple], list]:
    """Run a SELECT and return its rows and their description; on PostgreSQL, planned once per connection.

    Planning a statement of many sub-queries can cost PostgreSQL more than running it. On PostgreSQL
    (unless `SAMPLAN_PG_PREPARE` is off) the statement is sent once per connection as `PREPARE` (through
    the driver's own cursor: connection set-up, like the session settings, not a statement of the page)
    and then run as `EXECUTE` with this request's values; the connection uses generic plans
    (`plan_cache_mode`, set by the settings when the connection opens), so the server plans it once and keeps
    the plan for the connection's life. Elsewhere it runs as it is.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or not getattr(settings, "SAMPLAN_PG_PREPARE", True):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall(), cursor.description
    types = tuple(_server_type(value) for value in params)
    name = "samplan_" + hashlib.sha256(f"{types}{sql}".encode()).hexdigest()[:24]
    with connection.cursor() as cursor:  # opens the connection if it is not open yet
        raw = connection.connection
        key = (id(raw), raw.info.backend_pid)
        known = connection.__dict__.get("_samplan_planned")
        if known is None or known[0] != key:
            known = connection.__dict__["_samplan_planned"] = (key, set())
        if name not in known[1]:
            numbers = iter(range(1, len(params) + 1))
            text = _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql)
            with raw.cursor() as setup:
                setup.execute(
                    f"PREPARE {name} ({', '.join(types)}) AS {text}" if types else f"PREPARE {name} AS {text}"
                )
            known[1].add(name)
        cursor.execute(f"EXECUTE {name}" + (f"({', '.join(['%s'] * len(params))})" if params else ""), params)
        return cursor.fetchall(), cursor.description


def _server_type(value: object) -> str:
    for python_type, server_type in _SERVER_TYPES:
        if isinstance(value, python_type):
            return server_type
    return "unknown"  # inferred from where the parameter is used (text compared with a column, say)

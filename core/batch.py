"""Several independent querysets read in one SQL statement, each still giving what it would give on its own.

A page that shows many panels reads each panel's rows with its own queryset, built by the same functions
as before (the access policy's filtered reads, with their joins and annotations). Each such read costs a
round trip of its own. A `Batch` collects the querysets a page needs *before* it reads any of them, and
sends them as one SELECT: every part is Django's own compilation of its queryset, numbered by
`row_number()` in its own order, and the parts sit side by side, joined to a small table of part numbers
so that each row belongs to exactly one part. The rows of a part are then handed back to Django's own
iterable for that queryset (model instances with their joined rows and annotations, values, value lists),
so the result is what iterating the queryset would give.

Only reads whose querysets do not depend on each other's results can share a statement. A page reads in
two steps: it adds every read to a batch (`add`, `count`, `first`), runs the batch once, then builds its
panels from the loaded parts; a read that depends on loaded rows is an ordinary query after that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.constants import MULTI

from core.prepared import execute_planned_described

T = TypeVar("T")

_NOT_RUN = object()


@dataclass
class Part:
    """One read of a batch: its rows once the batch has run (`rows`, `count` or `first`)."""

    queryset: QuerySet
    kind: str  # "rows", "count" or "first"
    _value: Any = field(default=_NOT_RUN, repr=False)

    @property
    def value(self) -> Any:
        if self._value is _NOT_RUN:
            raise RuntimeError("The batch this read belongs to has not run yet.")
        return self._value


@dataclass
class Related:
    """The rows of a reverse foreign key read in a batch, to hand out to the parents once they are loaded."""

    part: Part
    name: str
    attname: str  # the foreign key's column on the related rows
    target: str  # the parent's field it refers to

    def attach(self, parents) -> None:
        """Give each parent its related rows, in the queryset's order, as `prefetch_related` would."""
        by_parent: dict = {}
        for row in self.part.value:
            by_parent.setdefault(getattr(row, self.attname), []).append(row)
        for parent in parents:
            attach(parent, self.name, by_parent.get(getattr(parent, self.target), []))


class Batch:
    """Querysets collected first and read in one statement (`run`)."""

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self.parts: list[Part] = []
        self.ran = False

    def add(self, queryset: QuerySet) -> Part:
        """Read every row of the queryset (as `list(queryset)` would), in its order."""
        return self._part(queryset, "rows")

    def count(self, queryset: QuerySet) -> Part:
        """Count the queryset's rows (as `queryset.count()` would)."""
        return self._part(queryset, "count")

    def first(self, queryset: QuerySet) -> Part:
        """Read the queryset's first row or None (as `queryset.first()` would)."""
        queryset = queryset.all()  # a fresh queryset: slicing one already read would give a list
        if not queryset.ordered:
            queryset = queryset.order_by("pk")
        return self._part(queryset[:1], "first")

    def related(self, parents: QuerySet, name: str, queryset: QuerySet | None = None) -> Related:
        """Read the rows of a reverse foreign key (`name`) of every row of `parents`, as `prefetch_related` would.

        `queryset` (of the related model) gives their joins and order, as in a `Prefetch`; without it the
        related model's default manager and ordering. The parents are a sub-query of the same statement, so
        the related rows can be read before the parents themselves; `Related.attach` hands them out.
        """
        relation = parents.model._meta.get_field(name)
        key = relation.field  # the foreign key on the related model
        rows = queryset if queryset is not None else relation.related_model._default_manager.all()
        target = key.target_field.attname
        part = self.add(rows.filter(**{f"{key.name}__in": parents.order_by().values(target)}))
        return Related(part, name, key.attname, target)

    def _part(self, queryset: QuerySet, kind: str) -> Part:
        if self.ran:
            raise RuntimeError("This batch has already run; start a new one.")
        part = Part(queryset, kind)
        self.parts.append(part)
        return part

    def run(self) -> None:
        """Read every part in one statement (none if no part can match anything)."""
        self.ran = True
        connection = connections[self.using]
        compiled = []  # (part, compiler, sql, params) of the parts that can match something
        for part in self.parts:
            queryset = part.queryset
            if part.kind == "count" and not queryset.query.is_sliced:
                queryset = queryset.order_by()  # counted as it stands (grouped, distinct …), in no order
            compiler = queryset.query.get_compiler(self.using)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # the queryset can match nothing: Django would not ask the database either
                part._value = {"rows": [], "count": 0, "first": None}[part.kind]
                continue
            if part.kind == "count":
                sql = f"SELECT COUNT(*) FROM ({sql}) q"  # noqa: S608 (Django's own compilation)
            compiled.append((part, compiler, sql, list(params)))
        if not compiled:
            return
        rows_of: list[list[tuple[int, tuple]]] = [[] for _ in compiled]
        for number, rows in _read(connection, compiled):
            rows_of[number] = rows
        for (part, compiler, _sql, _params), rows in zip(compiled, rows_of, strict=True):
            if part.kind == "count":
                part._value = rows[0][1][0] if rows else 0  # (position, (count,))
            else:
                part._value = _finish(part, compiler, [row for _, row in sorted(rows, key=lambda pair: pair[0])])


def _read(connection, compiled) -> list[tuple[int, list[tuple[int, tuple]]]]:
    """Send the parts as one SELECT; return each part's rows with their position in the part's own order."""
    # Every part is SQL Django compiled, its values bound as parameters; only part numbers are written in.
    # Each part is a materialised common table expression, so it runs once whatever the plan of the joins.
    quote = connection.ops.quote_name
    parts, params = [], []
    for number, (_part, _compiler, sql, found) in enumerate(compiled):
        marker = quote(f"_part{number}")
        parts.append(
            f"batch{number} AS MATERIALIZED (SELECT ROW_NUMBER() OVER () AS {marker}, q.* FROM ({sql}) q)"  # noqa: S608
        )
        params.extend(found)
    numbers = " UNION ALL ".join(f"SELECT {number} AS _batch_part" for number in range(len(compiled)))
    joins = " ".join(f"LEFT JOIN batch{number} ON batch._batch_part = {number}" for number in range(len(compiled)))
    sql = f"WITH {', '.join(parts)} SELECT * FROM ({numbers}) batch {joins}"  # noqa: S608
    # Planned once per connection and shape (core.prepared): planning this many parts costs more than running them.
    rows, description = execute_planned_described(connection.alias, sql, params)
    names = [column[0] for column in description]
    starts = [names.index(f"_part{number}") for number in range(len(compiled))]
    ends = [*starts[1:], len(names)]
    found: dict[int, list[tuple[int, tuple]]] = {number: [] for number in range(len(compiled))}
    for row in rows:
        number = row[0]
        position = row[starts[number]]
        if position is not None:  # None: the part has no rows (its one row of NULLs from the LEFT JOIN)
            found[number].append((position, tuple(row[starts[number] + 1 : ends[number]])))
    return list(found.items())


def _finish(part: Part, compiler, rows: list[tuple]) -> Any:
    """Hand the part's rows to the queryset's own iterable, as if the queryset had read them itself."""
    if compiler.has_extra_select:
        rows = [row[: compiler.col_count] for row in rows]
    queryset = part.queryset._chain()
    queryset.query.get_compiler = lambda using=None, connection=None, elide_empty=True: compiler
    compiler.execute_sql = lambda result_type=MULTI, chunked_fetch=False, chunk_size=None: iter([rows])
    loaded = list(queryset)
    if part.kind == "first":
        return loaded[0] if loaded else None
    return loaded


def attach(instance, name: str, rows) -> None:
    """Make `instance.<name>.all()` give rows already read (in a batch), as `prefetch_related` would leave it.

    `name` is a reverse foreign key or a many-to-many field of the instance; the rows are its related
    objects, in the order to show.
    """
    manager = getattr(instance, name)
    rows = list(rows)
    if hasattr(manager, "prefetch_cache_name"):  # many-to-many
        cache_name = manager.prefetch_cache_name
    else:  # reverse foreign key: each row knows its instance, as after a prefetch
        cache_name = manager.field.remote_field.cache_name
        for row in rows:
            manager.field.set_cached_value(row, instance)
    queryset = manager.get_queryset()  # builds the related queryset; reads nothing
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset


def at_once(reads: Callable[[Batch], Callable[[], T]], using: str = "default") -> T:
    """Run a two-step read (add to a batch, then build from it) on its own batch: for callers with nothing to share."""
    batch = Batch(using)
    finish = reads(batch)
    batch.run()
    return finish()

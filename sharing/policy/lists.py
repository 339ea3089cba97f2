"""The list of children a user may see, a page at a time, over the precomputed access relation.

The page starts from the index on (user, sort key, child) of `sharing.models.AccessRelation`, so
a page of 25 costs the same for a caseload of 30 or 30 000: keyset pagination (the page after or
before a given child), never an offset, and the count is exact only up to `COUNT_CAP`.

Children whose identity the user may see come first, by name or birth date; protected children
the user may not identify come last, by id alone, and a name search never matches them
(DOMAIN.md B5). A row of the relation shows a protected child's identity only when it is the
child's named person or an assignment with a secrecy assessment (`shows_identity`); the child's
protection is read from the child row, so a new marking acts at once.

The statements are written once, as SQL with parameters, rather than built per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import connection

from people.models import Child, Protection
from sharing.models import AccessRelation
from sharing.policy.rules import consults

COUNT_CAP = 1000
PAGE_SIZE = 25

# Keys each sort orders by (before the child's id, the tie-break).
SORT_KEYS = {"name": ("name_key",), "born": ("birth_date", "name_key")}

# The user's rows valid on the day, one row standing for each child: the earliest valid row among
# those that list the child the same way (so a child related in two ways is listed once).
_IDENTIFIED = """
SELECT r.child_id FROM sharing_accessrelation r JOIN people_child c ON c.id = r.child_id
WHERE r.user_id = %(user)s AND r.valid_from <= %(on)s AND (r.valid_to IS NULL OR r.valid_to >= %(on)s)
  AND (c.protection = %(none)s OR r.shows_identity)
  AND NOT EXISTS (
    SELECT 1 FROM sharing_accessrelation d
    WHERE d.user_id = %(user)s AND d.child_id = r.child_id AND d.id < r.id
      AND d.valid_from <= %(on)s AND (d.valid_to IS NULL OR d.valid_to >= %(on)s)
      AND (d.shows_identity OR c.protection = %(none)s))
"""
_MASKED = """
SELECT r.child_id FROM sharing_accessrelation r JOIN people_child c ON c.id = r.child_id
WHERE r.user_id = %(user)s AND r.valid_from <= %(on)s AND (r.valid_to IS NULL OR r.valid_to >= %(on)s)
  AND c.protection <> %(none)s
  AND NOT EXISTS (
    SELECT 1 FROM sharing_accessrelation s
    WHERE s.user_id = %(user)s AND s.child_id = r.child_id AND s.shows_identity
      AND s.valid_from <= %(on)s AND (s.valid_to IS NULL OR s.valid_to >= %(on)s))
  AND NOT EXISTS (
    SELECT 1 FROM sharing_accessrelation d
    WHERE d.user_id = %(user)s AND d.child_id = r.child_id AND d.id < r.id
      AND d.valid_from <= %(on)s AND (d.valid_to IS NULL OR d.valid_to >= %(on)s))
"""
_ANY = """
SELECT r.child_id FROM sharing_accessrelation r
WHERE r.user_id = %(user)s AND r.valid_from <= %(on)s AND (r.valid_to IS NULL OR r.valid_to >= %(on)s)
  AND NOT EXISTS (
    SELECT 1 FROM sharing_accessrelation d
    WHERE d.user_id = %(user)s AND d.child_id = r.child_id AND d.id < r.id
      AND d.valid_from <= %(on)s AND (d.valid_to IS NULL OR d.valid_to >= %(on)s))
"""


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (or before) this child, which is identified or masked in the list."""

    child_id: UUID
    masked: bool
    before: bool = False


@dataclass(frozen=True)
class ListPage:
    """One page of the list: child ids in order, whether pages follow and precede, the capped count."""

    child_ids: list[UUID]
    has_next: bool
    has_previous: bool
    count: int  # exact when `count_capped` is false; otherwise more than COUNT_CAP children match
    count_capped: bool
    masked: frozenset[UUID]


def _uuid(value: UUID):
    return Child._meta.pk.get_db_prep_value(value, connection)


def _fetch(sql: str, params: dict) -> list[UUID]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [UUID(str(row[0])) if not isinstance(row[0], UUID) else row[0] for row in cursor.fetchall()]


def _search(terms: list[str], params: dict) -> str:
    """Return the condition that every term starts a word of the child's name (the keys are folded)."""
    conditions = []
    for number, term in enumerate(terms):
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params[f"term{number}"] = f"% {escaped}%"
        conditions.append(f" AND r.search_key LIKE %(term{number})s ESCAPE '\\'")
    return "".join(conditions)


def _identified(params: dict, *, sort: str, descending: bool, backwards: bool, after: tuple | None, search: str):
    keys = [f"r.{key}" for key in SORT_KEYS[sort]] + ["r.child_id"]
    reverse = descending != backwards
    sql = _IDENTIFIED + search
    if after is not None:
        for number, value in enumerate(after):
            params[f"key{number}"] = value
        placeholders = ", ".join(f"%(key{number})s" for number in range(len(after)))
        sql += f" AND ({', '.join(keys)}) {'<' if reverse else '>'} ({placeholders})"
    order = " DESC" if reverse else ""
    # Only the constant fragments above and column names are joined; every value is a parameter.
    return _fetch(sql + " ORDER BY " + ", ".join(key + order for key in keys) + " LIMIT %(limit)s", params)


def _masked(params: dict, *, backwards: bool, after: UUID | None) -> list[UUID]:
    sql = _MASKED
    if after is not None:
        params["after"] = _uuid(after)
        sql += f" AND r.child_id {'<' if backwards else '>'} %(after)s"
    return _fetch(sql + f" ORDER BY r.child_id{' DESC' if backwards else ''} LIMIT %(limit)s", params)


def _count(params: dict, search: str) -> int:
    sql = (_IDENTIFIED + search) if search else _ANY
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql} LIMIT {COUNT_CAP + 1}) counted", params)  # noqa: S608
        return cursor.fetchone()[0]


def _cursor_keys(user, on: date, cursor: Cursor, sort: str) -> tuple | None:
    row = AccessRelation.objects.filter(user=user.pk, child=cursor.child_id).values_list(*SORT_KEYS[sort]).first()
    if row is None:
        return None
    prepared = tuple(connection.ops.adapt_datefield_value(v) if isinstance(v, date) else v for v in row)
    return (*prepared, _uuid(cursor.child_id))


@consults
def visible_page(
    user,
    *,
    on: date,
    sort: str = "name",
    descending: bool = False,
    terms: list[str] | tuple[str, ...] = (),
    cursor: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> ListPage:
    """Return one page of the children the user may see on a day (`terms` are folded name prefixes)."""
    if not (user.is_authenticated and user.is_active):
        return ListPage([], False, False, 0, False, frozenset())  # deny by default, as visible_children
    params = {"user": user.pk, "on": connection.ops.adapt_datefield_value(on), "none": Protection.NONE}
    search = _search(list(terms), params)
    params["limit"] = size + 1
    if cursor is not None and not cursor.masked:
        after = _cursor_keys(user, on, cursor, sort)
        if after is None:
            cursor = None  # the child left the list: start again from the top
    backwards = cursor is not None and cursor.before
    order = {"sort": sort, "descending": descending, "backwards": backwards, "search": search}
    identified: list[UUID] = []
    masked: list[UUID] = []
    if backwards:
        if cursor.masked:
            masked = _masked(params, backwards=True, after=cursor.child_id)
        if len(masked) <= size and not (cursor.masked and search):
            params["limit"] = size + 1 - len(masked)
            identified = _identified(params, **order, after=None if cursor.masked else after)
        ids = (masked + identified)[: size + 1]
        more = len(ids) > size
        ids = list(reversed(ids[:size]))
        has_next, has_previous = True, more
    else:
        if cursor is None or not cursor.masked:
            identified = _identified(params, **order, after=after if cursor is not None else None)
        if len(identified) <= size and not search:
            params["limit"] = size + 1 - len(identified)
            masked = _masked(params, backwards=False, after=cursor.child_id if cursor and cursor.masked else None)
        ids = (identified + masked)[: size + 1]
        has_next, has_previous = len(ids) > size, cursor is not None
        ids = ids[:size]
    count = _count(params, search)
    return ListPage(ids, has_next, has_previous, min(count, COUNT_CAP), count > COUNT_CAP, frozenset(masked))

"""Insert many new rows at once with PostgreSQL's COPY, as `bulk_create` would but without its per-value cost.

`bulk_create` prepares every value of every row through the ORM's compiler and the driver's quoting;
for an import of hundreds of thousands of rows that is most of the time. COPY streams the rows in
one statement. The contract is `bulk_create`'s, for new rows only:

- primary keys: a default (a UUID) is used as is; an auto-increment key is taken from the table's
  sequence first (one query per call) and set on the objects, so the caller can name the rows;
- `auto_now` / `auto_now_add` and other field defaults apply (`Field.pre_save`);
- a model whose manager is a `core.maintained.MaintainedQuerySet` announces its rows through
  `changed_in_bulk`, so the access relation is kept current in the same transaction.

Other databases (SQLite in quick local runs) fall back to `bulk_create`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models

from core.maintained import MaintainedQuerySet, changed_in_bulk

# Field classes whose Python value psycopg writes as the column expects, without the ORM's preparation
# (exactly these classes: a subclass may convert its values, and goes through `get_db_prep_save`).
_PLAIN = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
    models.UUIDField,
}


def plain(field: models.Field) -> bool:
    """Return whether psycopg writes the field's Python value as the column expects (no ORM preparation)."""
    return type(field.target_field if field.is_relation else field) in _PLAIN


def reserve_keys(model: type[models.Model], count: int) -> list[int]:
    """Draw `count` primary keys from the table's sequence, so COPY can write them and relations can use them."""
    opts = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, count],
        )
        return [value for (value,) in cursor.fetchall()]


def copy_rows(model: type[models.Model], fields: Sequence[models.Field], rows: Iterable[list]) -> None:
    """Write rows of ready values, in the order of `fields`, to the model's table in one COPY."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def copy_insert(model: type[models.Model], objs: Sequence[models.Model]) -> Sequence[models.Model]:
    """Insert new rows of one model in a single COPY; return the objects with their primary keys set."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs)
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        for obj, value in zip(missing, reserve_keys(model, len(missing)), strict=True):
            setattr(obj, model._meta.pk.attname, value)
    fields = [field for field in model._meta.concrete_fields if not field.generated]
    is_plain = [plain(field) for field in fields]

    def values(obj: models.Model) -> list:
        row = []
        for field, as_is in zip(fields, is_plain, strict=True):
            value = field.pre_save(obj, True)
            row.append(value if as_is else field.get_db_prep_save(value, connection))
        return row

    copy_rows(model, fields, (values(obj) for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    if isinstance(model._default_manager.get_queryset(), MaintainedQuerySet):
        changed_in_bulk.send(sender=model, pks=[obj.pk for obj in objs])
    return objs

"""Write generated rows in bulk: COPY on PostgreSQL, bulk_create elsewhere, with primary keys known afterwards."""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone

BATCH_SIZE = 2000

# Field types whose Python value psycopg writes as it is; others (encrypted text, JSON) go through the field.
_PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.ForeignKey,
    models.OneToOneField,
    models.IntegerField,
    models.PositiveSmallIntegerField,
    models.UUIDField,
)


def insert(model, rows: list[dict]) -> None:
    """Insert rows given as {attname: value}; set the primary key of rows that lack one.

    PostgreSQL gets COPY, which writes a 200 000-child municipality several times faster than
    bulk_create's INSERT … UNNEST and skips building a model instance per row; other databases
    get bulk_create. Fields missing from a row take their model default, as they would in save().
    """
    if not rows:
        return
    pk = model._meta.pk.attname
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        for row, obj in zip(rows, objects, strict=True):
            row[pk] = obj.pk
        return
    if pk not in rows[0]:
        reserve_ids(model, rows)
    now = timezone.now()
    fields, defaults, prepare = [], [], []
    for f in model._meta.concrete_fields:
        fields.append(f)
        defaults.append(now if getattr(f, "auto_now_add", False) else f.get_default())
        prepare.append(None if type(f) in _PLAIN_FIELDS else f)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = [row.get(f.attname, default) for f, default in zip(fields, defaults, strict=True)]
            for index, field in enumerate(prepare):
                if field is not None:
                    values[index] = field.get_db_prep_save(values[index], connection)
            copy.write_row(values)


def reserve_ids(model, rows: list[dict]) -> None:
    """Draw primary keys from the table's sequence, so COPY can write them and relations can use them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row[model._meta.pk.attname] = pk

"""On PostgreSQL, reject UPDATE and DELETE of chronology entries and their indicators with triggers.

A chronology is a record families and inspectors rely on: a correction is a new entry linked to
the old one. TRUNCATE is left to the database owner (the test suite's flush and the demo reset use
it; see audit/migrations/0002 and conftest.py); the application never truncates these tables.
"""

from django.db import migrations

TABLES = ("wellbeing_chronologyentry", "wellbeing_entryindicator")

FORWARD = """
CREATE OR REPLACE FUNCTION wellbeing_chronology_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed; add a correcting entry instead', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""
TRIGGER = """
CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION wellbeing_chronology_reject_change();
"""
BACKWARD = "DROP FUNCTION IF EXISTS wellbeing_chronology_reject_change();"
DROP_TRIGGER = "DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)
        for table in TABLES:
            schema_editor.execute(TRIGGER.format(table=table), params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(DROP_TRIGGER.format(table=table), params=None)
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

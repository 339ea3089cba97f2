"""On PostgreSQL, reject UPDATE and DELETE of agreed plan versions and their agreements with triggers.

What the family and the practitioners agreed to must stay as it was agreed: a changed plan is
agreed again as a new version. TRUNCATE is left to the database owner (the test suite's flush and
the demo reset use it; see audit/migrations/0002 and conftest.py); the application never truncates.
"""

from django.db import migrations

TABLES = ("plans_planversion", "plans_planagreement")

FORWARD = """
CREATE OR REPLACE FUNCTION plans_version_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed; agree a new version instead', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""
TRIGGER = """
CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION plans_version_reject_change();
"""
BACKWARD = "DROP FUNCTION IF EXISTS plans_version_reject_change();"
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
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

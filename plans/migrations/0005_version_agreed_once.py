"""On PostgreSQL, let a plan version waiting for the guardians become agreed, once, and nothing else change.

Migration 0002 refuses every UPDATE and DELETE of plan versions and agreements. A version sent to
the guardians to answer in the family view is written before they answer (`agreed_at` empty); when
the last of them agrees, `agreed_at` is set. That is the one change allowed: from empty to a
moment, with every other column as it was. Agreements stay refused as before.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION plans_version_agreed_once() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unchanged plans_planversion;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.agreed_at IS NULL AND NEW.agreed_at IS NOT NULL THEN
        unchanged := NEW;
        unchanged.agreed_at := NULL;
        IF unchanged IS NOT DISTINCT FROM OLD THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed; agree a new version instead', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS plans_planversion_no_update_delete ON plans_planversion;
CREATE TRIGGER plans_planversion_no_update_delete BEFORE UPDATE OR DELETE ON plans_planversion
    FOR EACH ROW EXECUTE FUNCTION plans_version_agreed_once();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS plans_planversion_no_update_delete ON plans_planversion;
CREATE TRIGGER plans_planversion_no_update_delete BEFORE UPDATE OR DELETE ON plans_planversion
    FOR EACH ROW EXECUTE FUNCTION plans_version_reject_change();
DROP FUNCTION IF EXISTS plans_version_agreed_once();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_link_guardian_participants")]
    operations = [migrations.RunPython(forward, backward)]

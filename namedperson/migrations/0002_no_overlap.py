"""On PostgreSQL, forbid overlapping named-person periods for a child with an exclusion constraint."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE namedperson_assignment ADD CONSTRAINT named_person_no_overlap
    EXCLUDE USING gist (child_id WITH =, daterange(start, "end", '[)') WITH &&);
"""
BACKWARD = "ALTER TABLE namedperson_assignment DROP CONSTRAINT IF EXISTS named_person_no_overlap;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("namedperson", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

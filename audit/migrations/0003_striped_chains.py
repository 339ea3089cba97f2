"""Spread the audit log over independent hash chains ("stripes") so writers do not wait for one another.

Existing rows become chain 0 as they are: their place in the chain is their id (they were numbered
1, 2, 3 ... by the single chain), and their hash form stays 1 (the hash covers the id). No hash is
recomputed, so every existing row, anchor and checkpoint still verifies. Setting `seq` on existing
rows is an UPDATE, which the append-only trigger refuses; the migration (run as the table's owner)
switches the trigger off for that one statement inside its own transaction. New rows get their id
from the table's sequence, which is moved past the ids the single chain set explicitly.

Reversible only while no row of the new form exists: the single-chain code cannot verify those.
"""

from django.db import migrations, models

_TRIGGER = "audit_no_update_delete"


def number_existing_rows(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {_TRIGGER}")
    schema_editor.execute("UPDATE audit_auditevent SET seq = id")
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {_TRIGGER}")
        schema_editor.execute(
            "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
            "FROM audit_auditevent"
        )


def refuse_with_striped_rows(apps, schema_editor):
    if apps.get_model("audit", "AuditEvent").objects.filter(hash_form=2).exists():
        raise RuntimeError(
            "The audit log holds rows written in several chains; the single-chain code cannot verify them."
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="stripe",
            field=models.PositiveSmallIntegerField(
                db_comment="Which of the independent hash chains the row belongs to.", default=0
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash_form",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "Före kedjorna"), (2, "Kedja och plats")],
                db_comment="1: hash covers the id (rows from before chains); 2: covers stripe and seq.",
                default=1,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(db_comment="Position in its chain: 1, 2, 3 ... without gaps.", null=True),
        ),
        migrations.RunPython(number_existing_rows, refuse_with_striped_rows),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(db_comment="Position in its chain: 1, 2, 3 ... without gaps."),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="id",
            field=models.BigAutoField(
                db_comment="From the table's sequence: orders rows; gaps allowed.", primary_key=True, serialize=False
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(db_comment="Hash of the previous row of the same chain.", max_length=64),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("stripe", "seq"), name="audit_one_row_per_chain_place"),
        ),
    ]

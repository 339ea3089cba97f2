from django.conf import settings
from django.db import migrations, models

INDEX = models.Index(fields=["user", "child"], include=("valid_from", "valid_to"), name="accessrel_user_child_days")


def add_if_missing(apps, schema_editor):
    """Add the covering index unless `access_relation.rebuild` (run by 0011 with the current model) already did."""
    model = apps.get_model("sharing", "AccessRelation")
    with schema_editor.connection.cursor() as cursor:
        existing = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
    if INDEX.name not in existing:
        schema_editor.add_index(model, INDEX)


def remove(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("sharing", "AccessRelation"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_merge"),
        ("sharing", "0011_child_sort_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="accessrelation", name="accessrel_user_child"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="accessrelation", index=INDEX)],
            database_operations=[migrations.RunPython(add_if_missing, remove)],
        ),
    ]

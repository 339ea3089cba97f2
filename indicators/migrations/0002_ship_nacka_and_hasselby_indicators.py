"""Ship the Nacka appendix 7.1 and Hässelby outcome indicators (indicators.registry)."""

from django.db import migrations

from indicators.registry import install_shipped, shipped


def forwards(apps, schema_editor):
    install_shipped(apps.get_model("indicators", "Indicator"))


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code__in=[row["code"] for row in shipped()], values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_indicator_registry_values_rounds")]
    operations = [migrations.RunPython(forwards, backwards)]

"""SDQ as a scores-only instrument with versioned bands; the data lives in wellbeing/instrument_data.py."""

from django.db import migrations

from wellbeing.instrument_data import CODE, VERSION, install_sdq


def forward(apps, schema_editor):
    install_sdq(*(apps.get_model("wellbeing", name) for name in ("Instrument", "Subscale", "Band")))


def backward(apps, schema_editor):
    apps.get_model("wellbeing", "Instrument").objects.filter(code=CODE, version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0002_chronology_append_only")]
    operations = [migrations.RunPython(forward, backward)]

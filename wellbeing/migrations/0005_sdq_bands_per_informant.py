"""SDQ bands per informant as a new version; the first version (parent cut-offs for every form) is retired.

Responses already recorded keep the bands they were given (their instrument version and band rows
are never changed); new responses are banded with the cut-offs of the form's informant.
"""

from django.db import migrations

from wellbeing.instrument_data import CODE, FIRST_VERSION, VERSION, install_sdq


def forward(apps, schema_editor):
    Instrument = apps.get_model("wellbeing", "Instrument")
    install_sdq(Instrument, apps.get_model("wellbeing", "Subscale"), apps.get_model("wellbeing", "Band"))
    Instrument.objects.filter(code=CODE, version=FIRST_VERSION).update(active=False)


def backward(apps, schema_editor):
    Instrument = apps.get_model("wellbeing", "Instrument")
    Instrument.objects.filter(code=CODE, version=FIRST_VERSION).update(active=True)
    Instrument.objects.filter(code=CODE, version=VERSION, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0004_band_informant")]
    operations = [migrations.RunPython(forward, backward)]

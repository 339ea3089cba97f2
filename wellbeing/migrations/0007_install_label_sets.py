"""Install the shipped indicator label sets; a municipality's own labels become a label set it has chosen.

Ratings keep their indicator codes: nothing here touches a rating or a chronology entry.
"""

import datetime

from django.db import migrations

from wellbeing.label_data import SEED_WORDING, install_label_sets

OWN_NOTE = "Kommunens egna benämningar, flyttade hit när benämningarna blev uppsättningar."


def forward(apps, schema_editor):
    LabelSet = apps.get_model("wellbeing", "IndicatorLabelSet")
    Label = apps.get_model("wellbeing", "IndicatorLabel")
    Choice = apps.get_model("wellbeing", "IndicatorLabelChoice")
    Municipality = apps.get_model("organisations", "Municipality")
    install_label_sets(LabelSet, Label)
    for municipality in Municipality.objects.filter(indicator_labels__isnull=False).distinct():
        own = {row.indicator: row for row in Label.objects.filter(municipality=municipality)}
        label_set = LabelSet.objects.create(
            key=f"kommun-{municipality.pk}",
            version=1,
            name=f"{municipality.name} (egna benämningar)",
            wheel_name="Välbefinnandehjulet",
            wheel_name_en="Wellbeing wheel",
            confirmed=True,
            note=OWN_NOTE,
        )
        for code, (label, label_en, short, short_en, child, child_en) in SEED_WORDING.items():
            row = own.get(code)
            Label.objects.create(
                label_set=label_set,
                indicator=code,
                label=row.label if row else label,
                label_en=label_en,
                short_text=(row.short_text if row and row.short_text else short),
                short_text_en=short_en,
                child_text=(row.child_text if row and row.child_text else child),
                child_text_en=child_en,
            )
        Choice.objects.create(municipality=municipality, label_set=label_set, valid_from=datetime.date(2000, 1, 1))
    Label.objects.filter(municipality__isnull=False).delete()


def backward(apps, schema_editor):
    LabelSet = apps.get_model("wellbeing", "IndicatorLabelSet")
    Label = apps.get_model("wellbeing", "IndicatorLabel")
    Choice = apps.get_model("wellbeing", "IndicatorLabelChoice")
    for choice in Choice.objects.filter(label_set__key__startswith="kommun-").select_related("label_set"):
        for row in Label.objects.filter(label_set=choice.label_set):
            Label.objects.create(
                municipality_id=choice.municipality_id,
                indicator=row.indicator,
                label=row.label,
                short_text=row.short_text,
                child_text=row.child_text,
            )
    Choice.objects.all().delete()
    Label.objects.filter(label_set__isnull=False).delete()
    LabelSet.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0006_indicator_label_sets"), ("organisations", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

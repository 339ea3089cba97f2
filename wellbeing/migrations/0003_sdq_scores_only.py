"""SDQ as a scores-only instrument with versioned bands (the first version, parent cut-offs for every form).

The data is frozen here as it was shipped: later band sets are new versions installed by later
migrations from wellbeing/instrument_data.py, and this version stays what stored responses used.
"""

from django.db import migrations

CODE, VERSION = "sdq", "uk-parent-3band-2021"
SOURCE = (
    "Brittiska gränsvärden för föräldraformuläret, tre nivåer (BMC Psychiatry 2021, "
    "doi 10.1186/s12888-021-03218-x, tabell 2, efter sdqinfo.org). Svenska normer skiljer sig, "
    "särskilt för 4–5-åringar."
)
LICENCE = (
    "SDQ är upphovsrättsskyddat av youthinmind: frågorna får inte ändras, delas upp eller göras "
    "elektroniska utan tillstånd. Samplan lagrar därför bara delskalornas poäng från det officiella "
    "pappersformuläret, aldrig frågorna eller svaren på dem."
)
UNCERTAIN = "Källorna är oeniga: 8–10/7/0–6 (BMC Psychiatry 2021) eller 6–10/5/0–4 (Goodman)."
LEVELS = (("normal", "Normal"), ("borderline", "Gränsområde"), ("abnormal", "Avvikande"))
SUBSCALES = (
    ("emotional", "Emotionella symtom", 10, True, False, ((0, 3), (4, 4), (5, 10)), True),
    ("conduct", "Uppförandeproblem", 10, True, False, ((0, 2), (3, 3), (4, 10)), True),
    ("hyperactivity", "Hyperaktivitet och ouppmärksamhet", 10, True, False, ((0, 5), (6, 6), (7, 10)), True),
    ("peer", "Kamratproblem", 10, True, False, ((0, 2), (3, 3), (4, 10)), True),
    ("prosocial", "Prosocialt beteende", 10, False, False, ((8, 10), (7, 7), (0, 6)), False),
    ("total", "Totala svårigheter", 40, False, True, ((0, 13), (14, 16), (17, 40)), True),
)


def forward(apps, schema_editor):
    Instrument, Subscale, Band = (apps.get_model("wellbeing", name) for name in ("Instrument", "Subscale", "Band"))
    instrument, created = Instrument.objects.get_or_create(
        code=CODE,
        version=VERSION,
        defaults=dict(
            name="SDQ – Strengths and Difficulties Questionnaire (endast poäng)",
            licence_note=LICENCE,
            respondent_kinds=["parent", "teacher", "self"],
            band_source=SOURCE,
        ),
    )
    if not created:
        return
    for position, (code, name, top, in_total, is_total, ranges, certain) in enumerate(SUBSCALES):
        subscale = Subscale.objects.create(
            instrument=instrument,
            code=code,
            name=name,
            min_score=0,
            max_score=top,
            counts_in_total=in_total,
            is_total=is_total,
            position=position,
        )
        for (level, label), (low, high) in zip(LEVELS, ranges, strict=True):
            Band.objects.create(
                subscale=subscale,
                level=level,
                label=label,
                min_score=low,
                max_score=high,
                certain=certain,
                note="" if certain else UNCERTAIN,
            )


def backward(apps, schema_editor):
    apps.get_model("wellbeing", "Instrument").objects.filter(code=CODE, version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0002_chronology_append_only")]
    operations = [migrations.RunPython(forward, backward)]

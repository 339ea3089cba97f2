"""Instrument definitions shipped with Samplan, as data: SDQ scores-only with versioned bands (DOMAIN.md B6).

The SDQ items are youthinmind's copyright and may not be put in an electronic form without
authorisation, so no item is stored: staff enter the subscale scores from the official paper form.
Bands: three-band UK parent-report cut-offs (BMC Psychiatry 2021, table 2, citing sdqinfo). The
prosocial bands are uncertain: that table gives 8–10/7/0–6, Goodman's original 6–10/5/0–4.
Swedish norms differ (4–5-year-olds especially): add a new version rather than change these rows.
`install_sdq` is used by migration 0003 (with historical models) and by tests and the demo, so
it must only ever create what is missing.
"""

from __future__ import annotations

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
# code, name, max, counts in total, is total, (normal, borderline, abnormal) as (min, max), certain
SUBSCALES = (
    ("emotional", "Emotionella symtom", 10, True, False, ((0, 3), (4, 4), (5, 10)), True),
    ("conduct", "Uppförandeproblem", 10, True, False, ((0, 2), (3, 3), (4, 10)), True),
    ("hyperactivity", "Hyperaktivitet och ouppmärksamhet", 10, True, False, ((0, 5), (6, 6), (7, 10)), True),
    ("peer", "Kamratproblem", 10, True, False, ((0, 2), (3, 3), (4, 10)), True),
    # Prosocial: high is good, so "normal" is the top band.
    ("prosocial", "Prosocialt beteende", 10, False, False, ((8, 10), (7, 7), (0, 6)), False),
    ("total", "Totala svårigheter", 40, False, True, ((0, 13), (14, 16), (17, 40)), True),
)


def install_sdq(Instrument, Subscale, Band):
    """Create the SDQ scores-only instrument and its bands unless they exist; return the instrument."""
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
        return instrument
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
    return instrument


# Who may have filled in a form, for respondent_kinds.
RESPONDENTS = {
    "parent": "Förälder eller vårdnadshavare",
    "teacher": "Lärare eller förskollärare",
    "self": "Barnet eller den unge själv",
    "practitioner": "Yrkesperson",
}

"""Instrument definitions shipped with Samplan, as data: SDQ scores-only with versioned bands (DOMAIN.md B6).

The SDQ items are youthinmind's copyright and may not be put in an electronic form without
authorisation, so no item is stored: staff enter the subscale scores from the official paper form.

Bands depend on who filled in the form (the informant): parents, teachers and the young person
(self-report, 11–17 years) have their own published three-band cut-offs (normal / borderline /
abnormal). Each band carries its source and whether it is confirmed from a public source; a band
that is not confirmed is shown as such on the results page. A new norm set (the 2014 four-band
scheme, Swedish norms) is a new version, never an edit of these rows: stored responses keep the
bands of the version they were recorded with.

`install_sdq` is used by migration 0005 (with historical models), by tests and by the demo, so it
must only ever create what is missing. The first version (parent cut-offs for every informant) is
frozen in migration 0003.
"""

from __future__ import annotations

# Marked for the catalogue only: the Swedish text is stored, and pages translate it when they show it.
from django.utils.translation import gettext_noop as _

CODE, VERSION = "sdq", "uk-3band-per-informant-2025"
FIRST_VERSION = "uk-parent-3band-2021"
# Each version in words, as pages show it (the code above is an identifier, never shown to users).
VERSION_TITLES = {
    FIRST_VERSION: _("brittiska gränsvärden i tre nivåer för föräldraformuläret, 2021"),
    VERSION: _("brittiska gränsvärden i tre nivåer för varje formulär, 2025"),
}
UNNAMED_VERSION = _("en version utan beskrivning")
NAME = _("SDQ – Strengths and Difficulties Questionnaire (endast poäng)")
SOURCE = _(
    "Brittiska gränsvärden i tre nivåer, olika för föräldra-, lärar- och självskattningsformuläret "
    "(sdqinfo.org, ”Scoring the SDQ”). Gränser som inte har kunnat bekräftas i en publicerad källa "
    "är markerade. Svenska normer skiljer sig, särskilt för 4–5-åringar."
)
LICENCE = _(
    "SDQ är upphovsrättsskyddat av youthinmind: frågorna får inte ändras, delas upp eller göras "
    "elektroniska utan tillstånd. Samplan lagrar därför bara delskalornas poäng från det officiella "
    "pappersformuläret, aldrig frågorna eller svaren på dem."
)
LEVELS = (("normal", _("Normal")), ("borderline", _("Gränsområde")), ("abnormal", _("Avvikande")))
# code, name, max, counts in total, is total
SCALES = (
    ("emotional", _("Emotionella symtom"), 10, True, False),
    ("conduct", _("Uppförandeproblem"), 10, True, False),
    ("hyperactivity", _("Hyperaktivitet och ouppmärksamhet"), 10, True, False),
    ("peer", _("Kamratproblem"), 10, True, False),
    ("prosocial", _("Prosocialt beteende"), 10, False, False),
    ("total", _("Totala svårigheter"), 40, False, True),
)

PARENT_SOURCE = _("BMC Psychiatry 2021, doi 10.1186/s12888-021-03218-x, tabell 2 (brittisk kolumn, efter sdqinfo.org).")
TEACHER_TOTAL_SOURCE = _(
    "sdqinfo.org, ”Scoring the SDQ” (lärarformuläret), återgiven i PMC4830858 tabell 1; "
    "gränsen för avvikande (16) även i BMJ Open (lärarskattade brittiska normer)."
)
TEACHER_ABNORMAL_SOURCE = _("BMJ Open, tabell 2: brittiska gränser för avvikande i lärarskattad SDQ.")
TEACHER_UNCONFIRMED = _(
    "Gränsen mellan normal och gränsområde för lärarformuläret är inte bekräftad i en publicerad källa "
    "(efter sdqinfo.org ur minnet)."
)
SELF_UNCONFIRMED = _(
    "Självskattningens gränser (11–17 år) är inte bekräftade i en publicerad källa (efter sdqinfo.org ur minnet)."
)
PROSOCIAL_UNCONFIRMED = _(
    "Källorna är oeniga om prosocialt beteende: 8–10/7/0–6 (BMC Psychiatry 2021), 6–10/5/0–4 (Goodman), "
    "för lärare 0–3 som avvikande (BMJ Open)."
)

C, U = True, False  # confirmed from a public source, or not
# informant -> scale -> ((low, high, confirmed) for normal, borderline, abnormal), source of the confirmed bands,
# note of the unconfirmed ones. Prosocial is a strength: high is normal.
BANDS = {
    "parent": {
        "emotional": (((0, 3, C), (4, 4, C), (5, 10, C)), PARENT_SOURCE, ""),
        "conduct": (((0, 2, C), (3, 3, C), (4, 10, C)), PARENT_SOURCE, ""),
        "hyperactivity": (((0, 5, C), (6, 6, C), (7, 10, C)), PARENT_SOURCE, ""),
        "peer": (((0, 2, C), (3, 3, C), (4, 10, C)), PARENT_SOURCE, ""),
        "prosocial": (((8, 10, U), (7, 7, U), (0, 6, U)), PARENT_SOURCE, PROSOCIAL_UNCONFIRMED),
        "total": (((0, 13, C), (14, 16, C), (17, 40, C)), PARENT_SOURCE, ""),
    },
    "teacher": {
        "emotional": (((0, 4, U), (5, 5, U), (6, 10, C)), TEACHER_ABNORMAL_SOURCE, TEACHER_UNCONFIRMED),
        "conduct": (((0, 2, U), (3, 3, U), (4, 10, C)), TEACHER_ABNORMAL_SOURCE, TEACHER_UNCONFIRMED),
        "hyperactivity": (((0, 5, U), (6, 6, U), (7, 10, C)), TEACHER_ABNORMAL_SOURCE, TEACHER_UNCONFIRMED),
        "peer": (((0, 3, U), (4, 4, U), (5, 10, C)), TEACHER_ABNORMAL_SOURCE, TEACHER_UNCONFIRMED),
        "prosocial": (((6, 10, U), (5, 5, U), (0, 4, U)), "", PROSOCIAL_UNCONFIRMED),
        "total": (((0, 11, C), (12, 15, C), (16, 40, C)), TEACHER_TOTAL_SOURCE, ""),
    },
    "self": {
        "emotional": (((0, 5, U), (6, 6, U), (7, 10, U)), "", SELF_UNCONFIRMED),
        "conduct": (((0, 3, U), (4, 4, U), (5, 10, U)), "", SELF_UNCONFIRMED),
        "hyperactivity": (((0, 5, U), (6, 6, U), (7, 10, U)), "", SELF_UNCONFIRMED),
        "peer": (((0, 3, U), (4, 5, U), (6, 10, U)), "", SELF_UNCONFIRMED),
        "prosocial": (((6, 10, U), (5, 5, U), (0, 4, U)), "", PROSOCIAL_UNCONFIRMED),
        "total": (((0, 15, U), (16, 19, U), (20, 40, U)), "", SELF_UNCONFIRMED),
    },
}


def install_sdq(Instrument, Subscale, Band):
    """Create the current SDQ version and its bands per informant unless it exists; return the instrument."""
    instrument, created = Instrument.objects.get_or_create(
        code=CODE,
        version=VERSION,
        defaults=dict(name=NAME, licence_note=LICENCE, respondent_kinds=list(BANDS), band_source=SOURCE),
    )
    if not created:
        return instrument
    for position, (code, name, top, in_total, is_total) in enumerate(SCALES):
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
        for informant, scales in BANDS.items():
            ranges, source, note = scales[code]
            for (level, label), (low, high, confirmed) in zip(LEVELS, ranges, strict=True):
                Band.objects.create(
                    subscale=subscale,
                    informant=informant,
                    level=level,
                    label=label,
                    min_score=low,
                    max_score=high,
                    certain=confirmed,
                    source=source if confirmed else "",
                    note="" if confirmed else note,
                )
    return instrument


# The youngest age a form is for, by instrument and informant: the SDQ self-report is from 11 (DOMAIN.md B6).
MIN_AGE = {(CODE, "self"): 11}

# Who may have filled in a form, for respondent_kinds and the bands' informant.
RESPONDENTS = {
    "parent": "Förälder eller vårdnadshavare",
    "teacher": "Lärare eller förskollärare",
    "self": "Barnet eller den unge själv (11–17 år)",
    "practitioner": "Yrkesperson",
}

"""The indicator wordings Samplan ships, as data: installed as label sets by migration 0007.

A label set names the wheel and gives each of the eight indicators a label, a short text and a
plain question for the child, in Swedish and English. Ratings and chronology entries store only
the indicator codes (`wellbeing.indicators.Indicator`), so changing or switching a wording never
changes a stored rating. The default set is the seed wording (Ystad pre-study, seed 003, with the
2022 statutory guidance's definitions, DOMAIN.md A1); `wellbeing.labels` also falls back to it
when no set is installed. Sets whose wording or mapping is not confirmed say so in `note`.
"""

from __future__ import annotations

DEFAULT_KEY = "skottlandsmodellen"

# code -> (label, label_en, short_text, short_text_en, child_text, child_text_en)
SEED_WORDING = {
    "safe": (
        "Trygg",
        "Safe",
        "Växer upp och känner sig trygg, omhändertagen och lyssnad på, och kan nå sin fulla potential. "
        "Innefattar skydd mot övergrepp och försummelse.",
        "Growing up feeling safe, cared for and listened to, and able to reach their full potential. "
        "Includes protection from abuse and neglect.",
        "Känner du dig trygg?",
        "Do you feel safe?",
    ),
    "healthy": (
        "Frisk",
        "Healthy",
        "Bästa möjliga fysiska och psykiska hälsa, tillgång till lämplig vård och stöd att lära sig göra "
        "hälsosamma och säkra val.",
        "The best possible physical and mental health, access to suitable care, and support in learning to make "
        "healthy and safe choices.",
        "Mår du bra i kroppen och i huvudet?",
        "Do you feel well in your body and in your mind?",
    ),
    "achieving": (
        "Utvecklas och presterar efter förmåga",
        "Achieving",
        "Stöd och vägledning i lärande och för färdigheter, självförtroende och självkänsla, hemma, i skolan "
        "och i samhället.",
        "Support and guidance in learning and in developing skills, confidence and self-esteem, at home, at "
        "school and in the community.",
        "Lär du dig saker, och får du hjälp när något är svårt?",
        "Are you learning things, and do you get help when something is hard?",
    ),
    "nurtured": (
        "Omvårdad",
        "Nurtured",
        "Omhändertagen i en miljö som ger den fysiska och känslomässiga trygghet, omtanke och värme som behövs "
        "för sund utveckling, motståndskraft och en positiv identitet.",
        "Looked after in an environment that gives the physical and emotional security, care and warmth needed "
        "for healthy development, resilience and a positive identity.",
        "Tar de vuxna hand om dig?",
        "Do the grown-ups look after you?",
    ),
    "active": (
        "Aktiv",
        "Active",
        "Möjlighet att leka, delta i fritidsaktiviteter och idrott som främjar sund utveckling, hemma, i skolan "
        "och i samhället.",
        "Opportunities to play and take part in leisure activities and sport that contribute to healthy "
        "development, at home, at school and in the community.",
        "Får du leka, röra på dig och göra sådant du tycker om?",
        "Do you get to play, move about and do things you like?",
    ),
    "respected": (
        "Respekterad",
        "Respected",
        "Delaktig i beslut som påverkar det egna livet och får sin röst hörd, med stöd vid behov.",
        "Involved in decisions that affect their own life and having their voice heard, with support where needed.",
        "Lyssnar de vuxna på dig?",
        "Do the grown-ups listen to you?",
    ),
    "responsible": (
        "Ansvarstagande",
        "Responsible",
        "Möjlighet och uppmuntran att ta aktiva, ansvarsfulla roller hemma, i skolan och i samhället, med "
        "vägledning och tillsyn vid behov.",
        "Opportunities and encouragement to take active and responsible roles at home, at school and in the "
        "community, with guidance and supervision where needed.",
        "Får du hjälpa till och ta ansvar för saker?",
        "Do you get to help out and take responsibility for things?",
    ),
    "included": (
        "Inkluderad",
        "Included",
        "Hjälp att övervinna ojämlikhet, och accepterad som en del av familj, skola och samhälle.",
        "Help to overcome inequalities, and accepted as part of the family, school and community.",
        "Känner du att du hör till, hemma, i skolan och med kompisar?",
        "Do you feel that you belong, at home, at school and with friends?",
    ),
}

# The common Swedish rendering: eight words, given without saying which indicator each stands for.
COMMON_LABELS = {
    "safe": "Trygg",
    "healthy": "Må bra",
    "achieving": "Utvecklas",
    "nurtured": "Delaktig",
    "active": "Aktiv",
    "respected": "Respekterad",
    "responsible": "Ansvarstagande",
    "included": "Inkluderad",
}

# key, name, wheel name (sv, en), default, confirmed, note, labels that replace the seed wording's
SETS = (
    (
        DEFAULT_KEY,
        "Skottlandsmodellen (standard)",
        ("Välbefinnandehjulet", "Wellbeing wheel"),
        True,
        True,
        "Svensk ordalydelse efter Ystads förstudie om Skottlandsmodellen (2019); beskrivningarna efter den "
        "skotska vägledningen från 2022.",
        {},
    ),
    (
        "vanlig-svensk",
        "Vanlig svensk återgivning (Trygg, Må bra, Utvecklas …)",
        ("Välbefinnandehjulet", "Wellbeing wheel"),
        False,
        False,
        "Orden är den vanliga svenska återgivningen, men källan säger inte vilken indikator varje ord står "
        "för. Att ”Delaktig” står för omvårdad (nurtured) är inte bekräftat: kontrollera mot kommunens hjul.",
        COMMON_LABELS,
    ),
    (
        "min-livsblomma",
        "Min livsblomma (Nora)",
        ("Min livsblomma", "My life flower"),
        False,
        False,
        "Nora kommuns utvärdering av TABB beskriver Min livsblomma som en anpassning av välbefinnandehjulet "
        "men återger inte bladens namn. Bladen har standardordalydelsen tills kommunen skriver in sin egen.",
        {},
    ),
)


def install_label_sets(LabelSet, Label):
    """Create the shipped label sets (version 1) unless they exist; return the default set."""
    for key, name, (wheel, wheel_en), default, confirmed, note, labels in SETS:
        label_set, created = LabelSet.objects.get_or_create(
            key=key,
            version=1,
            defaults=dict(
                name=name,
                wheel_name=wheel,
                wheel_name_en=wheel_en,
                is_default=default,
                confirmed=confirmed,
                note=note,
            ),
        )
        if created:
            Label.objects.bulk_create(
                Label(
                    label_set=label_set,
                    indicator=code,
                    label=labels.get(code, label),
                    label_en=label_en,
                    short_text=short,
                    short_text_en=short_en,
                    child_text=child,
                    child_text_en=child_en,
                )
                for code, (label, label_en, short, short_en, child, child_en) in SEED_WORDING.items()
            )
    return LabelSet.objects.get(key=DEFAULT_KEY, version=1)

"""The indicators Samplan ships: Nacka appendix 7.1 (seed 000) and the Hässelby outcome indicators (seed 004).

Titles are the seeds' own words; the reporting actor is as the seed names it. Used by the data
migration (0002) and by the demo; change both together.
"""

from __future__ import annotations

NACKA = "Nacka, bilaga 7.1"
HASSELBY = "Hässelby-Vällingby, Utfall (effekt)"
VS = "Välfärd samhällsservice"

# code, title_sv, title_en, reporter kind, reporter name, level, measure, source, counts children, definition
FIRST_LINE = [
    (
        "N71-F01",
        "Hur många barn vars föräldrar går i familjerådgivning",
        "Children whose parents attend family counselling",
        "outside",
        "Familjerådgivning",
    ),
    ("N71-F02", "Antalet barn som utretts", "Children investigated", "unit", "Socialtjänsten BoU"),
    ("N71-F03", "Antal familjer med barn", "Families with children", "outside", "Familjerådgivning"),
    (
        "N71-F04",
        "Antal ärenden Råd och stödsamtal",
        "Cases of advice and support talks",
        "unit",
        f"Familje- och ungdomsverksamheten, {VS}",
    ),
    (
        "N71-F05",
        "Antal ärenden Stöd till unga brottsutsatta",
        "Cases of support to young crime victims",
        "unit",
        f"Familje- och ungdomsverksamheten, {VS}",
    ),
    (
        "N71-F06",
        "Antal ärenden Råd och stöd, 13-20 år",
        "Cases of advice and support, 13-20 years",
        "unit",
        f"Ungdomsverksamheten, {VS}",
    ),
    (
        "N71-F07",
        "Antal familjer Råd och stöd, 0-12 år",
        "Families in advice and support, 0-12 years",
        "unit",
        f"Familjeverksamheten, {VS}",
    ),
    (
        "N71-F08",
        "Antalet barn som utreds för neuropsykiatrisk diagnos",
        "Children assessed for a neuropsychiatric diagnosis",
        "unit",
        "BUP",
    ),
    ("N71-F09", "Antal ärenden Mini-Maria", "Mini-Maria cases", "unit", f"Mini-Maria, {VS}"),
    (
        "N71-F10",
        "Antal ärenden Råd och stödsamtal (familjecentralen)",
        "Cases of advice and support talks (family centre)",
        "unit",
        f"Familjecentralen, {VS}",
    ),
    (
        "N71-F11",
        "Antal barn i gruppverksamhet 6-18 år",
        "Children in group activities, 6-18 years",
        "unit",
        f"Ungdomsverksamheten, {VS}",
    ),
    (
        "N71-F12",
        "Antal barn i gruppverksamhet",
        "Children in group activities",
        "unit",
        f"Familje- och ungdomsverksamheten, {VS}",
    ),
    (
        "N71-F13",
        "Antalet barn som utreds (psykologutredning)",
        "Children in psychological assessment",
        "unit",
        "Habiliteringscenter",
    ),
]
SPECIALISED = [
    ("N71-S01", "Antal aktuella barn", "Current children", "unit", "BUP"),
    ("N71-S02", "Antal nya barn", "New children", "unit", "BUP"),
    (
        "N71-S03",
        "Antalet barn med individresurs",
        "Children with an individual resource",
        "authority",
        "Förskola/grundskola/förskoleklass/gymnasieskola",
    ),
    ("N71-S04", "Antalet öppna insatser", "Open-care interventions", "unit", "Socialtjänsten BoU"),
    (
        "N71-S05",
        "Antalet barn som fått öppna insatser",
        "Children who received open-care interventions",
        "unit",
        "Socialtjänsten BoU",
    ),
    ("N71-S06", "Antalet barn i behandling", "Children in treatment", "unit", "Habiliteringscenter"),
    ("N71-S07", "Antalet barn inskrivna", "Children enrolled", "authority", "Grundsärskola/gymnasiesärskola"),
    (
        "N71-S08",
        "Antalet barn placerade utanför hemmet",
        "Children placed outside the home",
        "unit",
        "Socialtjänsten BoU",
    ),
    (
        "N71-S09",
        "Antal barn som socialtjänst och BVC samarbetar kring",
        "Children social services and BVC work together on",
        "unit",
        "BVC",
    ),
    (
        "N71-S10",
        "Antalet utredningar som leder till insats",
        "Investigations that lead to an intervention",
        "unit",
        "Socialtjänsten BoU",
    ),
]
# code, title_sv, title_en, measure, source, counts children, how it is measured (the seed's Mätmetod)
OUTCOMES = [
    (
        "HV-B01",
        "Antal barn som efter avslutad kontakt har fått förbättrade skolresultat",
        "Children with better school results after the contact",
        "count",
        "entered",
        True,
        "Barn 6-12 år. Data från utvecklingsplaner i skolan vid insatsens start, avslut och en viss tid efter "
        "avslutad kontakt. Med samtycke. Jämförs mot baslinje och kontrollgrupp (ordinarie socialtjänst).",
    ),
    (
        "HV-B02",
        "Antal barn 6-12 år som efter avslutad kontakt fått en ökad skolnärvaro",
        "Children 6-12 with higher school attendance after the contact",
        "count",
        "entered",
        True,
        "Uppgifter om skolnärvaro vid insatsens start, avslut och en viss tid efter avslutad kontakt. Med samtycke.",
    ),
    (
        "HV-B03",
        "Antal barn 6-12 år som fått en ökad psykisk hälsa och minskade beteendeproblem efter avslutad kontakt",
        "Children 6-12 with better mental health and fewer behaviour problems after the contact",
        "count",
        "entered",
        True,
        "Bedömningsinstrumentet SDQ vid start och efter avslutad kontakt.",
    ),
    (
        "HV-B04",
        "Antal barn, unga och föräldrar som upplever att de har fått samordnat stöd",
        "Children, young people and parents who experienced coordinated support",
        "count",
        "entered",
        True,
        "SIP-kollen.se.",
    ),
    (
        "HV-M01",
        "Medarbetare inom socialtjänst och skola har samsyn kring arbetssätt",
        "Staff in social services and school share a view of the way of working",
        "share",
        "entered",
        False,
        "Uppföljning av samverkan genom exempelvis spindelmätning.",
    ),
    (
        "HV-M02",
        "Medarbetare har kunskap om verksamheten och hur arbetet bidrar till goda effekter för invånare",
        "Staff know how their work contributes to good outcomes",
        "share",
        "entered",
        False,
        "Medarbetarenkät samt intervjuer.",
    ),
    (
        "HV-M03",
        "Medarbetare bidrar aktivt för att utveckla verksamheten för att möta invånares behov",
        "Staff take part in developing the service",
        "share",
        "entered",
        False,
        "Medarbetarenkät samt intervjuer.",
    ),
    (
        "HV-M04",
        "Medarbetare har en god arbetsmiljö och ett gott arbetsklimat",
        "Staff have a good working environment",
        "share",
        "entered",
        False,
        "Medarbetarenkät samt intervjuer.",
    ),
    (
        "HV-F01",
        "Andel som återaktualiseras för utredning",
        "Share re-actualised for investigation",
        "share",
        "entered",
        False,
        "Manuell registrering.",
    ),
    (
        "HV-F02",
        "Andel utredningar som avslutas inom 60 dagar",
        "Share of investigations closed within 60 days",
        "share",
        "imported",
        False,
        "Statistik över utredningstider hämtas ur sociala system.",
    ),
    (
        "HV-F03",
        "Andel som tackar ja till beviljad insats",
        "Share accepting a granted intervention",
        "share",
        "entered",
        False,
        "Manuell registrering.",
    ),
    (
        "HV-F04",
        "Andel som fullföljer beviljad insats",
        "Share completing a granted intervention",
        "share",
        "entered",
        False,
        "Manuell registrering.",
    ),
]


def shipped() -> list[dict]:
    """Return the shipped indicators as field dictionaries for `Indicator`."""
    rows = []
    for level, items in (("first_line", FIRST_LINE), ("specialised", SPECIALISED)):
        for code, title_sv, title_en, kind, reporter in items:
            rows.append(
                dict(
                    code=code,
                    title_sv=title_sv,
                    title_en=title_en,
                    reporter_kind=kind,
                    reporter_name=reporter,
                    level=level,
                    measure="count",
                    period_type="year",
                    by_gender=True,
                    by_age=False,
                    counts_children=True,
                    source="entered",
                    origin=NACKA,
                    definition="Rapporteras årligen av aktören (Nacka, bilaga 7.1).",
                )
            )
    for code, title_sv, title_en, measure, source, children, method in OUTCOMES:
        rows.append(
            dict(
                code=code,
                title_sv=title_sv,
                title_en=title_en,
                reporter_kind="unit",
                reporter_name="Socialtjänsten, Hässelby-Vällingby"
                if code.startswith(("HV-B", "HV-F"))
                else "Förvaltningen",
                level="none",
                measure=measure,
                period_type="year",
                by_gender=code.startswith("HV-B"),
                by_age=False,
                counts_children=children,
                source=source,
                origin=HASSELBY,
                definition=method,
            )
        )
    return rows


def install_shipped(indicator_model) -> None:
    """Create or update the shipped indicators with `indicator_model` (the migration's historical model or
    `indicators.models.Indicator`); the one definition used by the data migration and by tests whose tables
    were emptied by an earlier transactional test."""
    for row in shipped():
        indicator_model.objects.update_or_create(code=row["code"], defaults=row)

"""The fixed, fictitious world the demo data is built in: Sjöstads kommun, its units, names and streets.

Everything here is invented. The kinds of units and the actors follow the Ystad pre-study (seed 003):
preschool, school, pupil health, family services, first line, child health care, maternity care,
BUP, habilitation, the police and civil society. Phone numbers come from the range Post- och
telestyrelsen keeps for fiction (070-174 06 05 – 070-174 06 99).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from organisations.models import Authority, Role, Unit

MUNICIPALITY_NAME = "Sjöstads kommun"
MUNICIPALITY_CODE = "9990"  # not an SCB code in use
CITY = "Sjöstad"
EMAIL_DOMAIN = "sjostad.example"

# Areas with their postal-code prefix and their weight in the population.
AREAS = {
    "Centrum": ("990 10", 4),
    "Norrstrand": ("990 20", 3),
    "Västerby": ("990 30", 3),
    "Österlid": ("990 40", 3),
    "Sjöängen": ("990 50", 2),
    "Hamnen": ("990 60", 2),
}


@dataclass(frozen=True)
class AuthoritySpec:
    key: str
    name: str
    kind: str
    sector: str


@dataclass(frozen=True)
class UnitSpec:
    key: str
    authority: str
    name: str
    unit_type: str
    area: str = ""


K = Authority.Kind
S = Authority.Sector
T = Unit.Type

AUTHORITIES = [
    AuthoritySpec("education", "Barn- och utbildningsnämnden", K.MUNICIPAL_COMMITTEE, S.EDUCATION),
    AuthoritySpec("social", "Socialnämnden", K.MUNICIPAL_COMMITTEE, S.SOCIAL_SERVICES),
    AuthoritySpec("leisure", "Kultur- och fritidsnämnden", K.MUNICIPAL_COMMITTEE, S.CULTURE_LEISURE),
    AuthoritySpec("bvc", "Region Sjöland, barnhälsovården", K.REGION, S.CHILD_HEALTH),
    AuthoritySpec("bmm", "Region Sjöland, mödrahälsovården", K.REGION, S.MATERNITY),
    AuthoritySpec("bup", "Region Sjöland, barn- och ungdomspsykiatrin", K.REGION, S.CHILD_PSYCHIATRY),
    AuthoritySpec("first_line", "Region Sjöland, Första linjen", K.REGION, S.FIRST_LINE),
    AuthoritySpec("habilitation", "Region Sjöland, habiliteringen", K.REGION, S.HABILITATION),
    AuthoritySpec("primary_care", "Region Sjöland, primärvården", K.REGION, S.PRIMARY_CARE),
    AuthoritySpec("police", "Polismyndigheten", K.POLICE, S.POLICE),
    AuthoritySpec("kompassen", "Kompassen Skolor AB", K.INDEPENDENT, S.EDUCATION),
    AuthoritySpec("ekorren", "Föräldrakooperativet Ekorren ekonomisk förening", K.INDEPENDENT, S.EDUCATION),
    AuthoritySpec("civil", "Föreningen Unga Sjöstad", K.CIVIL_SOCIETY, S.CIVIL_SOCIETY),
]

# Units are generated from kinds, so their number grows with the number of children while each unit keeps a
# realistic size (docs/demo-data.md names the averages and their sources). A kind's units are spread over the
# areas by population; an area with none of them is served by a unit in another area. A unit's key is its
# kind's key and a number counted over the areas in order, Centrum first: `skola_f6_1` is Centrum's first
# F–6 school. The demo logins and teams below use the first unit of a kind.


@dataclass(frozen=True)
class StaffSpec:
    role: str
    title: str
    fixed: int  # staff members every unit of the kind has
    children_each: int = 0  # and one more per this many children the unit serves (0: none)


@dataclass(frozen=True)
class UnitKind:
    key: str
    authority: str
    unit_type: str
    single: str  # the unit's name when the municipality has one of the kind
    pattern: str  # the names otherwise, with {area} or {stem}; a name already taken gets a number
    served: float  # share of all the municipality's children the kind serves at one time
    per_unit: int  # children one unit serves (births a year for maternity care)
    staff: tuple[StaffSpec, ...]


AGE_YEARS = 19  # birth dates are spread evenly over ages 0–18
MUNICIPAL_SCHOOL = 0.92  # share of pupils in municipal schools; the others go to the independent school
IN_PRESCHOOL = 0.93 * 4.6 / AGE_YEARS  # 93 % of children, from about 1.4 years until preschool class

SCHOOL_STEMS = [
    "Ekbacks", "Solbacka", "Lövängs", "Kvarnbacks", "Sjövik", "Björkhaga", "Tallbacka", "Rosendals", "Lindhaga",
    "Vikens", "Ängs", "Bergs", "Strand", "Hag", "Furu", "Ljung", "Källbrinks", "Mosse", "Klint", "Lunda",
]  # fmt: skip
PRESCHOOL_STEMS = [
    "Fyren", "Ankaret", "Strandängen", "Tallkotten", "Vallmon", "Kvarnen", "Solgläntan", "Lärkan", "Näckrosen",
    "Vassen", "Skutan", "Bryggan", "Humlan", "Myrstacken", "Blåklockan", "Snäckan", "Tärnan", "Sjöstjärnan",
    "Äppellunden", "Lönnen", "Vitsippan", "Smultronet", "Kastanjen", "Rönnen", "Svanen", "Regnbågen",
]  # fmt: skip
# How the area's name begins a school's name (Centrumskolan, Sjöängsskolan …).
AREA_SCHOOL_STEMS = {
    "Centrum": "Centrum",
    "Norrstrand": "Norrstrands",
    "Västerby": "Västerby",
    "Österlid": "Österlids",
    "Sjöängen": "Sjöängs",
    "Hamnen": "Hamn",
}


def _other(low: int, high: int, share: float) -> float:
    """Return the share of all children an "other" contact serves at a time (about 80 % still open)."""
    return share * (high - low) / AGE_YEARS * 0.8


# (kind key, share of children of the ages, age range in years): the contacts beyond the life course.
OTHER_CONTACTS = [
    ("soc_mottagning", 0.010, 0, 18),
    ("soc_utredning", 0.025, 0, 18),
    ("soc_oppenvard", 0.015, 3, 18),
    ("bup", 0.040, 4, 18),  # about 5 % of children see BUP in a year
    ("first_line", 0.015, 6, 18),
    ("habilitation", 0.010, 1, 18),
    ("vc", 0.010, 0, 18),
    ("polis", 0.003, 12, 18),
    ("fritid", 0.070, 10, 18),
    ("kulturskolan", 0.050, 7, 18),
    ("laxhjalpen", 0.020, 7, 16),
]
_OTHER = {key: _other(low, high, share) for key, share, low, high in OTHER_CONTACTS}


def _kind(key, authority, unit_type, names, served, per_unit, *staff) -> UnitKind:
    single, pattern = names
    return UnitKind(key, authority, unit_type, single, pattern, served, per_unit, tuple(StaffSpec(*s) for s in staff))


R = Role
UNIT_KINDS = [
    # Maternity care: births a year per clinic; a midwife follows about 90 pregnancies a year.
    _kind(
        "bmm", "bmm", T.MATERNITY_CLINIC, ("Barnmorskemottagningen Sjöstad", "Barnmorskemottagningen {area}"),
        1 / AGE_YEARS, 500, (R.MIDWIFE, "Barnmorska", 1, 90),
    ),
    # Child health care, 0 to preschool class; Rikshandboken: at most about 350 children per full-time nurse.
    _kind(
        "bvc", "bvc", T.CHILD_HEALTH_CENTRE, ("BVC Sjöstad", "BVC {area}"), 6 / AGE_YEARS, 1200,
        (R.CHILD_HEALTH_NURSE, "BVC-sjuksköterska", 0, 350),
    ),
    # Preschools: Skolverket, about 55–60 children per unit and about 5 children per employee.
    _kind(
        "fsk", "education", T.PRESCHOOL, ("Förskolan Fyren", "Förskolan {stem}"), IN_PRESCHOOL * 0.94, 60,
        (R.HEAD_TEACHER, "Rektor", 1), (R.PRACTITIONER, "Förskollärare", 0, 15),
        (R.PRACTITIONER, "Barnskötare", 0, 10),
    ),
    _kind(
        "fsk_ekorren", "ekorren", T.PRESCHOOL, ("Föräldrakooperativet Ekorren", "Föräldrakooperativet Ekorren {area}"),
        IN_PRESCHOOL * 0.06, 30, (R.HEAD_TEACHER, "Rektor", 1), (R.PRACTITIONER, "Förskollärare", 0, 15),
    ),
    # Compulsory school: Skolverket, about 250 pupils per school unit and 12 pupils per teacher; F–6 and 7–9.
    _kind(
        "skola_f6", "education", T.SCHOOL, ("Centrumskolan F–6", "{stem}skolan F–6"),
        7 / AGE_YEARS * MUNICIPAL_SCHOOL, 250, (R.HEAD_TEACHER, "Rektor", 1), (R.PRACTITIONER, "Lärare", 0, 12),
    ),
    _kind(
        "skola_79", "education", T.SCHOOL, ("Centrumskolan 7–9", "{stem}skolan 7–9"),
        3 / AGE_YEARS * MUNICIPAL_SCHOOL, 300, (R.HEAD_TEACHER, "Rektor", 1), (R.PRACTITIONER, "Lärare", 0, 12),
    ),
    _kind(
        "skola_kompassen", "kompassen", T.SCHOOL, ("Friskolan Kompassen F–9", "Friskolan Kompassen {area} F–9"),
        10 / AGE_YEARS * (1 - MUNICIPAL_SCHOOL), 300, (R.HEAD_TEACHER, "Rektor", 1),
        (R.PRACTITIONER, "Lärare", 0, 12),
    ),
    # Upper secondary: municipal schools of several hundred pupils each.
    _kind(
        "gymnasium", "education", T.UPPER_SECONDARY, ("Sjöstads gymnasium", "{stem}gymnasiet"),
        3 / AGE_YEARS * 0.92, 800, (R.HEAD_TEACHER, "Rektor", 1), (R.PRACTITIONER, "Gymnasielärare", 0, 12),
    ),
    # Social services: units of about 250 children; a social worker carries about 25 of them.
    _kind(
        "soc_mottagning", "social", T.SOCIAL_SERVICES_TEAM,
        ("Barn och familj, mottagning", "Barn och familj, mottagning {area}"), _OTHER["soc_mottagning"], 250,
        (R.MANAGER, "Enhetschef", 1), (R.SOCIAL_WORKER, "Socialsekreterare", 1, 25),
    ),
    _kind(
        "soc_utredning", "social", T.SOCIAL_SERVICES_TEAM,
        ("Barn och familj, utredning", "Barn och familj, utredning {area}"), _OTHER["soc_utredning"], 250,
        (R.MANAGER, "Enhetschef", 1), (R.SOCIAL_WORKER, "Socialsekreterare", 1, 25),
    ),
    _kind(
        "soc_oppenvard", "social", T.SOCIAL_SERVICES_TEAM,
        ("Öppenvården barn och unga", "Öppenvården barn och unga {area}"), _OTHER["soc_oppenvard"], 250,
        (R.MANAGER, "Enhetschef", 1), (R.SOCIAL_WORKER, "Socialsekreterare", 1, 25),
    ),
    _kind(
        "bup", "bup", T.CHILD_PSYCHIATRY, ("BUP Sjöstad", "BUP {area}"), _OTHER["bup"], 800,
        (R.MANAGER, "Verksamhetschef", 1), (R.PRACTITIONER, "Psykolog", 1, 60),
    ),
    # Each health-care unit has a verksamhetschef (the Health and Medical Services Act, 4 ch. 2 §).
    _kind(
        "first_line", "first_line", T.FIRST_LINE, ("Första linjen Sjöstad", "Första linjen {area}"),
        _OTHER["first_line"], 400, (R.MANAGER, "Verksamhetschef", 1), (R.PRACTITIONER, "Kurator", 1, 80),
    ),
    _kind(
        "habilitation", "habilitation", T.HABILITATION,
        ("Barn- och ungdomshabiliteringen", "Barn- och ungdomshabiliteringen {area}"), _OTHER["habilitation"], 600,
        (R.MANAGER, "Verksamhetschef", 1), (R.PRACTITIONER, "Arbetsterapeut", 1, 100),
    ),
    _kind(
        "vc", "primary_care", T.PRIMARY_CARE, ("Vårdcentralen Centrum", "Vårdcentralen {area}"), _OTHER["vc"], 300,
        (R.MANAGER, "Verksamhetschef", 1), (R.PRACTITIONER, "Distriktssköterska", 1, 300),
    ),
    _kind(
        "polis", "police", T.POLICE, ("Lokalpolisområde Sjöstad", "Lokalpolisområde Sjöstad {area}"),
        _OTHER["polis"], 200, (R.PRACTITIONER, "Kommunpolis", 1, 200),
    ),
    _kind(
        "fritid", "leisure", T.LEISURE, ("Fritidsgården Fyren", "Fritidsgården {area}"), _OTHER["fritid"], 150,
        (R.PRACTITIONER, "Fritidsledare", 1, 50),
    ),
    _kind(
        "kulturskolan", "leisure", T.LEISURE, ("Kulturskolan Sjöstad", "Kulturskolan {area}"),
        _OTHER["kulturskolan"], 1500, (R.PRACTITIONER, "Kulturskolelärare", 1, 150),
    ),
    _kind(
        "laxhjalpen", "civil", T.CIVIL_SOCIETY, ("Läxhjälpen Unga Sjöstad", "Läxhjälpen Unga Sjöstad {area}"),
        _OTHER["laxhjalpen"], 100, (R.PRACTITIONER, "Samordnare", 1),
    ),
]  # fmt: skip
KINDS = {kind.key: kind for kind in UNIT_KINDS}
# The stems a kind's pattern draws its names from, when it has {stem}.
STEMS = {"fsk": PRESCHOOL_STEMS, "skola_f6": SCHOOL_STEMS, "skola_79": SCHOOL_STEMS, "gymnasium": SCHOOL_STEMS}

# Staff beyond the kinds' staffing: (unit key, role, title).
EXTRA_STAFF = [
    ("bvc_1", Role.MANAGER, "Verksamhetschef barnhälsovård"),
    ("skola_f6_1", Role.MANAGER, "Förvaltningschef"),
    ("skola_f6_1", Role.ANALYST, "Utvecklingsstrateg"),
    ("skola_f6_1", Role.ADMINISTRATOR, "Systemförvaltare"),
    ("skola_f6_1", Role.REGISTRAR, "Registrator, barn- och utbildningsförvaltningen"),
]
# One known login per role: (username, role, unit key). Each takes the first staff place of that role at that unit.
DEMO_LOGINS = [
    ("barnmorska", Role.MIDWIFE, "bmm_1"),
    ("bvc", Role.CHILD_HEALTH_NURSE, "bvc_1"),
    ("rektor", Role.HEAD_TEACHER, "skola_f6_1"),
    ("larare", Role.PRACTITIONER, "skola_f6_1"),
    ("socialsekreterare", Role.SOCIAL_WORKER, "soc_utredning_1"),
    ("chef", Role.MANAGER, "soc_utredning_1"),
    ("analytiker", Role.ANALYST, "skola_f6_1"),
    ("administrator", Role.ADMINISTRATOR, "skola_f6_1"),
    ("registrator", Role.REGISTRAR, "skola_f6_1"),
]
# The deliberately huge caseload, the worst case the benchmark measures: one head teacher over every municipal
# compulsory school in an area (about 13 % of all children: some 26 000 at 200 000). Never a named person.
LARGEST_CASELOAD = ("rektor.stor", "Rektor, skolområde Centrum", "Centrum", ("skola_f6", "skola_79"))


@dataclass(frozen=True)
class TeamSpec:
    name: str
    kind: str
    description: str
    # (demo username, or (unit key, role) for the first staff member there; authority key; team role)
    members: tuple[tuple[str | tuple[str, str], str, str], ...]


# Multi-agency teams; each member takes part for their own authority. Kept by the `chef` login.
TEAMS = [
    TeamSpec(
        "Barnombudsteam Centrum",
        "barnombudsteam",
        "Skola, barnhälsovård, socialtjänst och Första linjen träffas varannan vecka om barn i Centrum.",
        (
            ("rektor", "education", "chair"),
            ("bvc", "bvc", "member"),
            ("socialsekreterare", "social", "member"),
            (("first_line_1", Role.PRACTITIONER), "first_line", "member"),
        ),
    ),
    TeamSpec(
        "Samverkansforum Sjöstad",
        "samverkansforum",
        "Cheferna i kommunen och regionen samordnar stödet till barn och familjer.",
        (
            ("chef", "social", "chair"),
            (("skola_f6_1", Role.MANAGER), "education", "member"),
            (("bvc_1", Role.MANAGER), "bvc", "member"),
            (("bup_1", Role.MANAGER), "bup", "member"),
        ),
    ),
]
TEAM_AGE_DAYS = 120  # the teams have met for a while: members joined this many days before the build day

# The demo guardian's login; the other guardians with custody of the same child get FAMILY_LOGIN + "2" and on.
FAMILY_LOGIN = "vardnadshavare"

GIRLS = [
    "Alice", "Maja", "Elsa", "Astrid", "Wilma", "Freja", "Olivia", "Selma", "Alma", "Ebba", "Vera", "Signe", "Agnes",
    "Lilly", "Ella", "Saga", "Stella", "Clara", "Nova", "Elvira", "Ellen", "Linnea", "Ida", "Moa", "Tyra", "Juni",
    "Hedda", "Ines", "Märta", "Sigrid", "Edith", "Thea", "Greta", "Emmy", "Liv",
]  # fmt: skip
BOYS = [
    "William", "Noah", "Hugo", "Lucas", "Liam", "Oscar", "Elias", "Adam", "Matteo", "Vincent", "Alexander", "Nils",
    "Oliver", "Leo", "Theo", "Charlie", "Arvid", "Ludvig", "Gustav", "Axel", "Melvin", "Sixten", "Vide", "Harry",
    "Olle", "Edvin", "Love", "Ture", "Viggo", "Isak", "Loke", "Otto", "Sam", "Frans", "Folke",
]  # fmt: skip
WOMEN = [
    "Anna", "Maria", "Sara", "Emma", "Johanna", "Karin", "Linda", "Elin", "Hanna", "Jenny", "Sofia", "Malin",
    "Frida", "Camilla", "Lisa", "Petra", "Therese", "Jessica", "Amanda", "Ida", "Caroline", "Helena", "Emelie",
]  # fmt: skip
MEN = [
    "Erik", "Johan", "Anders", "Fredrik", "Daniel", "Magnus", "Mikael", "Andreas", "Henrik", "Jonas", "Martin",
    "Niklas", "Patrik", "Stefan", "Marcus", "Peter", "Mattias", "Tobias", "Per", "Joakim", "Simon", "Robin",
]  # fmt: skip
FAMILY_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson",
    "Magnusson", "Olofsson", "Lindström", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg",
    "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg",
    "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk", "Bergman",
    "Gunnarsson", "Holm", "Wikström", "Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Nyström", "Holmberg",
    "Arvidsson", "Löfgren", "Söderberg", "Nyberg", "Blomqvist", "Claesson", "Nordström", "Mårtensson", "Ek",
]  # fmt: skip

# Families with another home language: (language, girls, boys, women, men, family names).
OTHER_LANGUAGES = {
    "ar": (
        ["Amira", "Yasmin", "Leila", "Nour", "Sara"],
        ["Omar", "Ali", "Yusuf", "Adam", "Karim"],
        ["Fatima", "Rania", "Huda"],
        ["Ahmad", "Khaled", "Samir"],
        ["Hassan", "Haddad", "Mansour", "Khalil"],
    ),
    "so": (
        ["Hodan", "Amina", "Ayaan", "Ifrah"],
        ["Abdi", "Mahad", "Liban", "Hamza"],
        ["Sahra", "Faadumo"],
        ["Mohamed", "Abdirahman"],
        ["Warsame", "Farah", "Hussein"],
    ),
    "fa": (
        ["Ava", "Darya", "Nika", "Yasna"],
        ["Arian", "Kian", "Dariush", "Navid"],
        ["Shirin", "Maryam"],
        ["Reza", "Hamid"],
        ["Rahimi", "Karimi", "Hosseini"],
    ),
    "pl": (
        ["Zofia", "Hanna", "Julia", "Lena"],
        ["Jakub", "Filip", "Antoni", "Szymon"],
        ["Agnieszka", "Katarzyna"],
        ["Tomasz", "Piotr"],
        ["Nowak", "Kowalski", "Wiśniewski"],
    ),
    "fi": (
        ["Aino", "Helmi", "Venla"],
        ["Eino", "Väinö", "Onni"],
        ["Minna", "Sanna"],
        ["Jari", "Mikko"],
        ["Virtanen", "Korhonen", "Mäkinen"],
    ),
    "bs": (
        ["Amra", "Lejla", "Ajla"],
        ["Emir", "Adnan", "Tarik"],
        ["Selma", "Azra"],
        ["Senad", "Edin"],
        ["Hodžić", "Begić", "Delić"],
    ),
    "ti": (
        ["Selam", "Luwam", "Hiwet"],
        ["Yonas", "Dawit", "Robel"],
        ["Helen", "Tsega"],
        ["Tesfay", "Berhane"],
        ["Tesfamariam", "Gebremedhin"],
    ),
    "uk": (
        ["Sofiia", "Anastasiia", "Daryna"],
        ["Maksym", "Artem", "Bohdan"],
        ["Olena", "Iryna"],
        ["Andrii", "Oleksandr"],
        ["Shevchenko", "Kovalenko", "Bondarenko"],
    ),
    "en": (
        ["Olivia", "Amelia", "Isla"],
        ["Oliver", "George", "Harry"],
        ["Emily", "Sarah"],
        ["James", "David"],
        ["Smith", "Taylor", "Brown"],
    ),
}

STREETS = [
    "Sjöängsvägen", "Fyrgatan", "Båtsmansgatan", "Lotsvägen", "Ankargränd", "Kvarnbacken", "Ekbacksvägen",
    "Måsvägen", "Tångvägen", "Strandpromenaden", "Skepparegatan", "Vassvägen", "Kompassgatan", "Notvägen",
    "Brygghusgatan", "Sjömansgränd", "Klippvägen", "Dynvägen", "Hamnplan", "Vågbrytaregatan", "Seglarvägen",
    "Kastanjeallén", "Lärkstigen", "Vallmovägen", "Tallkottsvägen", "Mjölnargatan", "Solgläntevägen",
]  # fmt: skip


@dataclass(frozen=True)
class UnitPlan:
    """One unit to create: its key, kind, name and area, and how many children it serves."""

    key: str
    kind: UnitKind
    name: str
    area: str
    serves: float

    def staff(self) -> list[tuple[str, str]]:
        """Return the unit's staff places as (role, title): the kind's fixed staff and one per so many children."""
        places = []
        for spec in self.kind.staff:
            extra = math.ceil(self.serves / spec.children_each) if spec.children_each else 0
            places += [(spec.role, spec.title)] * (spec.fixed + extra)
        return places


def unit_count(kind: UnitKind, children: int) -> int:
    """Return how many units of the kind a municipality of this many children has: at least one."""
    return max(1, round(children * kind.served / kind.per_unit))


def _per_area(count: int) -> dict[str, int]:
    """Spread units over the areas by population (largest remainder; ties to the earlier area)."""
    total = sum(weight for _, weight in AREAS.values())
    quotas = {area: count * weight / total for area, (_, weight) in AREAS.items()}
    given = {area: int(quota) for area, quota in quotas.items()}
    by_remainder = sorted(AREAS, key=lambda area: (given[area] - quotas[area], list(AREAS).index(area)))
    for area in by_remainder[: count - sum(given.values())]:
        given[area] += 1
    return given


def plan_units(children: int) -> list[UnitPlan]:
    """Return every unit of a municipality of this many children, kind by kind and area by area."""
    plans: list[UnitPlan] = []
    taken: set[tuple[str, str]] = set()
    for kind in UNIT_KINDS:
        count = unit_count(kind, children)
        serves = children * kind.served / count
        stems = itertools.cycle(STEMS.get(kind.key, [""]))
        number = 0
        for area, in_area in _per_area(count).items():
            for index in range(in_area):
                number += 1
                if count == 1:
                    name = kind.single
                elif "{stem}" in kind.pattern:
                    first_here = index == 0 and kind.key != "fsk"
                    name = kind.pattern.format(stem=AREA_SCHOOL_STEMS[area] if first_here else next(stems))
                else:
                    name = kind.pattern.format(area=area) + (f" {index + 1}" if index else "")
                name = _free_name(name, kind.authority, taken)
                plans.append(UnitPlan(f"{kind.key}_{number}", kind, name, area, serves))
    return plans


def _free_name(name: str, authority: str, taken: set[tuple[str, str]]) -> str:
    candidate, n = name, 1
    while (authority, candidate) in taken:
        n += 1
        candidate = f"{name} {n}"
    taken.add((authority, candidate))
    return candidate

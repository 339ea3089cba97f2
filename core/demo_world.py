"""The fixed, fictitious world the demo data is built in: Sjöstads kommun, its units, names and streets.

Everything here is invented. The kinds of units and the actors follow the Ystad pre-study (seed 003):
preschool, school, pupil health, family services, first line, child health care, maternity care,
BUP, habilitation, the police and civil society. Phone numbers come from the range Post- och
telestyrelsen keeps for fiction (070-174 06 05 – 070-174 06 99).
"""

from __future__ import annotations

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

UNITS = [
    # Preschools: two municipal ones per area, and one parent cooperative.
    UnitSpec("fsk_centrum_1", "education", "Förskolan Fyren", T.PRESCHOOL, "Centrum"),
    UnitSpec("fsk_centrum_2", "education", "Förskolan Ankaret", T.PRESCHOOL, "Centrum"),
    UnitSpec("fsk_norrstrand_1", "education", "Förskolan Strandängen", T.PRESCHOOL, "Norrstrand"),
    UnitSpec("fsk_norrstrand_2", "education", "Förskolan Tallkotten", T.PRESCHOOL, "Norrstrand"),
    UnitSpec("fsk_vasterby_1", "education", "Förskolan Vallmon", T.PRESCHOOL, "Västerby"),
    UnitSpec("fsk_vasterby_2", "education", "Förskolan Kvarnen", T.PRESCHOOL, "Västerby"),
    UnitSpec("fsk_osterlid_1", "education", "Förskolan Solgläntan", T.PRESCHOOL, "Österlid"),
    UnitSpec("fsk_osterlid_2", "education", "Förskolan Lärkan", T.PRESCHOOL, "Österlid"),
    UnitSpec("fsk_sjoangen_1", "education", "Förskolan Näckrosen", T.PRESCHOOL, "Sjöängen"),
    UnitSpec("fsk_sjoangen_2", "education", "Förskolan Vassen", T.PRESCHOOL, "Sjöängen"),
    UnitSpec("fsk_hamnen_1", "education", "Förskolan Skutan", T.PRESCHOOL, "Hamnen"),
    UnitSpec("fsk_hamnen_2", "education", "Förskolan Bryggan", T.PRESCHOOL, "Hamnen"),
    UnitSpec("fsk_ekorren", "ekorren", "Föräldrakooperativet Ekorren", T.PRESCHOOL, "Västerby"),
    # Schools F–9 (preschool class and grades 1–9): one per area and one independent school.
    UnitSpec("skola_centrum", "education", "Centrumskolan F–9", T.SCHOOL, "Centrum"),
    UnitSpec("skola_norrstrand", "education", "Norrstrandsskolan F–9", T.SCHOOL, "Norrstrand"),
    UnitSpec("skola_vasterby", "education", "Västerbyskolan F–9", T.SCHOOL, "Västerby"),
    UnitSpec("skola_osterlid", "education", "Österlidsskolan F–9", T.SCHOOL, "Österlid"),
    UnitSpec("skola_sjoangen", "education", "Sjöängsskolan F–9", T.SCHOOL, "Sjöängen"),
    UnitSpec("skola_hamnen", "education", "Hamnskolan F–9", T.SCHOOL, "Hamnen"),
    UnitSpec("skola_kompassen", "kompassen", "Friskolan Kompassen F–9", T.SCHOOL, "Centrum"),
    UnitSpec("gymnasium", "education", "Sjöstads gymnasium", T.UPPER_SECONDARY, "Centrum"),
    # Region: child health care by area, maternity care, psychiatry, first line, habilitation, primary care.
    UnitSpec("bvc_centrum", "bvc", "BVC Centrum", T.CHILD_HEALTH_CENTRE, "Centrum"),
    UnitSpec("bvc_norrstrand", "bvc", "BVC Norrstrand", T.CHILD_HEALTH_CENTRE, "Norrstrand"),
    UnitSpec("bvc_vasterby", "bvc", "BVC Västerby", T.CHILD_HEALTH_CENTRE, "Västerby"),
    UnitSpec("bvc_osterlid", "bvc", "BVC Österlid", T.CHILD_HEALTH_CENTRE, "Österlid"),
    UnitSpec("bmm_ost", "bmm", "Barnmorskemottagningen Sjöstad", T.MATERNITY_CLINIC, "Centrum"),
    UnitSpec("bmm_vast", "bmm", "Barnmorskemottagningen Västerby", T.MATERNITY_CLINIC, "Västerby"),
    UnitSpec("bup", "bup", "BUP Sjöstad", T.CHILD_PSYCHIATRY, "Centrum"),
    UnitSpec("first_line", "first_line", "Första linjen Sjöstad", T.FIRST_LINE, "Centrum"),
    UnitSpec("habilitation", "habilitation", "Barn- och ungdomshabiliteringen", T.HABILITATION, "Centrum"),
    UnitSpec("vc_centrum", "primary_care", "Vårdcentralen Centrum", T.PRIMARY_CARE, "Centrum"),
    UnitSpec("vc_vasterby", "primary_care", "Vårdcentralen Västerby", T.PRIMARY_CARE, "Västerby"),
    # Social services: intake, investigation and open care for children and families.
    UnitSpec("soc_mottagning", "social", "Barn och familj, mottagning", T.SOCIAL_SERVICES_TEAM, "Centrum"),
    UnitSpec("soc_utredning", "social", "Barn och familj, utredning", T.SOCIAL_SERVICES_TEAM, "Centrum"),
    UnitSpec("soc_oppenvard", "social", "Öppenvården barn och unga", T.SOCIAL_SERVICES_TEAM, "Norrstrand"),
    # Culture and leisure, the police and civil society.
    UnitSpec("fritid_fyren", "leisure", "Fritidsgården Fyren", T.LEISURE, "Centrum"),
    UnitSpec("fritid_vasterby", "leisure", "Fritidsgården Västerby", T.LEISURE, "Västerby"),
    UnitSpec("kulturskolan", "leisure", "Kulturskolan Sjöstad", T.LEISURE, "Centrum"),
    UnitSpec("polis", "police", "Lokalpolisområde Sjöstad", T.POLICE, "Centrum"),
    UnitSpec("laxhjalpen", "civil", "Läxhjälpen Unga Sjöstad", T.CIVIL_SOCIETY, "Hamnen"),
]

# Which child health centre and maternity clinic serve each area.
BVC_BY_AREA = {
    "Centrum": "bvc_centrum",
    "Hamnen": "bvc_centrum",
    "Norrstrand": "bvc_norrstrand",
    "Västerby": "bvc_vasterby",
    "Sjöängen": "bvc_vasterby",
    "Österlid": "bvc_osterlid",
}
BMM_BY_AREA = {area: ("bmm_vast" if area in {"Västerby", "Sjöängen"} else "bmm_ost") for area in AREAS}
SCHOOL_BY_AREA = {spec.area: spec.key for spec in UNITS if spec.unit_type == T.SCHOOL and spec.authority != "kompassen"}
PRESCHOOLS_BY_AREA = {
    area: [
        spec.key
        for spec in UNITS
        if spec.unit_type == T.PRESCHOOL and spec.area == area and spec.authority == "education"
    ]
    for area in AREAS
}

# Staff by unit type: (role, how many, title).
STAFFING = {
    T.PRESCHOOL: [(Role.HEAD_TEACHER, 1, "Rektor"), (Role.PRACTITIONER, 2, "Förskollärare")],
    T.SCHOOL: [(Role.HEAD_TEACHER, 1, "Rektor"), (Role.PRACTITIONER, 3, "Lärare")],
    T.UPPER_SECONDARY: [(Role.HEAD_TEACHER, 1, "Rektor"), (Role.PRACTITIONER, 3, "Gymnasielärare")],
    T.CHILD_HEALTH_CENTRE: [(Role.CHILD_HEALTH_NURSE, 2, "BVC-sjuksköterska")],
    T.MATERNITY_CLINIC: [(Role.MIDWIFE, 2, "Barnmorska")],
    T.SOCIAL_SERVICES_TEAM: [(Role.MANAGER, 1, "Enhetschef"), (Role.SOCIAL_WORKER, 3, "Socialsekreterare")],
    T.CHILD_PSYCHIATRY: [(Role.MANAGER, 1, "Verksamhetschef"), (Role.PRACTITIONER, 2, "Psykolog")],
    T.FIRST_LINE: [(Role.PRACTITIONER, 1, "Kurator")],
    T.HABILITATION: [(Role.PRACTITIONER, 1, "Arbetsterapeut")],
    T.PRIMARY_CARE: [(Role.PRACTITIONER, 1, "Distriktssköterska")],
    T.POLICE: [(Role.PRACTITIONER, 1, "Kommunpolis")],
    T.LEISURE: [(Role.PRACTITIONER, 1, "Fritidsledare")],
    T.CIVIL_SOCIETY: [(Role.PRACTITIONER, 1, "Samordnare")],
}
# Staff beyond the per-type table: (unit key, role, title).
EXTRA_STAFF = [
    ("bvc_centrum", Role.MANAGER, "Verksamhetschef barnhälsovård"),
    ("skola_centrum", Role.MANAGER, "Förvaltningschef"),
    ("skola_centrum", Role.ANALYST, "Utvecklingsstrateg"),
    ("skola_centrum", Role.ADMINISTRATOR, "Systemförvaltare"),
]
# One known login per role: (username, role, unit key). Each takes the first staff place of that role at that unit.
DEMO_LOGINS = [
    ("barnmorska", Role.MIDWIFE, "bmm_ost"),
    ("bvc", Role.CHILD_HEALTH_NURSE, "bvc_centrum"),
    ("rektor", Role.HEAD_TEACHER, "skola_centrum"),
    ("larare", Role.PRACTITIONER, "skola_centrum"),
    ("socialsekreterare", Role.SOCIAL_WORKER, "soc_utredning"),
    ("chef", Role.MANAGER, "soc_utredning"),
    ("analytiker", Role.ANALYST, "skola_centrum"),
    ("administrator", Role.ADMINISTRATOR, "skola_centrum"),
]


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
            (("first_line", Role.PRACTITIONER), "first_line", "member"),
        ),
    ),
    TeamSpec(
        "Samverkansforum Sjöstad",
        "samverkansforum",
        "Cheferna i kommunen och regionen samordnar stödet till barn och familjer.",
        (
            ("chef", "social", "chair"),
            (("skola_centrum", Role.MANAGER), "education", "member"),
            (("bvc_centrum", Role.MANAGER), "bvc", "member"),
            (("bup", Role.MANAGER), "bup", "member"),
        ),
    ),
]
TEAM_AGE_DAYS = 120  # the teams have met for a while: members joined this many days before the build day

# The demo guardian's login; the other guardians with custody of the same child get FAMILY_LOGIN + "2" and on.
FAMILY_LOGIN = "vardnadshavare"

# Enrolments beyond the life course ("other" contacts): unit key, share of children, age range in years.
OTHER_CONTACTS = [
    ("soc_mottagning", 0.010, 0, 18),
    ("soc_utredning", 0.025, 0, 18),
    ("soc_oppenvard", 0.015, 3, 18),
    ("bup", 0.020, 4, 18),
    ("first_line", 0.015, 6, 18),
    ("habilitation", 0.010, 1, 18),
    ("vc_centrum", 0.010, 0, 18),
    ("polis", 0.003, 12, 18),
    ("fritid_fyren", 0.040, 10, 18),
    ("fritid_vasterby", 0.030, 10, 18),
    ("kulturskolan", 0.050, 7, 18),
    ("laxhjalpen", 0.020, 7, 16),
]

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

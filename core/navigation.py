"""Which pages a signed-in user is offered, decided from the user's current roles (never in templates)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.access import is_verified
from core.batch import Batch
from sharing import policy

_CACHE_ATTRIBUTE = "_samplan_navigation"
_FAMILY_ATTRIBUTE = "_samplan_family_user"  # whether the user also signs in as family, if a page read it already


@dataclass(frozen=True)
class Section:
    """A group of the main navigation; `key` is its id in the page (never shown)."""

    key: str
    label: str | Promise


CHILDREN_SECTION = Section("barn", _("Barn"))
MY_TASKS_SECTION = Section("mina-uppgifter", _("Mina uppgifter"))
COOPERATION_SECTION = Section("samverkan", _("Samverkan"))
FOLLOW_UP_SECTION = Section("uppfoljning", _("Uppföljning"))
ADMINISTRATION_SECTION = Section("administration", _("Administration"))
# The sections in the order the menu shows them.
SECTIONS = (CHILDREN_SECTION, MY_TASKS_SECTION, COOPERATION_SECTION, FOLLOW_UP_SECTION, ADMINISTRATION_SECTION)


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation and of the start page, in one section of the menu."""

    label: str | Promise
    url_name: str
    description: str | Promise = ""
    section: Section = MY_TASKS_SECTION

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MY_CHILDREN = NavItem(
    _("Mina barn"), "namedperson:my_children", _("Barn som du är namngiven person för i dag."), CHILDREN_SECTION
)
HANDOVERS = NavItem(_("Överlämningar"), "namedperson:handovers", _("Barn som ska lämnas över till dig eller från dig."))
CHILD_LIST = NavItem(
    _("Barn på mina enheter"),
    "people:child_list",
    _("Barn som är inskrivna på dina enheter eller tilldelade dig."),
    section=CHILDREN_SECTION,
)
LOOKUP = NavItem(
    _("Sök på personnummer"),
    "people:lookup",
    _("Hitta ett barn du har tillgång till. Ange alltid skäl."),
    section=CHILDREN_SECTION,
)
WITHOUT = NavItem(
    _("Barn utan namngiven person"),
    "namedperson:without",
    _("Barn som saknar namngiven person eller överlämning."),
    section=CHILDREN_SECTION,
)
ADMINISTRATION = NavItem(
    _("Administration"),
    "admin:index",
    _("Myndigheter, enheter, personal, roller och regler."),
    section=ADMINISTRATION_SECTION,
)
IMPORTS = NavItem(
    _("Importer"),
    "imports:list",
    _("Uppgifter från folkbokföringen och skolans system."),
    section=ADMINISTRATION_SECTION,
)
EMERGENCY_REVIEW = NavItem(
    _("Nödåtkomster att granska"),
    "sharing:emergency_review_queue",
    _("Bedöm om nödåtkomster till din myndighets uppgifter var befogade."),
    section=FOLLOW_UP_SECTION,
)
MY_EMERGENCY_ACCESSES = NavItem(
    _("Mina nödåtkomster"),
    "sharing:my_emergency_accesses",
    _("Nödåtkomster du har startat, hur länge de gäller och vad granskningen kom fram till."),
)
MY_REPORTS = NavItem(
    _("Mina orosanmälningar"), "sharing:my_reports", _("Kvitton på dina orosanmälningar och socialtjänstens besked.")
)
REPORT_INTAKE = NavItem(
    _("Inkomna orosanmälningar"),
    "sharing:report_intake",
    _("Orosanmälningar till dina enheter inom socialtjänsten."),
    section=COOPERATION_SECTION,
)
MY_FOLLOW_UPS = NavItem(
    _("Mina uppföljningar"), "wellbeing:follow_ups", _("Åtgärder efter de fem frågorna som du ska följa upp.")
)
MY_PLAN_REMINDERS = NavItem(
    _("Mina påminnelser"), "plans:reminders", _("Planer som ska följas upp och åtgärder som har passerat slutdatum.")
)
TEAMS = NavItem(
    _("Team"),
    "teams:list",
    _("Barnombudsteam och samverkansforum: vilka som är med och för vilken myndighet."),
    section=COOPERATION_SECTION,
)
MY_TEAM_ACTIONS = NavItem(
    _("Mina teamåtgärder"), "meetings:my_actions", _("Åtgärder från teamens möten som du ansvarar för.")
)
PROGRAMMES = NavItem(
    _("Program och föreläsningar"),
    "programmes:home",
    _("Sök stimulansbidrag, bedöm ansökningar och anmäl dig till föreläsningar."),
    section=COOPERATION_SECTION,
)
CATALOGUE = NavItem(
    _("Insatskatalogen"),
    "catalogue:list",
    _("Alla insatser för barn och familjer: för vem, nivå, väntetid och kontakt."),
    section=COOPERATION_SECTION,
)
INTAKE = NavItem(
    _("Mottagning"),
    "catalogue:intake",
    _("Begäran om stöd till din mottagning: bedöm nivå, för vidare och följ tiden till första stöd."),
    section=COOPERATION_SECTION,
)
REGISTRATION = NavItem(
    _("Registrering"),
    "registration:home",
    _("Registrera barn, vårdnadshavare och inskrivningar för hand."),
    section=ADMINISTRATION_SECTION,
)
INDICATORS = NavItem(
    _("Samlad bild"),
    "indicators:list",
    _("Indikatorer över tid, årlig rapportering, import och utanförskapets pris."),
    section=FOLLOW_UP_SECTION,
)
FOLLOW_UP = NavItem(
    _("Uppföljning"),
    "evaluation:home",
    _("Nyckeltal och piloter i sammanräknade siffror, utan uppgifter om enskilda barn."),
    section=FOLLOW_UP_SECTION,
)
ACCOUNT = NavItem(_("Mitt konto"), "accounts:account", _("Inloggning, tvåstegsverifiering och API-nycklar."))
FAMILY_CHILDREN = NavItem(
    _("Mina barn"), "family:home", _("Barnets namngivna person och hur ni når hen."), section=CHILDREN_SECTION
)
FAMILY_CONSENTS = NavItem(
    _("Samtycken"), "family:choose_consents", _("Vilka uppgifter som får delas, med vem och hur länge.")
)
FAMILY_LOG = NavItem(_("Logg"), "family:logs", _("Vem som har läst eller ändrat barnets uppgifter."))


# The menu, in order: each entry is offered to the users whose roles give the policy's action.
MENU: tuple[tuple[str, tuple[NavItem, ...]], ...] = (
    (policy.Action.BE_NAMED_PERSON, (MY_CHILDREN, HANDOVERS)),
    (policy.Action.SEE_UNIT_CHILDREN, (CHILD_LIST,)),
    (policy.Action.LOOKUP, (LOOKUP,)),
    (policy.Action.OVERSEE, (WITHOUT,)),
    (policy.Action.START_EMERGENCY, (MY_EMERGENCY_ACCESSES,)),
    (policy.Action.DECIDE, (EMERGENCY_REVIEW,)),
    (policy.Action.REPORT_CONCERN, (MY_REPORTS, MY_FOLLOW_UPS, MY_PLAN_REMINDERS)),
    (policy.Action.RECEIVE_REPORTS, (REPORT_INTAKE,)),
    (policy.Action.TAKE_PART_IN_TEAMS, (TEAMS, MY_TEAM_ACTIONS)),
    (policy.Action.TAKE_PART_IN_PROGRAMMES, (PROGRAMMES,)),
    (policy.Action.USE_CATALOGUE, (CATALOGUE,)),
    (policy.Action.TRIAGE_REQUESTS, (INTAKE,)),
    (policy.Action.FOLLOW_UP_OUTCOMES, (FOLLOW_UP,)),
    (policy.Action.READ_INDICATORS, (INDICATORS,)),
    (policy.Action.ADMINISTER, (ADMINISTRATION, IMPORTS)),
    (policy.Action.REGISTER, (REGISTRATION,)),
)


def _offered(user, action: str, actions: frozenset[str], mine: policy.CurrentMemberships) -> bool:
    if action == policy.Action.RECEIVE_REPORTS:
        return action in actions and policy.receives_reports(mine)  # only at a receiving unit
    if action == policy.Action.START_EMERGENCY:
        # Nödåtkomst is for care-giving staff at a health-care authority.
        return policy.emergency.may_start(user, on=mine.on, mine=mine)
    if action == policy.Action.REGISTER:
        return action in actions and policy.may_register(user, on=mine.on)  # only for a municipality's registrar
    if action == policy.Action.ADMINISTER:
        return action in actions or user.is_staff  # Django staff keep the admin site
    return action in actions


def items_for(user, *, mine: policy.CurrentMemberships | None = None, family: bool | None = None) -> list[NavItem]:
    """Return the pages the user's current roles give work on, in menu order; none before two-factor sign-in.

    `mine`, the user's memberships today if the request has loaded them, answers every question about
    roles; then only the family-user check reads the database (`family`, when a page has read it already).
    """
    if not is_verified(user):
        return []
    mine = mine if mine is not None else policy.current_memberships(user)
    actions = policy.allowed_actions(user, on=mine.on, mine=mine)
    items = [item for action, entries in MENU if _offered(user, action, actions, mine) for item in entries]
    if family if family is not None else policy.is_family_user(user):
        items += [FAMILY_CHILDREN, FAMILY_CONSENTS, FAMILY_LOG]  # guardians, parents and children in the family view
    items.append(ACCOUNT)
    return items


def items_for_request(request) -> list[NavItem]:
    """Return `items_for(request.user)`, computed once per request from the memberships the request loaded."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        mine = policy.request_memberships(request) if is_verified(request.user) else None
        cached = items_for(request.user, mine=mine, family=getattr(request, _FAMILY_ATTRIBUTE, None))
        setattr(request, _CACHE_ATTRIBUTE, cached)
    return cached


def menu_reads(request, batch: Batch) -> Callable[[], None]:
    """Add the menu's own read (does the user also sign in as family?) to a page's batch, for the menu to reuse."""
    if not is_verified(request.user) or hasattr(request, _CACHE_ATTRIBUTE):
        return lambda: None
    rows = policy.family_user_rows(request.user)
    if rows is None:
        return lambda: setattr(request, _FAMILY_ATTRIBUTE, False)
    found = batch.first(rows)
    return lambda: setattr(request, _FAMILY_ATTRIBUTE, found.value is not None)


# The section a page belongs to when it is not itself in the menu (a child's page, a plan, a meeting …).
SECTION_OF_APP = {
    "people": CHILDREN_SECTION,
    "plans": CHILDREN_SECTION,
    "wellbeing": CHILDREN_SECTION,
    "namedperson": CHILDREN_SECTION,
    "family": CHILDREN_SECTION,
    "core": MY_TASKS_SECTION,
    "teams": COOPERATION_SECTION,
    "meetings": COOPERATION_SECTION,
    "programmes": COOPERATION_SECTION,
    "catalogue": COOPERATION_SECTION,
    "admin": ADMINISTRATION_SECTION,
}


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str
    current: bool


@dataclass(frozen=True)
class Group:
    """One section of the menu as a page shows it: its links and whether the current page is in it."""

    key: str
    label: str | Promise
    links: tuple[Link, ...]
    current: bool


def grouped(items: list[NavItem], view_name: str) -> list[Group]:
    """Return the menu's items in their sections (empty sections left out), the current page and section marked."""
    current_section = next((item.section for item in items if item.url_name == view_name), None)
    if current_section is None:
        current_section = SECTION_OF_APP.get(view_name.split(":", 1)[0]) if view_name else None
    groups = []
    for section in SECTIONS:
        links = tuple(
            Link(item.label, item.url, item.url_name == view_name) for item in items if item.section == section
        )
        if links:
            groups.append(Group(section.key, section.label, links, section == current_section))
    return groups

"""Which pages a signed-in user is offered, decided from the user's current roles (never in templates)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.access import is_verified
from organisations.models import Role
from sharing import emergency_rules, policy

# Roles that can be a child's named person (DOMAIN.md: midwife, child health nurse, head teacher).
NAMED_PERSON_ROLES = frozenset({Role.MIDWIFE, Role.CHILD_HEALTH_NURSE, Role.HEAD_TEACHER})
_CACHE_ATTRIBUTE = "_samplan_navigation"


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation and of the start page."""

    label: str | Promise
    url_name: str
    description: str | Promise = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MY_CHILDREN = NavItem(_("Mina barn"), "namedperson:my_children", _("Barn som du är namngiven person för i dag."))
HANDOVERS = NavItem(_("Överlämningar"), "namedperson:handovers", _("Barn som ska lämnas över till dig eller från dig."))
CHILD_LIST = NavItem(
    _("Barn på mina enheter"), "people:child_list", _("Barn som är inskrivna på dina enheter eller tilldelade dig.")
)
LOOKUP = NavItem(_("Sök på personnummer"), "people:lookup", _("Hitta ett barn du har tillgång till. Ange alltid skäl."))
WITHOUT = NavItem(
    _("Barn utan namngiven person"), "namedperson:without", _("Barn som saknar namngiven person eller överlämning.")
)
ADMINISTRATION = NavItem(_("Administration"), "admin:index", _("Myndigheter, enheter, personal, roller och regler."))
EMERGENCY_REVIEW = NavItem(
    _("Nödåtkomster att granska"),
    "sharing:emergency_review_queue",
    _("Bedöm om nödåtkomster till din myndighets uppgifter var befogade."),
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
    _("Inkomna orosanmälningar"), "sharing:report_intake", _("Orosanmälningar till dina enheter inom socialtjänsten.")
)
MY_FOLLOW_UPS = NavItem(
    _("Mina uppföljningar"), "wellbeing:follow_ups", _("Åtgärder efter de fem frågorna som du ska följa upp.")
)
MY_PLAN_REMINDERS = NavItem(
    _("Mina påminnelser"), "plans:reminders", _("Planer som ska följas upp och åtgärder som har passerat slutdatum.")
)
TEAMS = NavItem(
    _("Team"), "teams:list", _("Barnombudsteam och samverkansforum: vilka som är med och för vilken myndighet.")
)
ACCOUNT = NavItem(_("Mitt konto"), "accounts:account", _("Inloggning, tvåstegsverifiering och API-nycklar."))
FAMILY_CHILDREN = NavItem(
    _("Mina barn"),
    "family:home",
    _("Barnets namngivna person och hur ni når hen."),
)
FAMILY_CONSENTS = NavItem(
    _("Samtycken"), "family:choose_consents", _("Vilka uppgifter som får delas, med vem och hur länge.")
)
FAMILY_LOG = NavItem(_("Logg"), "family:logs", _("Vem som har läst eller ändrat barnets uppgifter."))


def _report_items(user, roles: set[str]) -> list[NavItem]:
    """Return the report-of-concern pages: receipts for staff, the intake for social services."""
    items = []
    if roles & policy.UNIT_ACCESS_ROLES:
        items.append(MY_REPORTS)  # staff who work with children may report a concern and keep receipts
        items.append(MY_FOLLOW_UPS)  # and follow up the actions they chose after the five questions
        items.append(MY_PLAN_REMINDERS)  # and the reviews and actions of the children's plans they lead or own
    if roles & policy.REPORT_RECEIVING_ROLES and policy.report_receiving_units(user).exists():
        items.append(REPORT_INTAKE)  # social services staff at a unit that receives reports
    return items


def _team_items(roles: set[str]) -> list[NavItem]:
    # Staff who work with children take part in teams; administrators keep them.
    return [TEAMS] if roles & (policy.UNIT_ACCESS_ROLES | {Role.ADMINISTRATOR}) else []


def items_for(user) -> list[NavItem]:
    """Return the pages the user's current roles give work on, in menu order; none before two-factor sign-in."""
    if not is_verified(user):
        return []
    roles = set(policy.memberships(user).values_list("role", flat=True))
    items = []
    if roles & NAMED_PERSON_ROLES:
        items += [MY_CHILDREN, HANDOVERS]  # only these roles are ever handed a child
    if roles & policy.UNIT_ACCESS_ROLES:
        items.append(CHILD_LIST)  # the roles the policy gives access to children at their unit
    if roles & policy.LOOKUP_ROLES:
        items.append(LOOKUP)  # the policy refuses look-ups to every other role
    if roles & policy.OVERSIGHT_ROLES:
        items.append(WITHOUT)  # oversight of named-person coverage
    if emergency_rules.may_start(user):
        items.append(MY_EMERGENCY_ACCESSES)  # nödåtkomst is for care-giving staff at a health-care authority
    if roles & policy.DECIDING_ROLES:
        items.append(EMERGENCY_REVIEW)  # managers review emergency access to their authority's records
    items += _report_items(user, roles)
    items += _team_items(roles)
    if Role.ADMINISTRATOR in roles or user.is_staff:
        items.append(ADMINISTRATION)
    if policy.is_family_user(user):
        items += [
            FAMILY_CHILDREN,
            FAMILY_CONSENTS,
            FAMILY_LOG,
        ]  # guardians, parents and children signed in to the family view
    items.append(ACCOUNT)
    return items


def items_for_request(request) -> list[NavItem]:
    """Return `items_for(request.user)`, computed once per request."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = items_for(request.user)
        setattr(request, _CACHE_ATTRIBUTE, cached)
    return cached

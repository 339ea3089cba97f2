"""The rule tables of the access policy: bases of access, the roles behind each action, shared helpers.

A new basis or a new action is one row here; `relations.RELATIONS` and `records.OPENINGS` are the
two other tables (which relation makes a child visible, and what opens another authority's records).
Every row says why, and `docs/access-model.md` gives the legal ground of each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.prepared import refuse_while_preparing
from organisations.models import Role

P = ParamSpec("P")
R = TypeVar("R")


class Basis:
    NAMED_PERSON = "named_person"
    ENROLMENT = "enrolment"
    ASSIGNMENT = "assignment"
    HANDOVER = "handover_proposal"
    REPORT = "report_of_concern"
    CONSENT = "consent"
    DISCLOSURE = "disclosure_decision"
    EMERGENCY = "emergency_access"
    EMERGENCY_REVIEW = "emergency_review"  # a manager of the owning authority reviewing an emergency access
    OPEN_CATEGORY = "open_category"
    LOOKUP = "identity_lookup"
    OWN_RECORD = "own_authority"
    RECEIPT = "reporter_receipt"
    GUARDIAN = "guardian"
    CHILD_SELF = "child_self"
    # Work that is not a read through a relation; each is logged with its own basis.
    HANDOVER_WRITE = "named_person_handover"
    OVERSIGHT = "named_person_oversight"
    CONSENT_ADMIN = "consent_admin"
    CONSENT_EXPIRY = "consent_expiry"
    DEMO = "demo_data"
    TEAM_ADMIN = "team_admin"
    TEAM_MEETING = "team_meeting"
    PROGRAMME_WORK = "programme_work"
    INDICATOR_WORK = "indicator_work"  # aggregate indicator figures: no child is ever read
    CATALOGUE_ADMIN = "catalogue_admin"
    REFERRAL = "referral_to_provider"  # a provider's staff handling a referral to one of its interventions
    INTAKE = "request_to_intake"  # the intake unit's staff triaging a request for support made to it
    NOTIFICATION = "notification"  # telling a user that something waits (no child data leaves the system)
    REGISTRATION = "registration"  # a registrar of the child's municipality registering or correcting its records
    FOLLOW_UP = "outcome_follow_up"  # managers and analysts reading aggregate figures; no child is shown
    POPULATION_REGISTER = "population_register"  # the import from the population register (Navet) writing records
    SCHOOL_ADMINISTRATION = "school_administration"  # the sync with the school administration system (SS12000)


@dataclass(frozen=True)
class BasisRule:
    """A basis of access: how the log names it, how the user's own lists name it, and its legal ground."""

    log_label: str | Promise  # in the log extract, about whoever read
    own_label: str | Promise  # in the user's own lists, about the user
    ground: str | Promise  # the legal ground, as docs/access-model.md gives it


BASES: dict[str, BasisRule] = {
    Basis.NAMED_PERSON: BasisRule(
        _("Namngiven person"), _("Namngiven person"), _("Uppdraget som namngiven person (kommunens beslut)")
    ),
    Basis.ENROLMENT: BasisRule(
        _("Inskrivning på användarens enhet"),
        _("Inskriven på din enhet"),
        _("Skollagen och förskolans eller skolans eget ansvar för barnet"),
    ),
    Basis.ASSIGNMENT: BasisRule(_("Tilldelad åtkomst"), _("Tilldelad åtkomst"), _("Beslut om tilldelad åtkomst")),
    Basis.HANDOVER: BasisRule(
        _("Överlämning väntar på användarens enhet"),
        _("Överlämning väntar på dig"),
        _("Överlämning av uppdraget som namngiven person"),
    ),
    Basis.REPORT: BasisRule(
        _("Orosanmälan till användarens enhet"),
        _("Orosanmälan till din enhet"),
        _("Socialtjänstlagens anmälningsplikt; socialtjänstens utredningsansvar"),
    ),
    Basis.CONSENT: BasisRule(_("Samtycke"), _("Samtycke"), _("OSL 12 kap. 2 § (den enskilde häver sekretessen)")),
    Basis.DISCLOSURE: BasisRule(
        _("Beslutat utlämnande"), _("Beslutat utlämnande"), _("Beslut om utlämnande med angiven lagrum")
    ),
    Basis.EMERGENCY: BasisRule(_("Nödåtkomst"), _("Nödåtkomst"), _("Patientdatalagen 6 kap. (nödåtkomst)")),
    Basis.EMERGENCY_REVIEW: BasisRule(
        _("Granskning av nödåtkomst"), _("Granskning av nödåtkomst"), _("Patientdatalagen 4 kap. (logguppföljning)")
    ),
    Basis.OPEN_CATEGORY: BasisRule(
        _("Uppgifter som alla med relation ser"),
        _("Uppgifter som alla med relation ser"),
        _("Identitet och namngiven person behövs för varje relation"),
    ),
    Basis.LOOKUP: BasisRule(
        _("Sökning på personnummer"), _("Sökning på personnummer"), _("Behov i tjänsten, med angivet skäl")
    ),
    Basis.OWN_RECORD: BasisRule(
        _("Egen myndighets uppgifter"), _("Din myndighets uppgifter"), _("Myndighetens egna uppgifter")
    ),
    Basis.RECEIPT: BasisRule(
        _("Kvitto på egen orosanmälan"), _("Kvitto på din orosanmälan"), _("Anmälarens rätt till återkoppling")
    ),
    Basis.GUARDIAN: BasisRule(
        _("Vårdnadshavare i familjevyn"),
        pgettext_lazy("en person", "Vårdnadshavare"),
        _("Vårdnaden (föräldrabalken 6 kap.) till 18 år"),
    ),
    Basis.CHILD_SELF: BasisRule(
        _("Barnet självt i familjevyn"), _("Barnet självt"), _("Den enskildes rätt till sina egna uppgifter")
    ),
    Basis.HANDOVER_WRITE: BasisRule(
        _("Överlämning av namngiven person"),
        _("Överlämning av namngiven person"),
        _("Överlämning av uppdraget som namngiven person"),
    ),
    Basis.OVERSIGHT: BasisRule(
        _("Uppföljning av namngivna personer"),
        _("Uppföljning av namngivna personer"),
        _("Chefens ansvar för att varje barn har en namngiven person"),
    ),
    Basis.CONSENT_ADMIN: BasisRule(
        _("Hantering av samtycke"), _("Hantering av samtycke"), _("Myndighetens ansvar för sina samtycken")
    ),
    Basis.CONSENT_EXPIRY: BasisRule(
        _("Samtycket gick ut (schemalagd körning)"),
        _("Samtycket gick ut"),
        _("Samtyckets giltighetstid"),
    ),
    Basis.TEAM_ADMIN: BasisRule(
        _("Hantering av team"), _("Hantering av team"), _("Kommunens ansvar för sina samverkansteam")
    ),
    Basis.TEAM_MEETING: BasisRule(
        _("Teammöte"), _("Teammöte"), _("Teamets möten, där medlemmarna deltar för sina myndigheter")
    ),
    Basis.PROGRAMME_WORK: BasisRule(
        _("Program, utlysningar och föreläsningar"),
        _("Program, utlysningar och föreläsningar"),
        _("Kommunens ansvar för sina program; inga uppgifter om barn"),
    ),
    Basis.INDICATOR_WORK: BasisRule(
        _("Indikatorer och samlad bild"),
        _("Indikatorer och samlad bild"),
        _("Verksamheternas uppföljning med sammanräknade uppgifter; inga uppgifter om enskilda barn"),
    ),
    Basis.FOLLOW_UP: BasisRule(
        _("Uppföljning med sammanräknade siffror"),
        _("Uppföljning med sammanräknade siffror"),
        _("Kommunens uppföljning av verksamheten; inga uppgifter om enskilda barn"),
    ),
    Basis.CATALOGUE_ADMIN: BasisRule(
        _("Hantering av insatskatalogen"),
        _("Hantering av insatskatalogen"),
        _("Utförarens ansvar för att beskriva sina insatser"),
    ),
    Basis.REFERRAL: BasisRule(
        _("Remiss till användarens enhet"),
        _("Remiss till din enhet"),
        _("Remissen: den remitterande myndighetens uppdrag till utföraren, med familjens samtycke till insatsen"),
    ),
    Basis.INTAKE: BasisRule(
        _("Begäran om stöd till användarens mottagning"),
        _("Begäran om stöd till din mottagning"),
        _("Begäran: den som frågar (familjen, eller personalen med familjens samtycke) vänder sig till mottagningen"),
    ),
    Basis.REGISTRATION: BasisRule(
        _("Registrering av barnets uppgifter"),
        _("Registrering i din kommun"),
        _("Kommunens ansvar för att uppgifterna om barn, vårdnad och inskrivning är riktiga"),
    ),
    Basis.POPULATION_REGISTER: BasisRule(
        _("Import från folkbokföringen (Navet)"),
        _("Import från folkbokföringen (Navet)"),
        _("Folkbokföringsdatalagen: uppgifter om barn och vårdnad som folkbokföringen (Navet) lämnar ut till kommunen"),
    ),
    Basis.SCHOOL_ADMINISTRATION: BasisRule(
        _("Synkronisering med skolans administrativa system (SS12000)"),
        _("Synkronisering med skolans administrativa system (SS12000)"),
        _("Skollagen: kommunens ansvar för förskola och skola; dess skoladministrativa system (SS12000)"),
    ),
    Basis.DEMO: BasisRule(_("Demodata"), _("Demodata"), _("Påhittade uppgifter i demoläge")),
    Basis.NOTIFICATION: BasisRule(
        _("Avisering om att något väntar"), _("Avisering om att något väntar"), _("Information till den enskilde")
    ),
}


def basis_label(basis: str, *, own: bool = False) -> str | Promise:
    """Return a basis of access in words: "consent:12" reads "Samtycke"; an unknown basis reads "Annan grund"."""
    # The id after the colon names what opened the record; it stays in the log, not in the words shown.
    rule = BASES.get(basis.partition(":")[0])
    if rule is None:
        return _("Annan grund")  # never a raw code in front of a reader
    return rule.own_label if own else rule.log_label


# --- Roles behind each action. A role missing from a set may not do that action. ---

# Roles that see children enrolled at their own unit. Analysts and administrators work with
# aggregates and configuration, never with individual children.
UNIT_ACCESS_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.MIDWIFE,
        Role.CHILD_HEALTH_NURSE,
        Role.HEAD_TEACHER,
        Role.SOCIAL_WORKER,
        Role.MANAGER,
    }
)
# Roles whose work requires finding a child by personal number (new enrolments, reports, referrals).
LOOKUP_ROLES = frozenset({Role.MIDWIFE, Role.CHILD_HEALTH_NURSE, Role.HEAD_TEACHER, Role.SOCIAL_WORKER})
# Roles at a social services unit that receive reports of concern.
REPORT_RECEIVING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER})
# Roles that decide on disclosure without consent, review emergency access and place or lift blocks.
DECIDING_ROLES = frozenset({Role.MANAGER})
# Roles that oversee named-person coverage for their authority.
OVERSIGHT_ROLES = frozenset({Role.MANAGER, Role.HEAD_TEACHER})
# Roles that can be a child's named person (DOMAIN.md: midwife, child health nurse, head teacher).
NAMED_PERSON_ROLES = frozenset({Role.MIDWIFE, Role.CHILD_HEALTH_NURSE, Role.HEAD_TEACHER})
# Roles that give care: the only ones that may use emergency access (PDL 6 kap.; see `policy.emergency`).
CARE_ROLES = frozenset({Role.PRACTITIONER, Role.MIDWIFE, Role.CHILD_HEALTH_NURSE})
# The role of the one way in: staff of an intake unit who triage requests for support and route them.
INTAKE_ROLES = frozenset({Role.INTAKE})
# Roles that register children, guardians, custody and enrolments by hand in their own municipality.
REGISTRATION_ROLES = frozenset({Role.REGISTRAR})
# Roles that answer for a child or for the staff who read its record, and so read its log extract.
LOG_EXTRACT_ROLES = frozenset({Role.HEAD_TEACHER, Role.CHILD_HEALTH_NURSE, Role.MIDWIFE, Role.MANAGER})


class Action:
    """What a user may be offered to do; `ACTIONS` names the roles behind each."""

    SEE_UNIT_CHILDREN = "see_unit_children"
    BE_NAMED_PERSON = "be_named_person"
    LOOKUP = "lookup"
    OVERSEE = "oversee_named_persons"
    REPORT_CONCERN = "report_concern"
    RECEIVE_REPORTS = "receive_reports"
    DECIDE = "decide_disclosure"
    READ_LOG_EXTRACT = "read_log_extract"
    START_EMERGENCY = "start_emergency"
    TAKE_PART_IN_TEAMS = "take_part_in_teams"
    KEEP_TEAMS = "keep_teams"
    TAKE_PART_IN_PROGRAMMES = "take_part_in_programmes"
    RUN_PROGRAMMES = "run_programmes"
    USE_CATALOGUE = "use_catalogue"
    KEEP_CATALOGUE = "keep_catalogue"
    TRIAGE_REQUESTS = "triage_requests"
    ADMINISTER = "administer"
    REGISTER = "register_children"
    READ_INDICATORS = "read_indicators"
    FOLLOW_UP_OUTCOMES = "follow_up_outcomes"


ACTIONS: dict[str, frozenset[str]] = {
    Action.SEE_UNIT_CHILDREN: UNIT_ACCESS_ROLES,  # staff who work with the children at their unit
    Action.BE_NAMED_PERSON: NAMED_PERSON_ROLES,  # only these roles are ever handed a child
    Action.LOOKUP: LOOKUP_ROLES,  # every other role is refused a look-up by personal number
    Action.OVERSEE: OVERSIGHT_ROLES,  # oversight of named-person coverage
    Action.REPORT_CONCERN: UNIT_ACCESS_ROLES,  # staff who work with children must report a concern
    Action.RECEIVE_REPORTS: REPORT_RECEIVING_ROLES,  # social services staff (and only at a receiving unit)
    Action.DECIDE: DECIDING_ROLES,  # a manager decides for their own authority
    # Care-giving roles; `policy.emergency` also requires a health-care authority (PDL 6 kap.).
    Action.START_EMERGENCY: CARE_ROLES,
    Action.READ_LOG_EXTRACT: LOG_EXTRACT_ROLES,  # those who answer for the child or for the staff who read it
    Action.TAKE_PART_IN_TEAMS: UNIT_ACCESS_ROLES | {Role.ADMINISTRATOR},  # members, and those who keep teams
    Action.KEEP_TEAMS: frozenset({Role.MANAGER, Role.ADMINISTRATOR}),  # a municipality's managers keep its teams
    # Staff who work with children (and administrators) are offered grants and lectures in the menu.
    Action.TAKE_PART_IN_PROGRAMMES: UNIT_ACCESS_ROLES | {Role.ADMINISTRATOR},
    # Managers and administrators run programmes: calls, decisions, events, budgets.
    Action.RUN_PROGRAMMES: frozenset({Role.MANAGER, Role.ADMINISTRATOR}),
    Action.USE_CATALOGUE: frozenset(Role.values),  # every staff role finds support for the children it meets
    Action.KEEP_CATALOGUE: frozenset({Role.MANAGER, Role.ADMINISTRATOR}),  # all providers' entries and the settings
    Action.TRIAGE_REQUESTS: INTAKE_ROLES,  # the one way in: triage and route requests for support
    Action.ADMINISTER: frozenset({Role.ADMINISTRATOR}),  # organisations, units, staff and rules
    Action.REGISTER: REGISTRATION_ROLES,  # registrars; `policy.registration` limits them to their municipality
    # Analysts and managers read (and for their own authority report) aggregate indicator figures.
    Action.READ_INDICATORS: frozenset({Role.ANALYST, Role.MANAGER, Role.ADMINISTRATOR}),
    # Aggregate figures only (no child is ever shown): managers and analysts, for their own municipality.
    Action.FOLLOW_UP_OUTCOMES: frozenset({Role.MANAGER, Role.ANALYST}),
}


def actions_for_roles(roles: Iterable[str]) -> frozenset[str]:
    """Return the actions a set of roles gives (fail closed: an unknown role gives none)."""
    held = set(roles)
    return frozenset(action for action, allowed in ACTIONS.items() if held & allowed)


# --- Whether a request asked the policy: `core.access.child_data` refuses a view that did not ---

_consulted: ContextVar[bool] = ContextVar("samplan_policy_consulted", default=False)


def consults(function: Callable[P, R]) -> Callable[P, R]:
    """Mark a policy entry point: calling it records that this request's child data came through the policy."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        _consulted.set(True)
        return function(*args, **kwargs)

    return wrapper


def start_request() -> Token:
    """Begin a request that reads child data: nothing has asked the policy yet."""
    return _consulted.set(False)


def consulted() -> bool:
    """Return whether an entry point of the policy ran since `start_request`."""
    return _consulted.get()


def end_request(token: Token) -> None:
    _consulted.reset(token)


# --- Helpers every table uses ---


def today() -> date:
    refuse_while_preparing("the clock")  # a prepared query takes its day as a value (core.prepared)
    return timezone.localdate()


def age_on(birth_date: date, on: date) -> int:
    """Return a person's age in whole years on a day."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


# Custody ends when the child turns 18 (FB 6 kap. 2 §, 9 kap. 1 §): law, so not a municipal setting.
AGE_OF_MAJORITY = 18


def majority_cutoff(on: date) -> date:
    """Return the latest birth date of a person who is 18 or older on a day (as `age_on` counts)."""
    try:
        return on.replace(year=on.year - AGE_OF_MAJORITY)
    except ValueError:  # 29 February: born on 28 February, 18 years earlier, is of age; 1 March is not yet
        return on.replace(year=on.year - AGE_OF_MAJORITY, day=28)


def majority_day(birth_date: date) -> date:
    """Return the day a person turns 18: the first day they are of age (as `age_on` counts)."""
    try:
        return birth_date.replace(year=birth_date.year + AGE_OF_MAJORITY)
    except ValueError:  # born on 29 February: of age on 1 March
        return date(birth_date.year + AGE_OF_MAJORITY, 3, 1)


def current(on: date, start: str = "valid_from", end: str = "valid_to", *, end_exclusive: bool = False) -> Q:
    """Return the condition for a row valid on a day (started, and not ended or ending after)."""
    ends = Q(**{f"{end}__gt" if end_exclusive else f"{end}__gte": on})
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | ends)


def any_of(conditions: Iterable[Q]) -> Q | None:
    """Return the conditions joined by OR, or None when there are none."""
    joined = None
    for condition in conditions:
        joined = condition if joined is None else joined | condition
    return joined

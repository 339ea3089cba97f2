"""Who may use emergency access (nödåtkomst), whose records it opens and which: one place, read from the settings.

Nödåtkomst is a rule of the Patient Data Act for health care (PDL 2008:355 6 kap.; the reference in force is
`LegalReference` `SAMPLAN_EMERGENCY_LEGAL_REFERENCE`): a care-giving role at a health-care authority may open
another health-care authority's health records in sammanhållen journalföring when the patient cannot consent and
the information may matter for urgent care. It is not a general override: schools, social services and police
have no such route, and it never opens their records. A deployment may narrow the roles, sectors and
categories in the settings; anything outside health care is refused at start-up, so no configuration can widen it.
Both the service that starts an access and the policy that reads through one apply these rules (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from organisations.models import Authority, Membership
from sharing.categories import Category
from sharing.policy.rules import CARE_ROLES, current
from sharing.policy.staff import CurrentMemberships

# Health-care sectors: the only secrecy domains where PDL's sammanhållen journalföring, and so nödåtkomst, exists.
HEALTH_SECTORS = frozenset(
    {
        Authority.Sector.CHILD_HEALTH,
        Authority.Sector.MATERNITY,
        Authority.Sector.CHILD_PSYCHIATRY,
        Authority.Sector.FIRST_LINE,
        Authority.Sector.HABILITATION,
        Authority.Sector.PRIMARY_CARE,
    }
)
# Only health records are patient records.
HEALTH_CATEGORIES = frozenset({Category.HEALTH})


@dataclass(frozen=True)
class EmergencyRules:
    roles: frozenset[str]
    sectors: frozenset[str]
    categories: frozenset[str]
    legal_reference: str


def _within(name: str, values: list[str], allowed: frozenset[str]) -> frozenset[str]:
    chosen = frozenset(values)
    if not chosen or not chosen <= allowed:
        outside = ", ".join(sorted(chosen - allowed)) or "(none)"
        raise ImproperlyConfigured(f"{name} must name at least one of {sorted(allowed)}; not {outside}.")
    return chosen


def emergency_rules() -> EmergencyRules:
    """Return the deployment's emergency-access rules, refusing any value outside health care."""
    return EmergencyRules(
        roles=_within("SAMPLAN_EMERGENCY_ROLES", settings.SAMPLAN_EMERGENCY_ROLES, CARE_ROLES),
        sectors=_within("SAMPLAN_EMERGENCY_SECTORS", settings.SAMPLAN_EMERGENCY_SECTORS, HEALTH_SECTORS),
        categories=_within("SAMPLAN_EMERGENCY_CATEGORIES", settings.SAMPLAN_EMERGENCY_CATEGORIES, HEALTH_CATEGORIES),
        legal_reference=settings.SAMPLAN_EMERGENCY_LEGAL_REFERENCE,
    )


def _eligible(rules: EmergencyRules, on: date) -> QuerySet[Membership]:
    # A current care-giving role at a health-care authority; an inactive account has none.
    return Membership.objects.filter(
        current(on),
        user__is_active=True,
        role__in=rules.roles,
        unit__authority__sector__in=rules.sectors,
    )


def may_start(user, *, on: date | None = None, mine: CurrentMemberships | None = None) -> bool:
    """Return whether the user holds a care-giving role at a health-care authority now.

    `mine`, the user's memberships already loaded for the day, answers without a query: its rows are
    the memberships `_eligible` filters.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    on = on or timezone.localdate()
    rules = emergency_rules()
    if mine is not None and mine.on == on:
        return any(row.role in rules.roles and row.sector in rules.sectors for row in mine.rows)
    return _eligible(rules, on).filter(user=user).exists()


def may_open(authority: Authority) -> bool:
    """Return whether emergency access may open this authority's records (a health-care authority)."""
    return authority.sector in emergency_rules().sectors


def in_force(on: date) -> Q:
    """Return the condition on EmergencyAccess rows that may open anything on a day.

    The holder must hold a care-giving role at a health-care authority that day and the owner must be a
    health-care authority: a row for anyone else, however it came to exist, opens nothing.
    """
    rules = emergency_rules()
    holder = _eligible(rules, on).filter(user=OuterRef("user"))
    return Q(Exists(holder), owner_authority__sector__in=rules.sectors)


def opened_categories() -> frozenset[str]:
    """Return the information categories an emergency access opens (health records by default)."""
    return emergency_rules().categories

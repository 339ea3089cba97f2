"""Consents, and the statutory routes that need none: who sees and manages consents, who receives
reports of concern, who decides on disclosure and blocks, and the audited look-up by personal number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from audit import log as audit
from core.prepared import Prepared
from organisations.models import Authority, Unit
from people.models import Child
from sharing.holdings import held_records
from sharing.models import Consent, ConsentCategory, EmergencyAccess, ReportOfConcern
from sharing.policy.records import consent_reaches
from sharing.policy.relations import ChildAccess, visible_children
from sharing.policy.rules import DECIDING_ROLES, LOOKUP_ROLES, REPORT_RECEIVING_ROLES, Basis, any_of, consults
from sharing.policy.staff import CurrentMemberships, has_role, memberships

# --- Consents: which a staff user sees, and which they may act on. ---


def holds_opened_records(authority_ids: Iterable[int]) -> Q:
    """Return the condition for a consent opening a category in which one of the authorities holds its child's records.

    Today's records decide: an authority that starts holding such a record sees the consent from then on.
    """
    opened = ConsentCategory.objects.filter(consent=OuterRef(OuterRef("pk"))).values("category")
    return any_of(
        Q(Exists(rows.filter(child=OuterRef("child"), owner_authority__in=authority_ids, category__in=opened)))
        for rows in held_records()
    )


def _visible_consents(*, child, own, on) -> QuerySet[Consent]:
    return Consent.objects.filter(
        Q(owner_authority__in=own)  # the authority that asked keeps the consent and answers for it
        | consent_reaches(own, on=on)  # a recipient must know what it may read, and until when
        # An authority whose records of a category the consent opens are held about the child sees that consent:
        # the consent waives that holder's secrecy (OSL 12 kap. 2 §), so it must know to whom, and until when.
        | holds_opened_records(own),
        child=child,
    ).values("pk")


_VISIBLE_CONSENTS_SQL = Prepared(_visible_consents)  # compiled once per number of the user's authorities


@consults
def consents_for(access: ChildAccess) -> QuerySet[Consent]:
    """Return the child's consents the user may see: the user's authority asked, receives, or holds what they open."""
    own = tuple(sorted(access.authority_ids))
    sql, params = _VISIBLE_CONSENTS_SQL.sql(child=access.child.pk, own=own, on=access.on)
    if sql is None:
        return Consent.objects.none()
    # The SQL is Django's own compilation of `_visible_consents`, every value bound as a parameter.
    return Consent.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611


def consents_managed_by(access: ChildAccess) -> QuerySet[Consent]:
    """Return the child's consents the user may change: only the asking authority records answers and changes."""
    return Consent.objects.filter(child=access.child, owner_authority__in=access.authority_ids)


# --- Sharing without consent: reports of concern, disclosure decisions and blocks. ---


@consults
def deciding_authorities(user, *, on: date | None = None) -> QuerySet[Authority]:
    """Return the authorities on whose information the user may decide (disclosure, blocks)."""
    # Only a deciding role decides, and only for its own authority: each authority is its own secrecy domain.
    deciding = memberships(user, on=on).filter(role__in=DECIDING_ROLES)
    return Authority.objects.filter(units__memberships__in=deciding).distinct()


# A report goes to a social services unit; a manager of a school receives none.
_RECEIVING_UNIT_TYPE, _RECEIVING_SECTOR = Unit.Type.SOCIAL_SERVICES_TEAM, Authority.Sector.SOCIAL_SERVICES


@consults
def report_receiving_units(user, *, on: date | None = None) -> QuerySet[Unit]:
    """Return the social services units at which the user receives reports of concern."""
    receiving = memberships(user, on=on).filter(role__in=REPORT_RECEIVING_ROLES)
    return Unit.objects.filter(
        memberships__in=receiving, unit_type=_RECEIVING_UNIT_TYPE, authority__sector=_RECEIVING_SECTOR
    ).distinct()


def receives_reports(mine: CurrentMemberships) -> bool:
    """Return whether `report_receiving_units` finds any unit, judged from the user's memberships already loaded."""
    return any(
        row.role in REPORT_RECEIVING_ROLES and row.unit_type == _RECEIVING_UNIT_TYPE and row.sector == _RECEIVING_SECTOR
        for row in mine.rows
    )


@consults
def reports_received_by(user, *, on: date | None = None) -> QuerySet[ReportOfConcern]:
    """Return the reports of concern sent to the user's social services units."""
    if not (user.is_authenticated and user.is_active):
        return ReportOfConcern.objects.none()  # deny by default
    return ReportOfConcern.objects.filter(to_unit__in=report_receiving_units(user, on=on))


@consults
def reports_filed_by(user) -> QuerySet[ReportOfConcern]:
    """Return the receipts of the reports of concern the user filed.

    The reporter keeps a receipt of what they wrote and the feedback the law gives reporters,
    and nothing else: the report is social services' record, so it never reaches the reporter
    through `records_for_user`, and this function opens no other record of social services.
    It needs no current relation: the reporter may have moved on and still be owed the feedback.
    """
    if not (user.is_authenticated and user.is_active):
        return ReportOfConcern.objects.none()  # deny by default
    return ReportOfConcern.objects.filter(reporter=user)


def own_authority_rows(access: ChildAccess, queryset: QuerySet) -> QuerySet:
    """Filter a child's disclosure decisions or blocks to those its owning authority (the user's own) made.

    That an authority decided to share, refused to share or blocked its information is that
    authority's own information: other authorities must not even learn that a block exists.
    """
    return queryset.filter(child=access.child, owner_authority__in=access.authority_ids)


@consults
def lookup_child_by_number(
    user, number: str, *, reason: str, actor: audit.Actor, surface: str, target: str
) -> Child | None:
    """Find a visible child by identity number for a role that needs it; the lookup is always logged."""
    from core import personnummer

    if not has_role(user, LOOKUP_ROLES):
        raise PermissionError("role may not look children up by personal number")
    if not reason.strip():
        raise ValueError("a reason is required")
    normalised = personnummer.normalise(number)
    child = visible_children(user).filter(identity_number=normalised).first()
    audit.record(
        actor=actor,
        action="lookup",
        surface=surface,
        target=target,
        basis=Basis.LOOKUP,
        child_id=child.pk if child else None,
        record_type="Child" if child else "",
        record_id=str(child.pk) if child else "",
        reason=reason.strip(),
    )
    return child


@consults
def own_emergency_rows(user) -> QuerySet[EmergencyAccess]:
    """Return the user's own emergency accesses: the holder sees theirs, and nobody learns of another's."""
    if not (user.is_authenticated and user.is_active):
        return EmergencyAccess.objects.none()  # deny by default
    return EmergencyAccess.objects.filter(user=user)


@consults
def reviewable_emergency_rows(user, *, on: date | None = None) -> QuerySet[EmergencyAccess]:
    """Return the emergency accesses to the records of the authorities the user decides for (PDL log follow-up)."""
    return EmergencyAccess.objects.filter(owner_authority__in=deciding_authorities(user, on=on))

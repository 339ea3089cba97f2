"""Reports of concern (orosanmälan, SoL 14 kap. 1 §): filing one, and social services' feedback to the reporter.

The report is social services' record from the moment it is filed (owner_authority is the
receiving unit's authority, category social). The reporter keeps a receipt and the feedback
the law gives reporters (`policy.reports_filed_by`), never access to what social services hold.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from organisations.models import Authority, Unit
from people.models import Child
from sharing import policy
from sharing.categories import Category
from sharing.models import ReportOfConcern

NOT_RECEIVING = _("Välj en av socialtjänstens enheter i barnets kommun.")
NEEDS_WHAT = _("Beskriv vad du har sett eller hört.")
NEEDS_REASON = _("Skriv varför vårdnadshavarna inte har fått veta om anmälan, till exempel att det kan skada barnet.")
NO_AUTHORITY = _(
    "Du har ingen aktuell anställning i Samplan och kan inte göra en anmälan här. Kontakta socialtjänsten."
)
NOT_A_RECEIVER = _("Bara socialtjänstens personal vid den mottagande enheten kan lämna återkoppling.")
NEEDS_FEEDBACK = _("Välj vilken återkoppling anmälaren ska få.")


def receiving_units(child: Child) -> QuerySet[Unit]:
    """Return the social services units of the child's municipality that receive reports about it."""
    return Unit.objects.filter(
        unit_type=Unit.Type.SOCIAL_SERVICES_TEAM,
        authority__sector=Authority.Sector.SOCIAL_SERVICES,
        authority__municipality_id=child.municipality_id,
    ).select_related("authority")


def _reporter_authority(reporter) -> Authority | None:
    # The same authority the audit row names for the reporter (their first current membership).
    membership = policy.memberships(reporter).select_related("unit__authority").order_by("pk").first()
    return membership.unit.authority if membership else None


@transaction.atomic
def report_of_concern_file(
    *,
    access: policy.ChildAccess,
    reporter,
    to_unit: Unit,
    what_happened: str,
    child_words: str = "",
    immediate_danger: bool = False,
    guardians_informed: bool,
    not_informed_reason: str = "",
    actor: audit.Actor,
    surface: str,
    target: str,
) -> ReportOfConcern:
    """File a report of concern about a child the reporter has a relation to; social services owns it."""
    errors: dict[str, list] = {}
    if not receiving_units(access.child).filter(pk=to_unit.pk).exists():
        errors["to_unit"] = [NOT_RECEIVING]
    if not what_happened.strip():
        errors["what_happened"] = [NEEDS_WHAT]
    if not guardians_informed and not not_informed_reason.strip():
        errors["not_informed_reason"] = [NEEDS_REASON]
    reporter_authority = _reporter_authority(reporter)
    if reporter_authority is None:
        errors["__all__"] = [NO_AUTHORITY]
    if errors:
        raise ValidationError(errors)
    report = ReportOfConcern(
        child=access.child,
        owner_authority=to_unit.authority,
        to_unit=to_unit,
        category=Category.SOCIAL,
        reporter=reporter,
        reporter_authority=reporter_authority,
        what_happened=what_happened.strip(),
        child_words=child_words.strip(),
        immediate_danger=immediate_danger,
        guardians_informed=guardians_informed,
        not_informed_reason="" if guardians_informed else not_informed_reason.strip(),
    )
    report.full_clean()
    report.save()
    audit.record(
        actor=actor,
        action="create",
        surface=surface,
        target=target,
        basis=access.basis,
        child_id=report.child_id,
        record_type="ReportOfConcern",
        record_id=str(report.pk),
    )
    return report


FEEDBACK_CHOICES = [
    choice for choice in ReportOfConcern.Feedback.choices if choice[0] != ReportOfConcern.Feedback.PENDING
]


@transaction.atomic
def report_feedback_give(
    *, report: ReportOfConcern, user, feedback: str, actor: audit.Actor, surface: str, target: str
) -> ReportOfConcern:
    """Record the feedback the reporter is given; only social services staff at the receiving unit may."""
    if not policy.report_receiving_units(user).filter(pk=report.to_unit_id).exists():
        raise PermissionDenied(NOT_A_RECEIVER)
    if feedback not in dict(FEEDBACK_CHOICES):
        raise ValidationError({"feedback": [NEEDS_FEEDBACK]})
    report = ReportOfConcern.objects.select_for_update().get(pk=report.pk)
    report.feedback = feedback
    report.feedback_at = timezone.now()
    report.feedback_by = user
    report.full_clean()
    report.save(update_fields=["feedback", "feedback_at", "feedback_by"])
    audit.record(
        actor=actor,
        action="update",
        surface=surface,
        target=target,
        basis=policy.Basis.REPORT,
        child_id=report.child_id,
        record_type="ReportOfConcern",
        record_id=str(report.pk),
    )
    return report

"""Writes of registration by hand: children, guardians and custody, enrolments, and merges. Each write is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit import log as audit
from core import personnummer
from organisations.models import Municipality, Unit
from people.models import Child, ContactDetails, Enrolment, Guardian, Guardianship, SiblingLink, Source
from registration.models import ChildMerge
from sharing.categories import category_for_unit_type
from sharing.policy import Basis

SURFACE = "page"


@dataclass(frozen=True)
class Via:
    """Who writes, for the audit rows and the source note: the registrar's actor and name."""

    actor: audit.Actor
    name: str  # "Anna Andersson, Barn- och utbildningsnämnden"

    @property
    def note(self) -> str:
        return _("Registrerad för hand av %(name)s") % {"name": self.name}


def _log(via: Via, *, action: str, target: str, child_id, record_type: str, record_id) -> None:
    audit.record(
        actor=via.actor,
        action=action,
        surface=SURFACE,
        target=target,
        basis=Basis.REGISTRATION,
        child_id=child_id,
        record_type=record_type,
        record_id=str(record_id),
    )


def _save(record, via: Via, *, action: str, target: str, child_id) -> None:
    """Validate and save one registered record, and write its audit row in the same transaction."""
    record.full_clean()
    record.save()
    _log(
        via,
        action=action,
        target=target,
        child_id=child_id,
        record_type=type(record).__name__,
        record_id=record.pk,
    )


def _identity(number: str, birth_date: date | None) -> tuple[personnummer.IdentityNumber, date]:
    """Parse the number and settle the birth date: from the number, or given for a reserve number."""
    identity = personnummer.parse(number)
    if identity.birth_date is None:
        if birth_date is None:
            raise ValidationError({"birth_date": _("Ange födelsedatum. Ett reservnummer innehåller inget datum.")})
        return identity, birth_date
    if birth_date is not None and birth_date != identity.birth_date:
        raise ValidationError({"birth_date": _("Födelsedatumet stämmer inte med numret. Lämna fältet tomt.")})
    return identity, identity.birth_date


@transaction.atomic
def child_register(
    *,
    municipality: Municipality,
    number: str,
    given_name: str,
    family_name: str,
    birth_date: date | None,
    protection: str,
    via: Via,
) -> Child:
    """Register a child by hand in the municipality."""
    identity, born = _identity(number, birth_date)
    child = Child(
        identity_kind=identity.kind,
        identity_number=identity.normalised,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        birth_date=born,
        protection=protection,
        municipality=municipality,
        source=Source.MANUAL,
        source_note=via.note,
    )
    _save(child, via, action="create", target="registration:child", child_id=child.pk)
    return child


@transaction.atomic
def child_correct(
    *,
    child: Child,
    number: str,
    given_name: str,
    family_name: str,
    birth_date: date | None,
    protection: str,
    via: Via,
) -> Child:
    """Correct a child's identity facts; the source becomes the registrar's hand."""
    identity, born = _identity(number, birth_date)
    child.identity_kind = identity.kind
    child.identity_number = identity.normalised
    child.given_name = given_name.strip()
    child.family_name = family_name.strip()
    child.birth_date = born
    child.protection = protection
    child.source = Source.MANUAL
    child.source_note = via.note
    _save(child, via, action="update", target="registration:child", child_id=child.pk)
    return child


@transaction.atomic
def guardian_add(
    *,
    child: Child,
    number: str,
    given_name: str,
    family_name: str,
    relation: str,
    has_custody: bool,
    valid_from: date,
    valid_to: date | None,
    via: Via,
) -> Guardianship:
    """Record a guardian (or reuse the one registered with the number) and the relation to the child.

    Custody needs no end date for the 18th birthday: the policy ends it that day (`custody_in_force`).
    """
    identity = personnummer.parse(number)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Slutdatumet kan inte ligga före startdatumet.")})
    if relation == Guardianship.Relation.PARENT_WITHOUT_CUSTODY and has_custody:
        raise ValidationError({"has_custody": _("En förälder utan vårdnad kan inte ha vårdnaden. Välj en relation.")})
    guardian = Guardian.objects.filter(identity_number=identity.normalised).first()
    if guardian is None:
        guardian = Guardian(
            identity_number=identity.normalised,
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            source=Source.MANUAL,
            source_note=via.note,
        )
        guardian.full_clean()
        guardian.save()
    if Guardianship.objects.filter(child=child, guardian=guardian, valid_from=valid_from).exists():
        raise ValidationError(_("Den här personen är redan registrerad för barnet från samma datum."))
    guardianship = Guardianship(
        child=child,
        guardian=guardian,
        relation=relation,
        has_custody=has_custody,
        valid_from=valid_from,
        valid_to=valid_to,
        source=Source.MANUAL,
        source_note=via.note,
    )
    _save(guardianship, via, action="create", target="registration:guardianship", child_id=child.pk)
    return guardianship


@transaction.atomic
def guardianship_end(*, guardianship: Guardianship, valid_to: date, via: Via) -> Guardianship:
    """End a guardian relation on a day (a court decision, a move abroad ...)."""
    if valid_to < guardianship.valid_from:
        raise ValidationError({"valid_to": _("Slutdatumet kan inte ligga före startdatumet.")})
    guardianship.valid_to = valid_to
    guardianship.source = Source.MANUAL
    guardianship.source_note = via.note
    _save(guardianship, via, action="update", target="registration:guardianship", child_id=guardianship.child_id)
    return guardianship


@transaction.atomic
def enrolment_add(*, child: Child, unit: Unit, kind: str, start: date, end: date | None, via: Via) -> Enrolment:
    """Enrol the child at a unit, or place it at a preschool; the unit's authority owns the record."""
    if end is not None and end < start:
        raise ValidationError({"end": _("Slutdatumet kan inte ligga före startdatumet.")})
    enrolment = Enrolment(
        child=child,
        unit=unit,
        kind=kind,
        start=start,
        end=end,
        owner_authority=unit.authority,
        category=category_for_unit_type(unit.unit_type),
        source=Source.MANUAL,
        source_note=via.note,
    )
    _save(enrolment, via, action="create", target="registration:enrolment", child_id=child.pk)
    return enrolment


@transaction.atomic
def enrolment_end(*, enrolment: Enrolment, end: date, via: Via) -> Enrolment:
    """End an enrolment or placement on a day."""
    if end < enrolment.start:
        raise ValidationError({"end": _("Slutdatumet kan inte ligga före startdatumet.")})
    enrolment.end = end
    enrolment.source = Source.MANUAL
    enrolment.source_note = via.note
    _save(enrolment, via, action="update", target="registration:enrolment", child_id=enrolment.child_id)
    return enrolment


# What a merge moves from the duplicate to the kept child (docs/registration.md); any other record blocks it.
MOVED_MODELS = (Guardianship, Enrolment, ContactDetails)
IGNORED_LABELS = frozenset({"sharing.ChildSortKeys"})  # derived rows, rebuilt for the kept child


def merge_blockers(duplicate: Child) -> list[str]:
    """Return, in words, the kinds of casework the duplicate holds; a merge would have to move them, so it waits."""
    blockers = []
    for relation in Child._meta.related_objects:
        model = relation.related_model
        if model in MOVED_MODELS or model._meta.label in IGNORED_LABELS:
            continue
        if model._default_manager.filter(**{relation.field.name: duplicate}).exists():
            blockers.append(str(model._meta.verbose_name_plural))
    return sorted(set(blockers))


@transaction.atomic
def child_merge(*, kept: Child, duplicate: Child, reason: str, via: Via) -> ChildMerge:
    """Merge a duplicate into the kept child: move its registration facts, record the merge, remove the duplicate."""
    if kept.pk == duplicate.pk:
        raise ValidationError(_("Välj två olika barn att slå ihop."))
    if kept.municipality_id != duplicate.municipality_id:
        raise ValidationError(_("Barnen är registrerade i olika kommuner och kan inte slås ihop här."))
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför det är samma barn. Skälet sparas.")})
    blockers = merge_blockers(duplicate)
    if blockers:
        raise ValidationError(
            _("Dubbletten har redan %(kinds)s. Flytta eller avsluta dem först; inget har ändrats.")
            % {"kinds": ", ".join(blockers)}
        )
    moved: dict[str, int] = {}
    kept_guardians = set(Guardianship.objects.filter(child=kept).values_list("guardian_id", "valid_from"))
    guardianships = Guardianship.objects.filter(child=duplicate)
    same = [g.pk for g in guardianships if (g.guardian_id, g.valid_from) in kept_guardians]
    moved["guardianships"] = guardianships.exclude(pk__in=same).update(child=kept)
    moved["enrolments"] = Enrolment.objects.filter(child=duplicate).update(child=kept)
    moved["contact_details"] = 0
    if not ContactDetails.objects.filter(child=kept).exists():
        moved["contact_details"] = ContactDetails.objects.filter(child=duplicate).update(child=kept)
    kept_siblings = set(SiblingLink.objects.filter(child=kept).values_list("sibling_id", flat=True))
    siblings = SiblingLink.objects.filter(child=duplicate).exclude(sibling_id__in=kept_siblings | {kept.pk})
    moved["sibling_links"] = siblings.update(child=kept)
    kept_of = set(SiblingLink.objects.filter(sibling=kept).values_list("child_id", flat=True))
    moved["sibling_links"] += (
        SiblingLink.objects.filter(sibling=duplicate)
        .exclude(Q(child_id__in=kept_of) | Q(child=kept))
        .update(sibling=kept)
    )
    if kept.user_id is None and duplicate.user_id is not None:
        kept.user_id, duplicate.user_id = duplicate.user_id, None
        duplicate.save(update_fields=["user"])
        kept.save(update_fields=["user"])
        moved["login"] = 1
    merge = ChildMerge.objects.create(
        kept_child_id=kept.pk,
        duplicate_child_id=duplicate.pk,
        duplicate_identity_kind=duplicate.identity_kind,
        duplicate_name=str(duplicate),
        moved=moved,
        reason=reason.strip(),
        merged_by_id=via.actor.user_id,
        merged_by_name=via.name,
        authority_name=via.actor.authority_name,
    )
    _log(
        via,
        action="update",
        target="registration:merge",
        child_id=kept.pk,
        record_type="ChildMerge",
        record_id=merge.pk,
    )
    _log(
        via,
        action="delete",
        target="registration:merge",
        child_id=duplicate.pk,
        record_type="Child",
        record_id=duplicate.pk,
    )
    duplicate.delete()
    return merge

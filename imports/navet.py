"""The population-register import: a Navet-shaped "personpost" XML file, read as a stream.

The file is read twice, both times with `iterparse` and each element cleared once handled, so memory
does not grow with the file: first to check it is well formed and from the right municipality (a bad
file is rejected before anything is written), then to apply it in batches of `BATCH_SIZE` persons,
each batch one transaction with its audit rows. The shape follows the published Navet personpost
structure as far as this import needs it (docs/imports.md lists the elements and codes).
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext

from audit import log as audit
from core import personnummer
from core.copy_insert import copy_insert
from imports import runs
from imports.models import ImportRun
from namedperson.models import Assignment, EndReason, HandoverProposal
from organisations.models import Municipality
from people.models import Child, Guardian, Guardianship, IdentityKind, Protection, Source
from sharing import policy

BATCH_SIZE = 500
YES = "J"
# Avregistreringsorsak (deregistration reason) codes this import acts on.
DECEASED = "AV"
EMIGRATED = "UV"
# Relation type of a guardian (vårdnadshavare) in a child's personpost.
GUARDIAN = "V"


@functools.lru_cache(maxsize=256)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


def _(message: str) -> str:
    """`gettext`, remembered per language: the import says the same few sentences about every post."""
    return _translated(get_language(), message)


class NavetFileError(Exception):
    """The file cannot be imported at all; the message is Swedish and names no person."""


@dataclass(frozen=True)
class Relation:
    number: str
    given_name: str
    family_name: str
    start: date | None
    end: date | None


@dataclass
class Person:
    """One personpost as read from the file; `position` is its place in the file (1, 2, 3 ...)."""

    position: int
    number: str = ""
    given_name: str = ""
    family_name: str = ""
    municipality_code: str = ""
    registered_on: date | None = None
    confidentiality: bool = False
    protected_registration: bool = False
    deregistration_code: str = ""
    deregistered_on: date | None = None
    guardians: list[Relation] = field(default_factory=list)
    birth_date: date | None = None  # from the number, once it is validated

    @property
    def protection(self) -> str:
        if self.protected_registration:
            return Protection.PROTECTED_REGISTRATION
        if self.confidentiality:
            return Protection.CONFIDENTIALITY_MARKING
        return Protection.NONE


@dataclass(frozen=True)
class Header:
    produced_on: date
    municipality_code: str


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    for part in path.split("/"):
        element = next((child for child in element if _local(child.tag) == part), None)
        if element is None:
            return ""
    return (element.text or "").strip()


def _date(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _fields(element: ET.Element, prefix: str = "") -> dict[str, str]:
    """Return the text of every leaf under an element by its path of local names ("Namn/Fornamn"), in one walk.

    Relations are left out: `_relations` reads them one by one.
    """
    found: dict[str, str] = {}
    for child in element:
        name = prefix + child.tag.rpartition("}")[2]
        if len(child):
            if name != "Relationer":
                found.update(_fields(child, name + "/"))
        else:
            found[name] = (child.text or "").strip()
    return found


def _person(element: ET.Element, position: int) -> Person:
    fields = _fields(element)
    get = fields.get
    person = Person(
        position=position,
        number=get("PersonId/PersonNr", ""),
        given_name=get("Namn/Fornamn", ""),
        family_name=get("Namn/Efternamn", ""),
        municipality_code=get("Folkbokforing/KommunKod", ""),
        registered_on=_date(get("Folkbokforing/Folkbokforingsdatum", "")),
        confidentiality=get("Sekretessmarkering") == YES,
        protected_registration=get("SkyddadFolkbokforing") == YES,
        deregistration_code=get("Avregistrering/AvregistreringsorsakKod", ""),
        deregistered_on=_date(get("Avregistrering/Avregistreringsdatum", "")),
    )
    relations = next((child for child in element if _local(child.tag) == "Relationer"), None)
    for relation in relations if relations is not None else ():
        values = _fields(relation)
        if values.get("RelationsTyp") != GUARDIAN:
            continue  # parents without custody, spouses and the like are not imported (docs/imports.md)
        person.guardians.append(
            Relation(
                number=values.get("RelationId/PersonNr", ""),
                given_name=values.get("Fornamn", ""),
                family_name=values.get("Efternamn", ""),
                start=_date(values.get("Startdatum", "")),
                end=_date(values.get("Slutdatum", "")),
            )
        )
    return person


def _header(element: ET.Element) -> Header:
    produced = _date(_text(element, "Framstallningsdatum"))
    code = _text(element, "KommunKod")
    if produced is None or not code:
        raise NavetFileError(_("Leveransens datum eller kommunkod saknas eller är felaktig."))
    return Header(produced_on=produced, municipality_code=code)


def _drop_handled(open_elements: list[ET.Element]) -> None:
    """Detach a handled element from the parents the parser still holds open.

    Clearing only the root would leave every post attached to the open Folkbokforingsposter, and
    memory would grow with the file.
    """
    for parent in open_elements[-2:]:  # Folkbokforingspost (the post's own), then Folkbokforingsposter
        parent.clear()


def read(stream: IO[bytes], *, persons: bool = True) -> Iterator[Header | Person | int]:
    """Yield the delivery header, then each personpost; elements are cleared as soon as they are read.

    With `persons=False` (the checking pass) a post's place in the file is yielded instead of the post.
    """
    position = 0
    open_elements: list[ET.Element] = []
    header_seen = False
    names: dict[str, str] = {}  # tag with namespace -> local name: a few distinct tags, read once each
    try:
        # Python's expat (2.4+) caps entity expansion and ElementTree never fetches external entities.
        for event, element in ET.iterparse(stream, events=("start", "end")):  # noqa: S314
            tag = element.tag
            name = names.get(tag)
            if name is None:
                name = names[tag] = _local(tag)
            if event == "start":
                if not open_elements and name != "Navet":
                    raise NavetFileError(_("Filen är inte en leverans från Navet (rotelementet saknas)."))
                open_elements.append(element)
                continue
            open_elements.pop()
            if name == "Leverans":
                header_seen = True
                yield _header(element)
            elif name == "Personpost":
                if not header_seen:
                    raise NavetFileError(_("Leveransuppgifterna måste stå före personposterna."))
                position += 1
                yield _person(element, position) if persons else position
            else:
                continue
            _drop_handled(open_elements)
    except ET.ParseError as exc:
        raise NavetFileError(
            _("Filen är inte giltig XML (rad %(line)d). Ingenting har ändrats.") % {"line": exc.position[0]}
        ) from exc
    if not header_seen:
        raise NavetFileError(_("Filen saknar leveransuppgifter (Leverans). Ingenting har ändrats."))


def check(stream: IO[bytes]) -> tuple[Header, int]:
    """Read the whole file once without writing: return the header and the number of personposts, or raise."""
    header = None
    persons = 0
    for item in read(stream, persons=False):
        if isinstance(item, Header):
            header = item
        else:
            persons = item
    return header, persons


def import_file(
    stream: IO[bytes],
    run: ImportRun,
    *,
    size: int = 0,
    progress: Callable[[int], None] | None = None,
) -> ImportRun:
    """Check, then apply a Navet file in batches; the run's report says what changed and what was rejected."""
    report = runs.Report()
    try:
        header, persons = check(stream)
        municipality = Municipality.objects.filter(code=header.municipality_code).first()
        if municipality is None:
            raise NavetFileError(
                _("Kommunkoden i filen (%(code)s) hör inte till någon kommun i Samplan. Ingenting har ändrats.")
                % {"code": header.municipality_code}
            )
        runs.run_progress(run, processed=0, total=persons)
        stream.seek(0)
        importer = _Importer(run=run, header=header, municipality=municipality, report=report)
        pending: list[Person] = []
        done = 0
        for item in read(stream):
            if isinstance(item, Person):
                pending.append(item)
            if len(pending) >= BATCH_SIZE:
                importer.apply(pending)
                done += len(pending)
                pending = []
                runs.run_progress(run, processed=done)
        if pending:
            importer.apply(pending)
    except NavetFileError as exc:
        return runs.run_finish(run, report, status=ImportRun.Status.REJECTED, error=str(exc))
    return runs.run_finish(run, report)


@dataclass
class _Importer:
    run: ImportRun
    header: Header
    municipality: Municipality
    report: runs.Report

    def __post_init__(self) -> None:
        self.actor = runs.actor_for(self.run)
        self.target = runs.target_for(self.run)
        self.source_note = self.actor.username  # "import navet 12": the run that recorded the fact
        # Protection markings of adults whose own post came before any child listed them (few: kept in memory).
        self.markings: dict[str, str] = {}

    def _audit(self, action: str, record, child_id) -> None:
        audit.record(
            actor=self.actor,
            action=action,
            surface="task",
            target=self.target,
            basis=policy.Basis.POPULATION_REGISTER,
            child_id=child_id,
            record_type=type(record).__name__,
            record_id=str(record.pk),
        )

    def apply(self, persons: list[Person]) -> None:
        """Apply one batch in one transaction (rolled back in a dry run)."""
        valid = [person for person in persons if self._valid(person)]
        numbers = [person.number for person in valid]
        adult_numbers = [relation.number for person in valid for relation in person.guardians]
        with runs.batch(self.run):
            children = {child.identity_number: child for child in Child.objects.filter(identity_number__in=numbers)}
            guardians = {
                guardian.identity_number: guardian
                for guardian in Guardian.objects.filter(identity_number__in=adult_numbers + numbers)
            }
            custody: dict = {}
            rows = Guardianship.objects.filter(child__in=list(children.values()), has_custody=True)
            for row in rows.select_related("guardian"):
                custody.setdefault(row.child_id, {})[(row.guardian.identity_number, row.valid_from)] = row
            self._new: dict[type, list] = {Child: [], Guardian: [], Guardianship: []}
            for person in valid:
                guardian = guardians.get(person.number)
                if guardian is not None:
                    self._update_guardian(guardian, person)  # a guardian's own post: markings and names
                child = children.get(person.number)
                if child is None and self._adult(person):
                    if guardian is None and person.protection != Protection.NONE:
                        self.markings[person.number] = person.protection  # for a guardian first listed later
                    self.report.counts["adults"] += 1
                    continue
                if child is None:
                    child = self._create_child(person)
                    if child is None:
                        continue
                    children[person.number] = child  # a number twice in one file is one child
                else:
                    self._update_child(child, person)
                self._custody(child, person, guardians, custody.setdefault(child.pk, {}))
            self._flush()

    def _flush(self) -> None:
        """Insert the batch's new rows in bulk (one COPY per model), parents first, and audit each.

        `copy_insert` announces the children through core.maintained, so the access relation's sort keys
        are written in the same transaction.
        """
        for model in (Child, Guardian, Guardianship):
            rows = self._new[model]
            if not rows:
                continue
            for row in rows:
                row.source, row.source_note = Source.NAVET, self.source_note
                if model is Guardianship:
                    row.guardian_id = row.guardian.pk  # inserted just before
            copy_insert(model, rows)
            for row in rows:
                child_id = row.pk if model is Child else getattr(row, "child_id", None) or row._for_child
                self._audit("create", row, child_id)

    def _valid(self, person: Person) -> bool:
        """Normalise the person's numbers in place; reject the post (never naming the number) when one is wrong."""
        where = _("Post %(position)d") % {"position": person.position}
        try:
            number = personnummer.parse(person.number, today=self.header.produced_on)
            person.number, person.birth_date = number.normalised, number.birth_date
            for index, relation in enumerate(person.guardians):
                normalised = personnummer.parse(relation.number, today=self.header.produced_on).normalised
                person.guardians[index] = Relation(
                    normalised, relation.given_name, relation.family_name, relation.start, relation.end
                )
        except ValidationError as exc:
            self.report.reject("rejected", f"{where}: {_('ogiltigt personnummer')} ({exc.messages[0]})")
            return False
        if not person.given_name or not person.family_name:
            self.report.reject("rejected", f"{where}: {_('namn saknas')}")
            return False
        return True

    def _adult(self, person: Person) -> bool:
        """Return whether the person was 18 or older on the delivery's date (never a new child)."""
        produced = self.header.produced_on
        born = person.birth_date
        return (
            born is not None
            and (produced.year - born.year - ((produced.month, produced.day) < (born.month, born.day))) >= 18
        )

    def _update_guardian(self, guardian: Guardian, person: Person) -> None:
        """Let a guardian's own post set their names and protection marking, which acts at once: the child's
        page hides a protected guardian's contact details (people.present.guardian_row) from the next read."""
        changed: list[str] = []
        names = (person.given_name[:100], person.family_name[:100])
        if (guardian.given_name, guardian.family_name) != names:
            guardian.given_name, guardian.family_name = names
            changed += ["given_name", "family_name"]
        if guardian.protection != person.protection:
            guardian.protection = person.protection
            changed.append("protection")
            self.report.change(
                "guardian_protection_changed",
                _("%(where)s: vårdnadshavarens skyddade personuppgifter ändrade till %(marking)s")
                % {"where": self._where(person), "marking": Protection(person.protection).label},
            )
        elif changed:
            self.report.change(
                "guardian_names_changed", _("%(where)s: vårdnadshavarens namn ändrat") % {"where": self._where(person)}
            )
        if changed and guardian.pk is not None:  # a guardian new in this batch is inserted with the values
            guardian.save(update_fields=changed)
            self._audit("update", guardian, None)

    def _where(self, person: Person) -> str:
        return _("Post %(position)d") % {"position": person.position}

    def _lives_here(self, person: Person) -> bool:
        return person.municipality_code == self.municipality.code and person.deregistration_code == ""

    def _create_child(self, person: Person) -> Child | None:
        if not self._lives_here(person):
            self.report.reject(
                "not_created",
                f"{self._where(person)}: {_('barnet finns inte i Samplan och är inte folkbokfört i kommunen')}",
            )
            return None
        number = personnummer.parse(person.number, today=self.header.produced_on)
        child = Child(
            identity_kind=IdentityKind.SAMORDNINGSNUMMER
            if number.kind == personnummer.SAMORDNINGSNUMMER
            else IdentityKind.PERSONNUMMER,
            identity_number=number.normalised,
            given_name=person.given_name[:100],
            family_name=person.family_name[:100],
            birth_date=number.birth_date,
            protection=person.protection,
            municipality=self.municipality,
        )
        child.clean_fields(exclude=["municipality"])
        self._new[Child].append(child)
        self.report.change(
            "children_created",
            _("%(where)s: nytt barn (fött %(year)d)") % {"where": self._where(person), "year": number.birth_date.year},
        )
        return child

    def _update_child(self, child: Child, person: Person) -> None:
        changed: list[str] = []
        where = self._where(person)
        if (child.given_name, child.family_name) != (person.given_name[:100], person.family_name[:100]):
            child.given_name, child.family_name = person.given_name[:100], person.family_name[:100]
            changed += ["given_name", "family_name"]
            self.report.change("names_changed", _("%(where)s: namnet ändrat") % {"where": where})
        if child.protection != person.protection:
            child.protection = person.protection
            changed.append("protection")
            self.report.change(
                "protection_changed",
                _("%(where)s: skyddade personuppgifter ändrade till %(marking)s")
                % {"where": where, "marking": Protection(person.protection).label},
            )
        changed += self._deregistration(child, person)
        if changed:
            child.save(update_fields=changed)
            self._audit("update", child, child.pk)

    def _deregistration(self, child: Child, person: Person) -> list[str]:
        """Mark a death or a move out of the municipality and end the named person; nothing is deleted."""
        where = self._where(person)
        if person.deregistration_code == DECEASED:
            if child.deceased_on is not None:
                return []
            child.deceased_on = person.deregistered_on or self.header.produced_on
            self.report.change("deceased", _("%(where)s: barnet har avlidit") % {"where": where})
            self._end_named_person(child, child.deceased_on)
            return ["deceased_on"]
        moved = person.deregistration_code == EMIGRATED or person.municipality_code != self.municipality.code
        if moved and child.moved_out_on is None:
            child.moved_out_on = person.deregistered_on or person.registered_on or self.header.produced_on
            self.report.change("moved_out", _("%(where)s: barnet har flyttat från kommunen") % {"where": where})
            self._end_named_person(child, child.moved_out_on)
            return ["moved_out_on"]
        if not moved and child.moved_out_on is not None and person.deregistration_code == "":
            child.moved_out_on = None
            self.report.change("moved_back", _("%(where)s: barnet är åter folkbokfört i kommunen") % {"where": where})
            return ["moved_out_on"]
        if person.deregistration_code not in ("", DECEASED, EMIGRATED):
            self.report.reject(
                "not_handled",
                _(
                    "%(where)s: avregistrering av annat slag (kod %(code)s) hanteras inte av importen; "
                    "kontrollera barnet"
                )
                % {"where": where, "code": person.deregistration_code},
            )
        return []

    def _end_named_person(self, child: Child, on: date) -> None:
        for assignment in Assignment.objects.select_for_update().filter(child=child, end__isnull=True):
            assignment.end = max(on, assignment.start + timedelta(days=1))
            assignment.ended_reason = EndReason.OTHER
            assignment.full_clean()
            assignment.save(update_fields=["end", "ended_reason"])
            self._audit("update", assignment, child.pk)
            self.report.counts["assignments_ended"] += 1
        for proposal in HandoverProposal.objects.filter(child=child, status=HandoverProposal.Status.OPEN):
            proposal.status = HandoverProposal.Status.SUPERSEDED
            proposal.save(update_fields=["status"])
            self._audit("update", proposal, child.pk)
            self.report.counts["handovers_withdrawn"] += 1

    def _custody(self, child: Child, person: Person, guardians: dict[str, Guardian], existing: dict) -> None:
        """Make the child's custody relations what the register says: start new ones, end those no longer listed."""
        where = self._where(person)
        listed: set[str] = set()
        for relation in person.guardians:
            guardian = guardians.get(relation.number)
            if guardian is None:
                guardian = Guardian(
                    identity_number=relation.number,
                    given_name=relation.given_name[:100] or "–",
                    family_name=relation.family_name[:100] or "–",
                    protection=self.markings.pop(relation.number, Protection.NONE),
                )
                guardian.clean_fields()
                guardian._for_child = child.pk  # the audit row names the child the guardian came with
                guardians[relation.number] = guardian
                self._new[Guardian].append(guardian)
            listed.add(relation.number)
            start = relation.start or child.birth_date
            row = existing.get((relation.number, start))
            if row is None:
                row = Guardianship(
                    child=child,
                    guardian=guardian,
                    relation=Guardianship.Relation.PARENT,
                    has_custody=True,
                    valid_from=start,
                    valid_to=relation.end,
                )
                existing[(relation.number, start)] = row
                self._new[Guardianship].append(row)
                self.report.change("custody_started", _("%(where)s: ny vårdnadshavare") % {"where": where})
            elif row.valid_to != relation.end:
                row.valid_to = relation.end
                row.save(update_fields=["valid_to"])
                self._audit("update", row, child.pk)
                self.report.change("custody_changed", _("%(where)s: vårdnadens slutdatum ändrat") % {"where": where})
        if self._lives_here(person) or person.guardians:
            ended_on = self.header.produced_on - timedelta(days=1)
            for (number, _start), row in existing.items():
                if number in listed or row.valid_to is not None or row.valid_from > ended_on:
                    continue
                row.valid_to = ended_on
                row.save(update_fields=["valid_to"])
                self._audit("update", row, child.pk)
                self.report.change("custody_ended", _("%(where)s: vårdnad upphört") % {"where": where})

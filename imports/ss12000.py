"""The SS12000 import: a small client for an SS12000 server and a full or delta sync into Samplan.

What is read: organisations (school units by `schoolUnitCode`, mapped to Samplan units through
`SchoolUnitCode`), persons (children by `civicNo`; staff by e-mail or eduPersonPrincipalName to an
existing login), the enrolments embedded in persons, preschool placements, duties and
`deletedEntities`. A delta asks for `meta.modified.after` the start of the last completed sync of
the same server. Custody is not taken from `responsibleFor`: the population register is the source
of custody, so a `responsibleFor` the register does not know is reported, not stored.
"""

from __future__ import annotations

import contextlib
import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit import log as audit
from imports import runs
from imports.models import ExternalLink, ImportRun, SchoolUnitCode
from namedperson.services import handover_propose_for
from organisations.models import Membership, Role, Unit
from people.models import Child, Enrolment, Guardianship
from sharing import policy
from sharing.categories import category_for_unit_type

SCHOOL_TYPES = {
    "FS": Enrolment.Kind.PRESCHOOL,
    "FKLASS": Enrolment.Kind.PRESCHOOL_CLASS,
    "GR": Enrolment.Kind.SCHOOL,
    "GRS": Enrolment.Kind.SCHOOL,
    "SP": Enrolment.Kind.SCHOOL,
    "SAM": Enrolment.Kind.SCHOOL,
    "GY": Enrolment.Kind.UPPER_SECONDARY,
    "GYS": Enrolment.Kind.UPPER_SECONDARY,
}
DUTY_ROLES = {
    "Rektor": Role.HEAD_TEACHER,
    "Förskolechef": Role.HEAD_TEACHER,
    "Lärare": Role.PRACTITIONER,
    "Förstelärare": Role.PRACTITIONER,
    "Förskollärare": Role.PRACTITIONER,
    "Barnskötare": Role.PRACTITIONER,
    "Fritidspedagog": Role.PRACTITIONER,
    "Speciallärare/specialpedagog": Role.PRACTITIONER,
    "Elevhälsopersonal": Role.PRACTITIONER,
    "Kurator": Role.PRACTITIONER,
    "Skolsköterska": Role.PRACTITIONER,
    "Skolpsykolog": Role.PRACTITIONER,
    "Skolläkare": Role.PRACTITIONER,
    "Studie- och yrkesvägledare": Role.PRACTITIONER,
}


class SS12000Error(Exception):
    """The server could not be read; the message is Swedish."""


class Client:
    """Read an SS12000 server's JSON over HTTP, following `pageToken` from page to page."""

    def __init__(self, base_url: str, *, token: str = "", timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def get(self, path: str, params: dict[str, str] | None = None) -> dict:
        query = urllib.parse.urlencode({key: value for key, value in (params or {}).items() if value})
        url = f"{self.base_url}/{path.lstrip('/')}" + (f"?{query}" if query else "")
        if not url.startswith(("http://", "https://")):
            raise SS12000Error(_("Adressen måste börja med http:// eller https://."))
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (scheme checked)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (scheme checked)
                return json.load(response)
        except (OSError, ValueError) as exc:
            raise SS12000Error(
                _("Servern kunde inte läsas (%(path)s): %(error)s") % {"path": path, "error": exc}
            ) from exc

    def each(self, path: str, params: dict[str, str] | None = None) -> Iterator[dict]:
        params = dict(params or {})
        while True:
            page = self.get(path, params)
            yield from page.get("data", [])
            token = page.get("pageToken")
            if not token:
                return
            params["pageToken"] = token


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _ref(value: dict | None) -> str:
    return (value or {}).get("id", "")


@dataclass
class _Sync:
    run: ImportRun
    client: Client
    report: runs.Report
    today: date

    def __post_init__(self) -> None:
        self.actor = runs.actor_for(self.run)
        self.target = runs.target_for(self.run)
        self.after = self.run.modified_after.isoformat() if self.run.modified_after else ""
        self.units: dict[str, Unit] = {}
        self.new_enrolment_children: set = set()

    # --- helpers ---

    def batch(self):
        """One step's transaction; a dry run holds every step in one transaction, rolled back at the end."""
        return contextlib.nullcontext() if self.run.dry_run else runs.batch(self.run)

    def _audit(self, action: str, record, child_id=None) -> None:
        audit.record(
            actor=self.actor,
            action=action,
            surface="task",
            target=self.target,
            basis=policy.Basis.SCHOOL_ADMINISTRATION,
            child_id=child_id,
            record_type=type(record).__name__,
            record_id=str(record.pk),
        )

    def _link(self, entity: str, external_id: str) -> ExternalLink | None:
        return ExternalLink.objects.filter(entity=entity, external_id=external_id).first()

    def _set_link(self, entity: str, external_id: str, record) -> None:
        ExternalLink.objects.update_or_create(
            entity=entity,
            external_id=external_id,
            defaults={"local_model": type(record).__name__, "local_id": str(record.pk)},
        )

    def _unmapped(self, text: str) -> None:
        self.report.reject("unmapped", text)

    def _ended_on(self, start: date) -> date:
        return max(start, self.today - timedelta(days=1))

    # --- organisations ---

    def organisations(self) -> None:
        codes = {row.code: row.unit for row in SchoolUnitCode.objects.select_related("unit__authority")}
        for organisation in self.client.each("organisations"):
            code = organisation.get("schoolUnitCode")
            if not code:
                continue  # huvudman, förvaltning and the like carry no children
            unit = codes.get(code)
            if unit is None:
                self._unmapped(
                    _("Skolenheten %(name)s (skolenhetskod %(code)s) är inte kopplad till någon enhet i Samplan")
                    % {"name": organisation.get("displayName", ""), "code": code}
                )
                continue
            self.units[organisation["id"]] = unit

    # --- persons and their enrolments ---

    def persons(self) -> None:
        params = {"meta.modified.after": self.after, "expand": "responsibleFor"}
        with self.batch():
            for person in self.client.each("persons", params):
                self._person(person)

    def _person(self, person: dict) -> None:
        number = ((person.get("civicNo") or {}).get("value") or "").replace("-", "")
        name = f"{person.get('givenName', '')} {person.get('familyName', '')}".strip()
        child = Child.objects.filter(identity_number=number).first() if number else None
        if child is not None:
            self._set_link(ExternalLink.Entity.PERSON, person["id"], child)
            self._enrolments(child, person)
            return
        user = self._staff_user(person)
        if user is not None:
            self._set_link(ExternalLink.Entity.PERSON, person["id"], user)
            return
        if person.get("enrolments") or person.get("_embedded", {}).get("responsibleFor"):
            # No name: the report must not identify a child or a guardian Samplan does not hold.
            if person.get("enrolments"):
                text = _(
                    "En elev i skolans system finns inte i Samplan; läs in folkbokföringen eller registrera för hand"
                )
            else:
                text = _("En vårdnadshavare i skolans system finns inte i Samplan")
            self._unmapped(text)
            self._responsible_for(person)
            return
        self._unmapped(_("Personalen %(name)s har inget konto i Samplan") % {"name": name})

    def _staff_user(self, person: dict) -> User | None:
        emails = [row.get("value", "").lower() for row in person.get("emails", []) if row.get("value")]
        names = [value for value in person.get("eduPersonPrincipalNames", []) if value]
        if not emails and not names:
            return None
        return User.objects.filter(email__in=emails).first() or User.objects.filter(username__in=names).first()

    def _responsible_for(self, person: dict) -> None:
        """Report a responsibleFor relation the population register does not know; custody comes from the register."""
        number = ((person.get("civicNo") or {}).get("value") or "").replace("-", "")
        for row in person.get("_embedded", {}).get("responsibleFor", []):
            link = self._link(ExternalLink.Entity.PERSON, _ref(row.get("responsibleFor")))
            if link is None or link.local_model != "Child":
                continue
            known = Guardianship.objects.filter(child_id=link.local_id, guardian__identity_number=number).exists()
            if not known:
                self._unmapped(_("Ett vårdnadsförhållande i skolans system finns inte i folkbokföringen"))

    def _enrolments(self, child: Child, person: dict) -> None:
        """Make the child's enrolments from this server what the person's list says; end those that went away."""
        prefix = f"{person['id']}:"
        wanted: dict[str, dict] = {}
        for row in person.get("enrolments", []):
            key = f"{prefix}{_ref(row.get('enroledAt'))}:{row.get('schoolType', '')}:{row.get('startDate', '')}"
            wanted[key] = row
        links = {
            link.external_id: link
            for link in ExternalLink.objects.filter(
                entity=ExternalLink.Entity.ENROLMENT, external_id__startswith=prefix
            )
        }
        for key, row in wanted.items():
            self._enrolment(child, key, links.get(key), row, org=_ref(row.get("enroledAt")), entity="enrolment")
        for key, link in links.items():
            if key not in wanted:
                self._end_enrolment(link)

    def _enrolment(self, child: Child, key: str, link, row: dict, *, org: str, entity: str) -> None:
        start, end = _date(row.get("startDate")), _date(row.get("endDate"))
        if link is not None:
            enrolment = Enrolment.objects.filter(pk=link.local_id).first()
            if enrolment is not None and enrolment.end != end:
                enrolment.end = end
                enrolment.save(update_fields=["end"])
                self._audit("update", enrolment, child.pk)
                self.report.change("enrolments_ended", _("En inskrivning har fått nytt slutdatum"))
            return
        unit = self.units.get(org)
        kind = SCHOOL_TYPES.get(row.get("schoolType", ""))
        if unit is None or kind is None or start is None:
            self._unmapped(
                _("En inskrivning (skolform %(type)s) kunde inte kopplas till en enhet i Samplan")
                % {"type": row.get("schoolType", "–")}
            )
            return
        adopted = Enrolment.objects.filter(child=child, unit=unit, kind=kind, end__isnull=True).first()
        if adopted is not None:
            self._set_link(entity, key, adopted)  # registered before the sync (by hand, or an earlier system)
            return
        enrolment = Enrolment(
            child=child,
            unit=unit,
            kind=kind,
            start=start,
            end=end,
            owner_authority=unit.authority,
            category=category_for_unit_type(unit.unit_type),
        )
        enrolment.full_clean()
        enrolment.save()
        self._set_link(entity, key, enrolment)
        self._audit("create", enrolment, child.pk)
        self.new_enrolment_children.add(child.pk)
        self.report.change(
            "enrolments_created",
            _("Ny %(kind)s på %(unit)s") % {"kind": enrolment.get_kind_display().lower(), "unit": unit.name},
        )

    def _end_enrolment(self, link: ExternalLink) -> None:
        enrolment = Enrolment.objects.filter(pk=link.local_id).first()
        if enrolment is not None and (enrolment.end is None or enrolment.end >= self.today):
            enrolment.end = self._ended_on(enrolment.start)
            enrolment.save(update_fields=["end"])
            self._audit("update", enrolment, enrolment.child_id)
            self.report.change(
                "enrolments_ended",
                _("%(kind)s på %(unit)s avslutad")
                % {"kind": enrolment.get_kind_display(), "unit": enrolment.unit.name},
            )
        link.delete()

    # --- placements (preschool) ---

    def placements(self) -> None:
        with self.batch():
            for placement in self.client.each("placements", {"meta.modified.after": self.after}):
                link = self._link(ExternalLink.Entity.PERSON, _ref(placement.get("child")))
                if link is None or link.local_model != "Child":
                    self._unmapped(_("En placering gäller ett barn som inte finns i Samplan"))
                    continue
                child = Child.objects.get(pk=link.local_id)
                row = {**placement, "schoolType": placement.get("schoolType") or "FS"}
                existing = self._link(ExternalLink.Entity.PLACEMENT, placement["id"])
                self._enrolment(
                    child, placement["id"], existing, row, org=_ref(placement.get("placedAt")), entity="placement"
                )

    # --- duties ---

    def duties(self) -> None:
        with self.batch():
            for duty in self.client.each("duties", {"meta.modified.after": self.after}):
                self._duty(duty)

    def _duty(self, duty: dict) -> None:
        role = DUTY_ROLES.get(duty.get("dutyRole", ""))
        person = self._link(ExternalLink.Entity.PERSON, _ref(duty.get("person")))
        unit = self.units.get(_ref(duty.get("dutyAt")))
        if role is None:
            self._unmapped(_("Befattningen %(role)s motsvarar ingen roll i Samplan") % {"role": duty.get("dutyRole")})
            return
        if person is None or person.local_model != "User" or unit is None:
            self._unmapped(
                _("En tjänstgöring som %(role)s kunde inte kopplas till ett konto och en enhet i Samplan")
                % {"role": duty.get("dutyRole")}
            )
            return
        start, end = _date(duty.get("startDate")) or self.today, _date(duty.get("endDate"))
        link = self._link(ExternalLink.Entity.DUTY, duty["id"])
        membership = Membership.objects.filter(pk=link.local_id).first() if link else None
        if membership is None:
            membership = Membership(user_id=person.local_id, unit=unit, role=role, valid_from=start, valid_to=end)
            membership.full_clean()
            membership.save()
            self._set_link(ExternalLink.Entity.DUTY, duty["id"], membership)
            self._audit("create", membership)
            self.report.change(
                "memberships_created",
                _("Ny roll: %(role)s på %(unit)s") % {"role": membership.get_role_display(), "unit": unit.name},
            )
        elif membership.valid_to != end:
            membership.valid_to = end
            membership.save(update_fields=["valid_to"])
            self._audit("update", membership)
            self.report.change("memberships_ended", _("En roll har fått nytt slutdatum"))

    def _end_membership(self, link: ExternalLink) -> None:
        membership = Membership.objects.filter(pk=link.local_id).select_related("unit").first()
        if membership is not None and (membership.valid_to is None or membership.valid_to >= self.today):
            membership.valid_to = self._ended_on(membership.valid_from)
            membership.save(update_fields=["valid_to"])
            self._audit("update", membership)
            self.report.change(
                "memberships_ended",
                _("Roll avslutad: %(role)s på %(unit)s")
                % {"role": membership.get_role_display(), "unit": membership.unit.name},
            )
        link.delete()

    # --- deletions ---

    def deleted(self) -> None:
        if not self.after:
            return  # a full sync reads everything; deletions are what a delta learns separately
        data = self.client.get("deletedEntities", {"after": self.after}).get("data", {})
        with self.batch():
            for external_id in data.get("placements", []):
                link = self._link(ExternalLink.Entity.PLACEMENT, external_id)
                if link is not None:
                    self._end_enrolment(link)
            for external_id in data.get("duties", []):
                link = self._link(ExternalLink.Entity.DUTY, external_id)
                if link is not None:
                    self._end_membership(link)
            for external_id in data.get("persons", []):
                prefix = f"{external_id}:"
                for link in ExternalLink.objects.filter(
                    entity=ExternalLink.Entity.ENROLMENT, external_id__startswith=prefix
                ):
                    self._end_enrolment(link)

    def handovers(self) -> None:
        if not self.new_enrolment_children:
            return
        with self.batch():
            summary = handover_propose_for(
                child_ids=self.new_enrolment_children,
                on=self.today,
                actor=self.actor,
                surface="task",
                target=self.target,
            )
            for _index in range(summary.created):
                self.report.change("handovers_proposed", _("Nytt förslag om överlämning till ny namngiven person"))


STEPS = ("organisations", "persons", "placements", "duties", "deleted", "handovers")


def last_sync(source_name: str) -> datetime | None:
    """Return when the last completed, saved sync of this server started: the next delta asks for changes after it."""
    run = (
        ImportRun.objects.filter(
            kind=ImportRun.Kind.SS12000, source_name=source_name, status=ImportRun.Status.DONE, dry_run=False
        )
        .order_by("-started_at")
        .first()
    )
    return run.started_at if run else None


def sync(run: ImportRun, *, today: date | None = None, token: str = "") -> ImportRun:
    """Run a full or delta sync against the server named by the run; every step writes in its own transaction."""
    report = runs.Report()
    if not run.full:
        run.modified_after = last_sync(run.source_name)
        run.full = run.modified_after is None
        run.save(update_fields=["modified_after", "full"])
    runs.run_progress(run, processed=0, total=len(STEPS))
    client = Client(run.source_name, token=token or getattr(settings, "SAMPLAN_SS12000_TOKEN", ""))
    state = _Sync(run=run, client=client, report=report, today=today or timezone.localdate())
    try:
        # A dry run reads what earlier steps would have written (a placement needs its child's link).
        with runs.batch(run) if run.dry_run else contextlib.nullcontext():
            for done, step in enumerate(STEPS, start=1):
                getattr(state, step)()
                if not run.dry_run:
                    runs.run_progress(run, processed=done)
    except SS12000Error as exc:
        return runs.run_finish(run, report, status=ImportRun.Status.FAILED, error=str(exc))
    return runs.run_finish(run, report)

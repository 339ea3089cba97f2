from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from imports import runs, ss12000
from imports.models import ImportRun, SchoolUnitCode
from imports.tests.ss12000_server import RecordedServer
from namedperson.models import HandoverProposal
from organisations.models import Membership, Role
from people.models import Enrolment

TODAY = date.today()


@pytest.fixture
def server(cast):
    for unit, code in ((cast.school, "11111111"), (cast.other_school, "22222222"), (cast.preschool, "33333333")):
        SchoolUnitCode.objects.create(unit=unit, code=code)
    cast.teacher.email = "lars@example.org"
    cast.teacher.save(update_fields=["email"])
    start = cast.child.enrolments.get(kind="school").start
    values = {
        "CHILD": cast.child.identity_number,
        "PROTECTED": cast.protected_child.identity_number,
        "START": start.isoformat(),
        "TODAY": TODAY.isoformat(),
    }
    with RecordedServer(values) as recorded:
        yield recorded


def _sync(url: str, *, full: bool = False, dry_run: bool = False) -> ImportRun:
    run = runs.run_start(kind=ImportRun.Kind.SS12000, source_name=url, dry_run=dry_run, full=full)
    return ss12000.sync(run, today=TODAY)


def test_a_full_sync_maps_units_enrolments_placements_and_duties_and_reports_the_rest(cast, server):
    run = _sync(server.url)
    assert run.status == ImportRun.Status.DONE, run.error
    assert run.full
    # The school enrolment registered before the sync is adopted, not doubled.
    assert cast.child.enrolments.filter(kind="school", end__isnull=True).count() == 1
    assert Enrolment.objects.filter(child=cast.protected_child, unit=cast.preschool, kind="preschool").exists()
    assert Membership.objects.filter(user=cast.teacher, unit=cast.other_school, role=Role.PRACTITIONER).exists()
    text = " ".join(run.unmapped)
    assert "99999999" in text  # a school unit code with no Samplan unit
    assert "Vaktmästare" in text  # a duty with no Samplan role
    assert "inget konto" in text  # staff without a login
    assert "finns inte i folkbokföringen" in text  # a responsibleFor the register does not know
    assert any("pageToken=sida-2" in path for path in server.requests)
    assert AuditEvent.objects.filter(username=f"import ss12000 {run.pk}", record_type="Membership").count() == 1


def test_the_delta_sync_proposes_a_handover_and_ends_an_enrolment_a_placement_and_a_membership(cast, server):
    first = _sync(server.url)
    delta = _sync(server.url)
    assert delta.status == ImportRun.Status.DONE, delta.error
    assert not delta.full and delta.modified_after == first.started_at
    assert any("meta.modified.after" in path for path in server.requests)
    yesterday = TODAY - timedelta(days=1)
    # deleted enrolment (gone from the person's list) → ended enrolment
    assert cast.child.enrolments.get(unit=cast.school, kind="school").end == yesterday
    # new enrolment → a named-person handover proposal to the new school's head teacher
    assert cast.child.enrolments.filter(unit=cast.other_school, end__isnull=True).exists()
    proposal = HandoverProposal.objects.get(child=cast.child, status="open")
    assert proposal.to_unit == cast.other_school and proposal.to_role == Role.HEAD_TEACHER
    assert delta.counts["handovers_proposed"] == 1
    # deleted placement → ended enrolment; deleted duty → ended membership
    assert Enrolment.objects.get(child=cast.protected_child, unit=cast.preschool).end == yesterday
    assert Membership.objects.get(user=cast.teacher, unit=cast.other_school).valid_to == yesterday


def test_a_second_delta_changes_nothing_more(cast, server):
    _sync(server.url)
    _sync(server.url)
    rows = AuditEvent.objects.count()
    again = _sync(server.url)
    assert AuditEvent.objects.count() == rows
    assert not {"enrolments_created", "enrolments_ended", "memberships_ended"} & set(again.counts)


def test_a_dry_run_reports_and_changes_nothing(cast, server):
    before = (Enrolment.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    run = _sync(server.url, dry_run=True)
    assert run.counts["enrolments_created"] == 1 and run.counts["memberships_created"] == 1
    assert (Enrolment.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_an_unreachable_server_fails_with_a_reason(cast):
    run = _sync("http://127.0.0.1:9/v2")
    assert run.status == ImportRun.Status.FAILED
    assert "kunde inte läsas" in run.error


def test_the_command_runs_a_full_sync(cast, server, capsys):
    call_command("sync_ss12000", server.url, "--full")
    assert "Klar" in capsys.readouterr().out

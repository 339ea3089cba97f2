"""Demo data for sharing without consent: reports, a disclosure decision, a refusal and a block, the same each run."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from sharing import policy
from sharing.models import Block, DisclosureDecision, EmergencyAccess, ReportOfConcern


def _build(*extra: str) -> None:
    call_command("demo_data", "--children", "300", "--seed", "1", "--force", *extra, stdout=StringIO())


def _snapshot() -> list[tuple]:
    reports = ReportOfConcern.objects.order_by("created_at").values_list(
        "child__identity_number", "to_unit__name", "reporter__username", "feedback"
    )
    decisions = DisclosureDecision.objects.order_by("outcome").values_list(
        "child__identity_number", "outcome", "legal_basis", "decided_by__username"
    )
    blocks = Block.objects.values_list("child__identity_number", "category", "created_by__username")
    return [*reports, *decisions, *blocks]


def test_it_builds_reports_decisions_and_a_block_the_demo_logins_can_see(db):
    _build()
    first = _snapshot()
    assert sorted(ReportOfConcern.objects.values_list("feedback", flat=True)) == ["not_opened", "opened", "pending"]
    assert sorted(DisclosureDecision.objects.values_list("outcome", flat=True)) == ["disclose", "refuse"]
    assert Block.objects.filter(lifted_at__isnull=True).count() == 1
    teacher = ReportOfConcern.objects.first().reporter
    assert teacher.username == "larare" and policy.reports_filed_by(teacher).count() == 3
    social_worker = ReportOfConcern.objects.first().to_unit.memberships.get(user__username="socialsekreterare").user
    assert policy.reports_received_by(social_worker).count() == 3
    _build("--reset")
    assert _snapshot() == first


def test_its_emergency_accesses_are_health_care_staff_reading_another_providers_records(db):
    _build()
    rows = list(EmergencyAccess.objects.select_related("user", "owner_authority"))
    assert len(rows) == 2
    for row in rows:
        assert policy.emergency.may_start(row.user, on=row.started_at.date())  # a clinician, never a teacher
        assert policy.emergency.may_open(row.owner_authority)  # health records, never a school's
        assert row.owner_authority_id not in set(policy.user_authorities(row.user).values_list("pk", flat=True))

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from catalogue.models import Referral
from core import personnummer
from core.fields import cipher
from demo import build as demo
from namedperson import selectors
from namedperson.models import Assignment
from namedperson.stages import add_years, target_start
from organisations.models import Membership
from people.models import Child, ContactDetails, Guardian, Guardianship, IdentityKind
from plans import selectors as plan_selectors
from plans.models import ChildPlan, Participant, PlanAgreement, PlanVersion, Status
from plans.snapshot import plan_snapshot
from sharing import policy
from sharing.policy import visible_children
from teams.models import Team, TeamMember
from testsupport.cast import sign_in
from testsupport.module_fixtures import per_module
from wellbeing.models import Assessment, ChronologyEntry, EntryIndicator, Rating


def _build(*extra: str, seed: int = 1) -> str:
    out = StringIO()
    call_command("demo_data", "--children", "60", "--seed", str(seed), "--force", *extra, stdout=out)
    return out.getvalue()


def _snapshot() -> list[tuple]:
    children = Child.objects.order_by("identity_number").values_list(
        "identity_number", "given_name", "family_name", "birth_date", "protection", "languages"
    )
    guardians = Guardian.objects.order_by("identity_number").values_list("identity_number", "given_name", "family_name")
    users = User.objects.order_by("username").values_list("username", "first_name", "last_name")
    teams = Team.objects.order_by("name").values_list("name", "kind", "municipality__code", "created_by__username")
    members = TeamMember.objects.order_by("team__name", "user__username").values_list(
        "team__name", "user__username", "authority__name", "role", "joined_on", "left_on"
    )
    return [*children, *guardians, *users, *teams, *members]


@per_module()
def demo_world() -> str:
    """The demo municipality of seed 1, built once for the module; the command's output."""
    return _build()


def test_it_builds_the_same_people_twice_for_a_seed(db):
    _build()
    first = _snapshot()
    _build("--reset")
    assert Child.objects.count() == 60
    assert _snapshot() == first


def test_it_uses_only_test_range_numbers(demo_world):
    numbers = [*Child.objects.values_list("identity_number", "identity_kind", "is_expected")]
    numbers += [(number, None, False) for number in Guardian.objects.values_list("identity_number", flat=True)]
    for number, kind, expected in numbers:
        parsed = personnummer.parse(number)
        if expected:
            assert parsed.kind == personnummer.RESERVE and number.startswith(demo.RESERVE_PREFIX)
            continue
        assert parsed.kind in {personnummer.PERSONNUMMER, personnummer.SAMORDNINGSNUMMER}
        assert kind in {None, parsed.kind}
        assert 980 <= int(number[8:11]) <= 999, number
    born = Child.objects.filter(is_expected=False)
    assert all(personnummer.parse(c.identity_number).birth_date == c.birth_date for c in born)


def test_it_gives_every_child_under_18_the_named_person_the_rules_expect(demo_world):
    today = timezone.localdate()
    children = Child.objects.filter(is_expected=False, birth_date__gt=add_years(today, -18))
    assert children.count() > 40
    for child in children.prefetch_related("enrolments"):
        target = selectors.target_for(child, today)
        current = list(Assignment.objects.filter(selectors.current_on(today), child=child))
        assert len(current) == 1, child.pk
        (assignment,) = current
        assert (assignment.stage, assignment.unit_id, assignment.role) == (target.stage, target.unit_id, target.role)
        facts = {"birth_date": child.birth_date, "is_expected": False, "enrolments": selectors.spans_for(child)}
        assert assignment.start == target_start(**facts, rules=selectors.rules_for(child.municipality_id), on=today)
        assert Membership.objects.filter(user=assignment.person, unit=assignment.unit, role=assignment.role).exists()


def test_it_gives_expected_children_a_midwife_and_a_reserve_number(demo_world):
    expected = Child.objects.filter(is_expected=True)
    for child in expected:
        assert child.identity_kind == IdentityKind.RESERVE
        assert child.enrolments.get().kind == "maternity"
        assert child.named_persons.get(end__isnull=True).role == "midwife"


def test_it_gives_every_child_a_guardian_with_custody(demo_world):
    assert not Child.objects.exclude(pk__in=Guardianship.objects.filter(has_custody=True).values("child")).exists()


def test_it_enrols_demo_logins_with_the_shared_totp_key(demo_world):
    for username, role, _ in demo.world.DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.memberships.filter(role=role).exists()
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        totp = TOTP(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX), device.step, device.t0, device.digits)
        assert device.verify_token(f"{totp.token():06d}")


def test_it_stores_protected_childrens_contact_details_encrypted(demo_world):
    protected = Child.objects.exclude(protection="none")
    assert protected.exists()
    for child in protected:
        details = ContactDetails.objects.get(child=child)
        assert details.address and details.postal_code
        with connection.cursor() as cursor:
            cursor.execute("SELECT address FROM people_contactdetails WHERE id = %s", [details.pk])
            (stored,) = cursor.fetchone()
        assert details.address not in stored
        assert cipher().decrypt(stored.encode()).decode() == details.address


def test_it_prints_the_demo_logins_and_the_totp_secret(demo_world):
    output = demo_world
    assert "rektor" in output and demo.DEMO_PASSWORD in output and demo.DEMO_TOTP_SECRET_BASE32 in output
    assert "60" in output


def test_it_refuses_outside_demo_mode(db, settings):
    settings.SAMPLAN_DEMO = False
    with pytest.raises(CommandError, match="demoläge"):
        call_command("demo_data", "--children", "5", stdout=StringIO())
    assert not Child.objects.exists()


def test_it_refuses_a_database_with_data_unless_reset(demo_world):
    before = _snapshot()
    with pytest.raises(CommandError, match="--reset"):
        _build()
    assert _snapshot() == before


def _without_ids(value):
    """Drop row ids from a snapshot: sequences run on between builds, the content must not."""
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key not in ("id", "user_id")}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def _practice() -> list[tuple]:
    child = "child__identity_number"
    entries = ChronologyEntry.objects.order_by(child, "start_date", "what_happened").values_list(
        child, "kind", "start_date", "end_date", "what_happened", "source", "impact", "author__username", "category"
    )
    indicators = EntryIndicator.objects.values_list(f"entry__{child}", "entry__start_date", "indicator")
    ratings = Rating.objects.values_list(
        f"assessment__{child}", "assessment__rater_kind", "assessment__assessed_on", "indicator", "score"
    )
    plans = ChildPlan.objects.order_by(child).values_list(
        child, "status", "kind", "version", "next_review_on", "reasons", "created_by__username"
    )
    versions = [
        (number, agreed_at is None, sent_at is None, _without_ids(snapshot))
        for number, agreed_at, sent_at, snapshot in PlanVersion.objects.order_by(f"plan__{child}").values_list(
            "number", "agreed_at", "sent_at", "snapshot"
        )
    ]
    agreements = PlanAgreement.objects.order_by(f"version__plan__{child}", "role", "name").values_list(
        f"version__plan__{child}", "name", "role", "answer", "method", "guardian__identity_number"
    )
    participants = Participant.objects.order_by(f"plan__{child}", "role", "name").values_list(
        f"plan__{child}", "name", "role", "guardian__identity_number"
    )
    return [*entries, *sorted(indicators), *sorted(ratings), *plans, *versions, *agreements, *participants]


def test_it_builds_the_same_practice_records_for_a_seed_and_others_for_another(db):
    _build()
    first = _practice()
    _build("--reset")
    assert _practice() == first
    _build("--reset", seed=2)
    assert _practice() != first


def test_it_shows_the_demo_head_teacher_a_child_with_a_chronology_and_an_agreed_plan(demo_world):
    rektor = User.objects.get(username="rektor")
    own = rektor.memberships.get().unit.authority_id
    plans = ChildPlan.objects.filter(child__in=visible_children(rektor), owner_authority_id=own)
    plan = plans.get(status=Status.ACTIVE, next_review_on__gt=timezone.localdate())
    entries = ChronologyEntry.objects.filter(child=plan.child, owner_authority_id=own)
    assert 3 <= entries.count() <= 8
    assert {"concern", "strength"} <= set(entries.values_list("kind", flat=True))
    assert EntryIndicator.objects.filter(entry__in=entries).exists()
    assert Assessment.objects.filter(child=plan.child, rater_kind="practitioner").get().ratings.count() == 8
    # As the services leave it: starting participants, one agreed version with everyone agreeing.
    roles = set(plan.participants.values_list("role", flat=True))
    assert {Participant.Role.CHILD, Participant.Role.GUARDIAN, Participant.Role.NAMED_PERSON} <= roles
    # Each guardian in the plan is linked to the guardian with custody, as plan_start links them.
    guardians = plan.participants.filter(role=Participant.Role.GUARDIAN)
    custody = Guardianship.objects.filter(child=plan.child, has_custody=True).values_list("guardian", flat=True)
    assert sorted(guardians.values_list("guardian", flat=True)) == sorted(custody)
    (version,) = plan.versions.all()
    assert version.number == 1 and plan.version == 3
    assert version.agreed_at is not None and version.sent_at is None
    assert version.agreements.count() == plan.participants.count()
    assert set(version.agreements.values_list("method", flat=True)) == {PlanAgreement.Method.STAFF}
    linked = version.agreements.filter(role=Participant.Role.GUARDIAN).values_list("guardian", flat=True)
    assert sorted(linked) == sorted(custody)
    assert version.snapshot["fields"] == plan_snapshot(plan)["fields"]
    assert plan.actions.exists() and not plan.actions.exclude(status="ongoing").exists()


def test_it_shows_the_demo_head_teacher_their_multi_agency_team(demo_world, client):
    rektor = User.objects.get(username="rektor")
    team = Team.objects.get(members__user=rektor)
    assert team.kind == Team.Kind.BARNOMBUDSTEAM and team.members.get(user=rektor).role == TeamMember.Role.CHAIR
    # Members from several authorities, each taking part for their own.
    assert team.members.values("authority").distinct().count() >= 4
    for member in team.members.select_related("user"):
        assert member.user.memberships.filter(unit__authority=member.authority_id).exists()

    sign_in(client, rektor)
    page = client.get(reverse("teams:list"))
    body = page.content.decode()
    assert page.status_code == 200 and team.name in body
    assert reverse("teams:detail", args=[team.pk]) in body


def _login_about(output: str, username: str) -> str:
    """Return whom a family login is about, as the demo prints it."""
    (line,) = [line for line in output.splitlines() if line.split()[:1] == [username]]
    return line.split(None, 2)[2].strip()


def test_the_demo_guardian_sees_their_child_s_plan_waiting_for_their_answer(demo_world, client):
    output = demo_world
    user = User.objects.get(username="vardnadshavare")
    guardian = Guardian.objects.get(user=user)
    plan = ChildPlan.objects.get(participants__guardian=guardian, versions__sent_at__isnull=False)
    assert f"{plan.child.given_name} {plan.child.family_name}" == _login_about(output, "vardnadshavare")
    # A child in custody: 9 to 14 years old, never a young adult whose custody has ended.
    assert 9 <= policy.age_on(plan.child.birth_date, policy.today()) <= 14
    # Sent through the services: a version waiting for the guardians, the other guardian has agreed.
    assert plan.status == Status.DRAFT
    version = plan_selectors.awaiting_version(plan)
    assert version is not None and version.number == 1 and plan_selectors.unchanged_since(plan, version)
    state = plan_selectors.family_answer(plan_selectors.family_plan(plan.child), guardian)
    assert state.may_answer and state.others_answered == 1 and state.others_waiting == 0
    (other,) = version.agreements.all()
    assert other.method == PlanAgreement.Method.FAMILY_VIEW and other.guardian.user.username == "vardnadshavare2"
    assert _login_about(output, "vardnadshavare2") == _login_about(output, "vardnadshavare")

    sign_in(client, user)
    page = client.get(reverse("family:plan", args=[plan.child.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="awaiting-answer"' in body
    assert reverse("family:plan_answer", args=[plan.child.pk]) in body
    assert "1 annan vårdnadshavare har svarat." in body
    answer = client.get(reverse("family:plan_answer", args=[plan.child.pk]))
    assert answer.status_code == 200 and 'name="answer"' in answer.content.decode()

    client.logout()
    sign_in(client, other.guardian.user)
    assert 'id="my-answer"' in client.get(reverse("family:plan", args=[plan.child.pk])).content.decode()

    # The demo guardian's agreement is the last one: the plan is agreed.
    client.logout()
    sign_in(client, user)
    client.post(reverse("family:plan_answer", args=[plan.child.pk]), {"answer": "agrees"})
    plan.refresh_from_db()
    version.refresh_from_db()
    assert plan.status == Status.AGREED and version.agreed_at is not None


@pytest.mark.parametrize("children", [5000, 200_000])
def test_its_units_stay_realistically_sized_as_the_municipality_grows(children):
    plans = demo.world.plan_units(children)
    schools = [plan for plan in plans if plan.kind.key in {"skola_f6", "skola_79", "skola_kompassen"}]
    # Schools of a few hundred pupils, however many children: more schools, not bigger ones.
    assert all(100 <= plan.serves <= 1000 for plan in schools)
    assert len(schools) >= children * 0.5 / 400
    for plan in plans:
        teachers = [title for role, title in plan.staff() if role == "practitioner" and title == "Lärare"]
        if plan.kind.key.startswith("skola"):
            assert 10 <= plan.serves / len(teachers) <= 14  # about 12 pupils per teacher (Skolverket)
        nurses = [role for role, _ in plan.staff() if role == "child_health_nurse"]
        if nurses:
            assert plan.serves / len(nurses) <= 350  # Rikshandboken: at most about 350 children per nurse
    names = [(plan.kind.authority, plan.name) for plan in plans]
    assert len(names) == len(set(names))  # a unit's name is unique within its authority


def test_it_keeps_one_deliberately_huge_caseload_who_is_never_a_named_person(demo_world):
    username, _, area, kinds = demo.world.LARGEST_CASELOAD
    largest = User.objects.get(username=username)
    schools = largest.memberships.filter(role="head_teacher")
    assert schools.count() == sum(
        1 for plan in demo.world.plan_units(60) if plan.kind.key in kinds and plan.area == area
    )
    assert not Assignment.objects.filter(person=largest).exists()
    assert visible_children(largest).count() >= visible_children(User.objects.get(username="rektor")).count()


def test_it_gives_the_intake_login_requests_of_several_levels_and_referrals_that_wait(demo_world, client):
    intake = User.objects.get(username="mottagning")
    assert intake.check_password(demo.DEMO_PASSWORD)
    assert intake.memberships.filter(role="intake", unit__name="Barn och familj, mottagning").exists()
    requests = policy.requests_for_intake(intake)
    assert set(requests.values_list("status", flat=True)) == {"received", "triaged", "routed", "supported"}
    assert set(requests.exclude(colour="").values_list("colour", flat=True)) == {"blue", "green", "orange", "red"}
    assert [r.days_to_support() for r in requests.filter(status="supported")] == [12]
    referrals = Referral.objects.all()
    assert len({r.status for r in referrals}) == 6
    today = policy.today()
    assert {r.waiting_days(today) for r in referrals.filter(status__in=["started", "completed"])} == {21, 14}
    assert referrals.get(status="waiting").waiting_days(today) == 35
    sign_in(client, intake)
    page = client.get(reverse("catalogue:intake")).content.decode()
    assert "Orange" in page and "Eleven har svårt med kamraterna" in page


def test_it_prints_the_intake_login(demo_world):
    line = next(line for line in demo_world.splitlines() if line.split()[:1] == ["mottagning"])
    assert "Mottagning" in line and "Barn och familj, mottagning" in line

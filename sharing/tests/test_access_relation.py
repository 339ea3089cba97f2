"""The precomputed access relation answers exactly as the rules, after every kind of write.

The reference is the rules evaluated on their source rows (`visible_children_by_rules`,
`with_access_by_rules`); `access_relation.differences` compares visibility, basis, shown identity and
protected-details need for every user × child on several days. A property test drives random
sequences of writes over a small world; a plain test per write kind names what each one changes.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from namedperson.models import Assignment, HandoverProposal, Stage
from organisations.models import Authority, Membership, Municipality, Role, Unit
from people.models import Child, Enrolment, Protection
from sharing import access_relation, policy
from sharing.models import AccessAssignment, AccessRelation, ChildSortKeys, ReportOfConcern
from testsupport.cast import enrol, make_child

User = get_user_model()
DAY = date(2026, 6, 1)
DAYS = [DAY - timedelta(days=6), DAY, DAY + timedelta(days=9), DAY + timedelta(days=40)]
ROLES = [Role.PRACTITIONER, Role.HEAD_TEACHER, Role.SOCIAL_WORKER, Role.MANAGER, Role.ANALYST]


class World:
    """Two schools and a social services team, four staff users and three children, no relation yet."""

    def __init__(self) -> None:
        self.municipality = Municipality.objects.create(name="Relationsby", code="9997")
        education = Authority.objects.create(
            name="Relationsbys skolor", kind="municipal_committee", sector="education", municipality=self.municipality
        )
        social = Authority.objects.create(
            name="Relationsbys socialtjänst",
            kind="municipal_committee",
            sector="social_services",
            municipality=self.municipality,
        )
        self.units = [
            Unit.objects.create(authority=education, name="Norra skolan", unit_type="school"),
            Unit.objects.create(authority=education, name="Södra skolan", unit_type="school"),
            Unit.objects.create(authority=social, name="Barn och unga", unit_type="social_services_team"),
        ]
        self.users = [User.objects.create_user(username=f"personal-{number}") for number in range(4)]
        self.children = [
            make_child(self.municipality, born=date(2015, 3, 1 + number), given=given, family=family, serial=980 + n2)
            for number, (given, family, n2) in enumerate(
                [("Åsa", "Öberg", 1), ("Émile", "Ängström", 2), ("Liv", "Andersson", 3)]
            )
        ]

    def check(self) -> list[str]:
        return list(access_relation.differences(User.objects.order_by("pk"), DAYS))


@pytest.fixture
def world(db) -> World:
    return World()


def _span(start: int, length: int | None) -> tuple[date, date | None]:
    first = DAY + timedelta(days=start)
    return first, None if length is None else first + timedelta(days=length)


class Write:
    """One drawn write: which child, user and unit it touches, and the days it names."""

    def __init__(self, world: World, drawn: tuple) -> None:
        self.kind, a, b, c, self.offset, self.length = drawn
        self.world = world
        self.role = ROLES[a % len(ROLES)]
        self.child = world.children[a % len(world.children)]
        self.user = world.users[b % len(world.users)]
        self.unit = world.units[c % len(world.units)]
        self.start = DAY + timedelta(days=self.offset)
        self.end = None if self.length is None else self.start + timedelta(days=self.length)


def _membership(w: Write) -> None:
    Membership.objects.create(user=w.user, unit=w.unit, role=w.role, valid_from=w.start, valid_to=w.end)


def _end_membership(w: Write) -> None:
    row = Membership.objects.filter(user=w.user).order_by("pk").first()
    if row is not None:
        row.valid_to = max(row.valid_from, w.start)
        row.save()


def _delete_membership(w: Write) -> None:
    Membership.objects.filter(user=w.user).delete()


def _enrol(w: Write) -> None:
    enrol(w.child, w.unit, "school", w.start, w.end)


def _end_enrolments(w: Write) -> None:
    w.child.enrolments.update(end=w.start)  # a bulk write: QuerySet.update


def _delete_enrolments(w: Write) -> None:
    Enrolment.objects.filter(child=w.child).delete()


def _move_enrolments(w: Write) -> None:
    for row in Enrolment.objects.filter(child=w.child):
        row.start, row.end = w.start, w.end
        row.save()


def _named_person(w: Write) -> None:
    Assignment.objects.filter(child=w.child, end__isnull=True).update(end=w.start)  # one current at a time
    Assignment.objects.create(
        child=w.child,
        person=w.user,
        unit=w.unit,
        role=Role.HEAD_TEACHER,
        stage=Stage.SCHOOL,
        start=w.start,
        end=None if w.length is None else w.start + timedelta(days=w.length + 1),
        owner_authority=w.unit.authority,
    )


def _assignment(w: Write) -> None:
    AccessAssignment.objects.create(
        child=w.child,
        user=w.user,
        reason="Utredning",
        sees_protected_details=bool(w.length and w.length % 2),
        valid_from=w.start,
        valid_to=w.start + timedelta(days=w.length or 0),
        granted_by=w.world.users[0],
    )


def _handover(w: Write) -> None:
    HandoverProposal.objects.create(child=w.child, stage=Stage.SCHOOL, to_unit=w.unit, to_role=w.role, due_date=w.start)


def _decide_handover(w: Write) -> None:
    for proposal in HandoverProposal.objects.filter(child=w.child, status=HandoverProposal.Status.OPEN):
        proposal.status = HandoverProposal.Status.ACCEPTED
        proposal.save()


def _report(w: Write) -> None:
    ReportOfConcern.objects.create(
        child=w.child,
        owner_authority=w.unit.authority,
        to_unit=w.unit,
        reporter=w.user,
        reporter_authority=w.unit.authority,
        what_happened="Barnet berättade om oro hemma.",
        guardians_informed=True,
    )


def _protect(w: Write) -> None:
    w.child.protection = list(Protection)[w.offset % len(Protection)]
    w.child.save()


def _rename(w: Write) -> None:
    w.child.family_name = ["Zetterberg", "Åberg", "Nilsson"][w.offset % 3]
    w.child.save()


def _toggle_active(w: Write) -> None:
    w.user.is_active = not w.user.is_active
    w.user.save()


WRITES = {
    "membership": _membership,
    "end_membership": _end_membership,
    "delete_membership": _delete_membership,
    "enrol": _enrol,
    "end_enrolments": _end_enrolments,
    "delete_enrolments": _delete_enrolments,
    "move_enrolments": _move_enrolments,
    "named_person": _named_person,
    "assignment": _assignment,
    "handover": _handover,
    "decide_handover": _decide_handover,
    "report": _report,
    "protect": _protect,
    "rename": _rename,
    "toggle_active": _toggle_active,
}


writes = st.lists(
    st.tuples(
        st.sampled_from(sorted(WRITES)),
        st.integers(0, 5),
        st.integers(0, 3),
        st.integers(0, 2),
        st.integers(-20, 20),
        st.one_of(st.none(), st.integers(0, 30)),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=int(os.environ.get("ACCESS_RELATION_EXAMPLES", 15)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=writes)
def test_the_relation_answers_as_the_rules_after_any_sequence_of_writes(world, drawn):
    with transaction.atomic():
        for write in drawn:
            try:
                with transaction.atomic():
                    WRITES[write[0]](Write(world, write))
            except IntegrityError:
                continue  # a write the schema refuses changes nothing
            assert world.check() == [], f"after {write}"
        transaction.set_rollback(True)


def _rows(user) -> set[tuple]:
    return set(AccessRelation.objects.filter(user=user).values_list("child_id", "basis", "valid_from", "valid_to"))


def test_a_membership_joins_the_units_enrolments_for_the_days_both_hold(world):
    child, unit, user = world.children[0], world.units[0], world.users[0]
    enrol(child, unit, "school", DAY - timedelta(days=10), DAY + timedelta(days=5))
    Membership.objects.create(user=user, unit=unit, role=Role.PRACTITIONER, valid_from=DAY)
    assert _rows(user) == {(child.pk, policy.Basis.ENROLMENT, DAY, DAY + timedelta(days=5))}
    assert world.check() == []


def test_a_role_without_unit_access_gives_no_row(world):
    enrol(world.children[0], world.units[0], "school", DAY)
    Membership.objects.create(user=world.users[0], unit=world.units[0], role=Role.ANALYST, valid_from=DAY)
    assert _rows(world.users[0]) == set()


def test_ending_and_deleting_a_membership_ends_and_removes_its_rows(world):
    enrol(world.children[0], world.units[0], "school", DAY)
    membership = Membership.objects.create(
        user=world.users[0], unit=world.units[0], role=Role.HEAD_TEACHER, valid_from=DAY
    )
    membership.valid_to = DAY + timedelta(days=3)
    membership.save()
    assert {row[3] for row in _rows(world.users[0])} == {DAY + timedelta(days=3)}
    membership.delete()
    assert _rows(world.users[0]) == set()


def test_a_membership_change_takes_the_same_statements_for_any_caseload(world):
    """A user's rows are derived in the database: one DELETE and one INSERT … SELECT per relation."""
    unit, user = world.units[0], world.users[0]
    membership = Membership.objects.create(user=user, unit=unit, role=Role.HEAD_TEACHER, valid_from=DAY)

    def change(days: int) -> int:
        membership.valid_to = DAY + timedelta(days=days)
        with CaptureQueriesContext(connection) as captured:
            membership.save()
        return len(captured)

    enrol(world.children[0], unit, "school", DAY)
    few = change(20)
    for number in range(30):
        pupil = make_child(
            world.municipality,
            born=date(2016, 1, 1) + timedelta(days=number),
            given="Elev",
            family=f"Nummer {number}",
            serial=900,
        )
        enrol(pupil, unit, "school", DAY)
    assert change(30) == few
    assert len(_rows(user)) == 31
    assert {row[3] for row in _rows(user)} == {DAY + timedelta(days=30)}
    assert world.check() == []


def test_the_rows_carry_the_childs_sort_keys_from_a_name_folded_once(world):
    child, unit, user = world.children[1], world.units[0], world.users[0]
    enrol(child, unit, "school", DAY)
    Membership.objects.create(user=user, unit=unit, role=Role.PRACTITIONER, valid_from=DAY)
    assert AccessRelation.objects.filter(user=user).values_list("name_key", "search_key").get() == (
        access_relation.name_key("Ängström", "Émile"),
        " ängström emile",
    )
    ChildSortKeys.objects.all().delete()  # children written outside the application: the keys are computed on use
    access_relation.refresh_users([user.pk])
    assert AccessRelation.objects.filter(user=user).values_list("search_key", flat=True).get() == " ängström emile"


def test_a_bulk_update_of_enrolments_recomputes_their_rows(world):
    child = world.children[0]
    enrol(child, world.units[0], "school", DAY)
    Membership.objects.create(user=world.users[0], unit=world.units[0], role=Role.PRACTITIONER, valid_from=DAY)
    child.enrolments.update(end=DAY + timedelta(days=2))
    assert {row[3] for row in _rows(world.users[0])} == {DAY + timedelta(days=2)}
    assert world.check() == []


def test_the_named_persons_end_is_exclusive(world):
    child, user, unit = world.children[1], world.users[1], world.units[0]
    Assignment.objects.create(
        child=child,
        person=user,
        unit=unit,
        role=Role.HEAD_TEACHER,
        stage=Stage.SCHOOL,
        start=DAY,
        end=DAY + timedelta(days=1),
        owner_authority=unit.authority,
    )
    assert _rows(user) == {(child.pk, policy.Basis.NAMED_PERSON, DAY, DAY)}
    assert world.check() == []


def test_an_assignment_with_a_secrecy_assessment_shows_a_protected_identity(world):
    child, user = world.children[2], world.users[2]
    child.protection = Protection.PROTECTED_REGISTRATION
    child.save()
    AccessAssignment.objects.create(
        child=child,
        user=user,
        reason="Utredning",
        sees_protected_details=True,
        valid_from=DAY,
        valid_to=DAY + timedelta(days=3),
        granted_by=world.users[0],
    )
    (found,) = policy.checked_children(user, [child.pk], on=DAY)
    assert found.identity_shown and found.protected_need and found.basis == policy.Basis.ASSIGNMENT
    assert policy.checked_children(user, [child.pk], on=DAY + timedelta(days=4)) == []
    assert world.check() == []


def test_a_new_protection_marking_acts_at_once(world):
    child, unit, user = world.children[0], world.units[0], world.users[0]
    enrol(child, unit, "school", DAY)
    Membership.objects.create(user=user, unit=unit, role=Role.PRACTITIONER, valid_from=DAY)
    Child.objects.filter(pk=child.pk).update(protection=Protection.PROTECTED_REGISTRATION)
    (found,) = policy.checked_children(user, [child.pk], on=DAY)
    assert not found.identity_shown


def test_an_open_handover_gives_access_until_it_is_decided(world):
    child, unit, user = world.children[0], world.units[1], world.users[3]
    Membership.objects.create(user=user, unit=unit, role=Role.HEAD_TEACHER, valid_from=DAY)
    proposal = HandoverProposal.objects.create(
        child=child, stage=Stage.SCHOOL, to_unit=unit, to_role=Role.HEAD_TEACHER, due_date=DAY
    )
    assert {row[1] for row in _rows(user)} == {policy.Basis.HANDOVER}
    proposal.status = HandoverProposal.Status.ACCEPTED
    proposal.save()
    assert _rows(user) == set()


def test_a_report_of_concern_reaches_the_receiving_roles_only(world):
    child, team = world.children[1], world.units[2]
    Membership.objects.create(user=world.users[0], unit=team, role=Role.SOCIAL_WORKER, valid_from=DAY)
    Membership.objects.create(user=world.users[1], unit=team, role=Role.PRACTITIONER, valid_from=DAY)
    ReportOfConcern.objects.create(
        child=child,
        owner_authority=team.authority,
        to_unit=team,
        reporter=world.users[2],
        reporter_authority=team.authority,
        what_happened="Oro.",
        guardians_informed=True,
    )
    assert {row[1] for row in _rows(world.users[0])} == {policy.Basis.REPORT}
    assert _rows(world.users[1]) == set()


def test_a_deactivated_user_loses_every_row_and_gets_them_back(world):
    enrol(world.children[0], world.units[0], "school", DAY)
    user = world.users[0]
    Membership.objects.create(user=user, unit=world.units[0], role=Role.PRACTITIONER, valid_from=DAY)
    user.is_active = False
    user.save()
    assert _rows(user) == set()
    user.is_active = True
    user.save(update_fields=["is_active"])
    assert len(_rows(user)) == 1


def test_a_renamed_child_gets_new_sort_keys(world):
    child = world.children[0]
    enrol(child, world.units[0], "school", DAY)
    Membership.objects.create(user=world.users[0], unit=world.units[0], role=Role.PRACTITIONER, valid_from=DAY)
    child.family_name = "Zander"
    child.save()
    assert AccessRelation.objects.get(child=child).name_key == "zander {sa"


def test_deleting_a_child_or_a_user_removes_their_rows(world):
    child, user = world.children[0], world.users[0]
    enrol(child, world.units[0], "school", DAY)
    Membership.objects.create(user=user, unit=world.units[0], role=Role.PRACTITIONER, valid_from=DAY)
    child.delete()
    assert not AccessRelation.objects.exists()
    enrol(world.children[1], world.units[0], "school", DAY)
    user.delete()
    assert not AccessRelation.objects.exists()


def test_names_fold_as_swedish_users_expect():
    assert access_relation.fold("  ÉMILE  Ängström ") == "emile ängström"
    assert access_relation.name_key("Öberg", "Åsa") > access_relation.name_key("Zetterberg", "Anna")
    assert access_relation.name_key("Åberg", "A") < access_relation.name_key("Ängström", "A")
    assert access_relation.search_key("Ängström-Lind", "Émile") == " ängström lind emile"


def test_the_commands_rebuild_and_check(world):
    enrol(world.children[0], world.units[0], "school", DAY)
    Membership.objects.create(user=world.users[0], unit=world.units[0], role=Role.PRACTITIONER, valid_from=DAY)
    out = StringIO()
    call_command("check_access_relation", "--day", DAY.isoformat(), stdout=out)
    assert "stämmer" in out.getvalue()
    AccessRelation.objects.all().delete()  # as if written outside the application
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_access_relation", "--day", DAY.isoformat(), stdout=out)
    assert "relationen saknar den" in out.getvalue()
    call_command("rebuild_access_relation", stdout=StringIO())
    call_command("check_access_relation", "--day", DAY.isoformat(), stdout=StringIO())

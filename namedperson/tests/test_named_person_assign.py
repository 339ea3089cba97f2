"""The first assignment of a named person, outside a proposal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from audit import log as audit
from audit.models import AuditEvent
from namedperson.models import Assignment, Stage
from namedperson.services import named_person_assign
from organisations.models import Role
from testsupport.cast import make_child

TODAY = date.today()
ACTOR = audit.Actor(user_id=None, username="test")


@pytest.fixture
def baby(cast):
    return make_child(cast.municipality, born=TODAY + timedelta(days=60), given="Ofödd", family="Barn", serial=990)


def assign(cast, child, **changes):
    values = {
        "child": child,
        "person": cast.midwife,
        "unit": cast.bmm,
        "role": Role.MIDWIFE,
        "stage": Stage.PRE_BIRTH,
        "start": TODAY,
        "actor": ACTOR,
    }
    return named_person_assign(**{**values, **changes})


def test_it_assigns_and_audits_the_first_named_person(cast, baby):
    assignment = assign(cast, baby)
    assert (assignment.person, assignment.start, assignment.end) == (cast.midwife, TODAY, None)
    assert AuditEvent.objects.filter(child_id=baby.pk, action="create", record_id=str(assignment.pk)).exists()


def test_it_refuses_a_second_current_named_person(cast):
    with pytest.raises(ValidationError) as error:
        assign(cast, cast.child, person=cast.midwife)
    assert error.value.code == "has_named_person"


def test_it_refuses_a_role_that_does_not_fit_the_stage(cast, baby):
    with pytest.raises(ValidationError) as error:
        assign(cast, baby, person=cast.bvc_nurse, unit=cast.bvc, role=Role.CHILD_HEALTH_NURSE)
    assert error.value.code == "role"


def test_it_refuses_a_person_without_the_role_at_the_unit(cast, baby):
    with pytest.raises(ValidationError) as error:
        assign(cast, baby, person=cast.bvc_nurse)
    assert error.value.code == "membership"
    assert not Assignment.objects.filter(child=baby).exists()

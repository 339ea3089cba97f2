"""The database itself refuses two named persons at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from namedperson.models import Assignment, Stage
from organisations.models import Role


def add(cast, start: date, end: date | None) -> Assignment:
    return Assignment.objects.create(
        child=cast.child,
        person=cast.bvc_nurse,
        unit=cast.bvc,
        role=Role.CHILD_HEALTH_NURSE,
        stage=Stage.CHILD_HEALTH,
        start=start,
        end=end,
        owner_authority=cast.region,
    )


def test_it_rejects_a_second_open_assignment(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        add(cast, date(2020, 1, 1), None)


def test_it_rejects_an_end_before_the_start(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        add(cast, date(2020, 1, 2), date(2020, 1, 1))


def test_it_rejects_overlapping_periods_on_postgresql(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint (btree_gist) exists only on PostgreSQL; SQLite has no equivalent")
    add(cast, date(2015, 1, 1), date(2016, 1, 1))
    with pytest.raises(IntegrityError, match="named_person_no_overlap"), transaction.atomic():
        add(cast, date(2015, 6, 1), date(2015, 9, 1))


def test_it_accepts_adjacent_periods_on_postgresql(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint (btree_gist) exists only on PostgreSQL; SQLite has no equivalent")
    add(cast, date(2015, 1, 1), date(2016, 1, 1))
    add(cast, date(2016, 1, 1), date(2017, 1, 1))  # half-open: one ends the day the next begins
    assert Assignment.objects.filter(child=cast.child).count() == 3

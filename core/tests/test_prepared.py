"""Prepared queries: compiled once per shape, the same rows as the queryset they come from, values never baked in."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core.prepared import Prepared, ShapeError
from organisations.models import Membership
from sharing.policy import today


def _memberships(*, user, on, units) -> object:
    return Membership.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), user=user, valid_from__lte=on, unit__in=units
    ).values_list("pk", flat=True)


def _rows(prepared: Prepared, **values) -> list:
    sql, params = prepared.sql(**values)
    if sql is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_same_rows_as_the_queryset_for_other_values(cast) -> None:
    prepared = Prepared(_memberships)
    memberships = list(Membership.objects.select_related("unit").order_by("pk")[:6])
    assert memberships
    for membership in memberships:
        for on in (membership.valid_from, membership.valid_from - timedelta(days=1), date(2100, 1, 1)):
            units = (membership.unit_id, memberships[0].unit_id)
            values = {"user": membership.user_id, "on": on, "units": units}
            expected = sorted(_memberships(**values))
            assert _rows(prepared, **values) == expected


@pytest.mark.django_db
def test_compiled_once_per_shape(cast) -> None:
    compiled = []

    def build(**values):
        compiled.append(values)
        return _memberships(**values)

    prepared = Prepared(build)
    membership = Membership.objects.order_by("pk").first()
    for on in (date(2020, 1, 1), date(2021, 1, 1), date(2022, 1, 1)):
        prepared.sql(user=membership.user_id, on=on, units=(membership.unit_id,))
    assert len(compiled) == 2  # the two checking builds of the first call, then reused
    prepared.sql(user=membership.user_id, on=date(2022, 1, 1), units=(membership.unit_id, membership.unit_id + 1))
    assert len(compiled) == 4  # a longer list is a new shape


def test_a_derived_value_is_refused() -> None:
    def build(*, on):
        return Membership.objects.filter(valid_from__lte=on - timedelta(days=1))

    with pytest.raises(ShapeError):
        Prepared(build).sql(on=date(2024, 5, 1))


def test_reading_the_clock_while_building_is_refused() -> None:
    def build(*, user):
        return Membership.objects.filter(user=user, valid_from__lte=today())

    with pytest.raises(ShapeError):
        Prepared(build).sql(user=1)


def test_a_value_that_changes_the_sql_is_refused() -> None:
    def build(*, user):
        return Membership.objects.filter(user=user) if user > -(10**12) - 150_000 else Membership.objects.all()

    with pytest.raises(ShapeError):
        Prepared(build).sql(user=1)


@pytest.mark.django_db
def test_configuration_is_part_of_the_shape(cast) -> None:
    setting = {"roles": ("head_teacher",)}

    def build(*, user):
        return Membership.objects.filter(user=user, role__in=setting["roles"]).values_list("pk", flat=True)

    prepared = Prepared(build, depends_on=lambda: setting["roles"])
    head = Membership.objects.filter(role="head_teacher").order_by("pk").first()
    assert _rows(prepared, user=head.user_id) == sorted(build(user=head.user_id))
    setting["roles"] = ("social_worker",)
    assert _rows(prepared, user=head.user_id) == sorted(build(user=head.user_id))


@pytest.mark.django_db
def test_the_datetime_and_uuid_values_bind_on_this_database(cast) -> None:
    from people.models import Child

    def build(*, child, at):
        return Child.objects.filter(pk=child, created_at__lte=at).values_list("pk", flat=True)

    prepared = Prepared(build)
    child = Child.objects.order_by("pk").first()
    found = _rows(prepared, child=child.pk, at=timezone.now())
    assert [uuid.UUID(str(pk)) for pk in found] == [child.pk]  # SQLite returns the id as hex, PostgreSQL as a UUID
    assert _rows(prepared, child=child.pk, at=child.created_at - timedelta(seconds=1)) == []


@pytest.mark.django_db
def test_a_statement_planned_once_per_connection_gives_the_rows_of_the_plain_one(settings):
    from core.prepared import execute_planned

    sql = "SELECT %s::bigint + 1, %s::date, 'a%%b', %s::uuid"
    params = [41, date(2026, 1, 2), uuid.UUID(int=7)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        plain = cursor.fetchall()
    first = execute_planned("default", sql, params)
    again = execute_planned("default", sql, [1, date(2026, 1, 3), uuid.UUID(int=8)])  # the same statement, reused
    assert first == plain == [(42, date(2026, 1, 2), "a%b", uuid.UUID(int=7))]
    assert again == [(2, date(2026, 1, 3), "a%b", uuid.UUID(int=8))]
    if connection.vendor == "postgresql":  # planned once, not anew for each of the first executions' values
        with connection.cursor() as cursor:
            query = "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s"
            cursor.execute(query, ["%$1::bigint + 1, $2::date%"])
            assert cursor.fetchall() == [(2, 0)]
    settings.SAMPLAN_PG_PREPARE = False  # as it is, without PREPARE
    assert execute_planned("default", sql, params) == plain

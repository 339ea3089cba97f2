"""Batches: many querysets read in one statement, each giving exactly what reading it alone gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count, F, Value
from django.test.utils import CaptureQueriesContext

from core.batch import Batch, at_once, attach
from organisations.models import Membership, Unit
from people.models import Child, Guardianship


def _querysets(cast) -> dict:
    """Querysets of every kind a page reads: models with joins and annotations, values, unions, slices."""
    child = cast.child
    return {
        "memberships": Membership.objects.select_related("unit", "unit__authority")
        .annotate(unit_label=F("unit__name"), one=Value(1))
        .order_by("-valid_from", "pk"),
        "guardians": Guardianship.objects.filter(child=child).select_related("guardian").order_by("pk"),
        "units": Unit.objects.order_by("-name").values_list("name", flat=True)[:3],
        "children": Child.objects.filter(municipality=cast.municipality).values("pk", "birth_date").order_by("pk"),
        "union": Guardianship.objects.filter(child=child)
        .values_list("guardian", flat=True)
        .union(Guardianship.objects.filter(child=cast.protected_child).values_list("guardian", flat=True)),
        "grouped": Membership.objects.order_by().values("role").annotate(n=Count("pk")).order_by("role"),
        "nothing": Child.objects.filter(pk__in=[]),
        "empty": Child.objects.filter(given_name="Ingen sådan").order_by("pk"),
    }


@pytest.mark.django_db
def test_every_part_gives_what_the_queryset_gives_alone_in_one_statement(cast) -> None:
    querysets = _querysets(cast)
    alone = {name: list(queryset) for name, queryset in querysets.items()}
    batch = Batch()
    parts = {name: batch.add(queryset) for name, queryset in querysets.items()}
    counts = {name: batch.count(queryset) for name, queryset in querysets.items() if name not in ("units", "union")}
    first = batch.first(querysets["memberships"])
    none = batch.first(querysets["empty"])
    with CaptureQueriesContext(connection) as captured:
        batch.run()
    assert len(captured.captured_queries) == 1
    for name, part in parts.items():
        if name == "union":  # a UNION has no order of its own
            assert sorted(part.value) == sorted(alone[name])
        else:
            assert part.value == alone[name], name
    assert alone["memberships"] and alone["guardians"] and alone["children"]
    loaded = parts["memberships"].value[0]
    assert loaded.unit_label == loaded.unit.name and loaded.one == 1
    with CaptureQueriesContext(connection) as captured:
        assert loaded.unit.authority.name  # joined rows came with it
    assert not captured.captured_queries
    for name, part in counts.items():
        assert part.value == querysets[name].count(), name
    assert first.value == querysets["memberships"].first()
    assert none.value is None


@pytest.mark.django_db
def test_a_batch_of_nothing_reads_nothing(cast) -> None:
    batch = Batch()
    part = batch.add(Child.objects.none())
    with CaptureQueriesContext(connection) as captured:
        batch.run()
    assert part.value == [] and not captured.captured_queries


@pytest.mark.django_db
def test_a_part_is_read_only_after_the_run_and_a_batch_runs_once(cast) -> None:
    batch = Batch()
    part = batch.add(Child.objects.all())
    with pytest.raises(RuntimeError):
        part.value  # noqa: B018
    batch.run()
    with pytest.raises(RuntimeError):
        batch.add(Child.objects.all())


@pytest.mark.django_db
def test_at_once_runs_a_two_step_read_alone(cast) -> None:
    def reads(batch):
        part = batch.count(Child.objects.all())
        return lambda: part.value

    assert at_once(reads) == Child.objects.count()


@pytest.mark.django_db
def test_attached_rows_are_what_a_prefetch_leaves(cast) -> None:
    child = Child.objects.get(pk=cast.child.pk)
    rows = list(Guardianship.objects.filter(child=child).order_by("pk"))
    assert rows
    attach(child, "guardianships", rows)
    with CaptureQueriesContext(connection) as captured:
        assert list(child.guardianships.all()) == rows
        assert all(row.child is child for row in child.guardianships.all())
    assert not captured.captured_queries

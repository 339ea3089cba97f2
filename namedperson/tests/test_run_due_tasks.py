"""The one scheduled command: runs every registered task, idempotent, reports per task."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core import tasks
from namedperson.models import HandoverProposal
from namedperson.tests.factories import change_school


def run(*args: str) -> str:
    out = StringIO()
    call_command("run_due_tasks", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_runs_the_named_person_handovers(cast):
    change_school(cast)
    output = run()
    assert "named-person handovers: 2 barn kontrollerade; 1 förslag skapade" in output
    assert HandoverProposal.objects.filter(child=cast.child, status="open").count() == 1


def test_it_creates_nothing_new_on_a_second_run(cast):
    change_school(cast)
    run()
    output = run()
    assert "0 förslag skapade, 0 ersatta, 0 uppdrag avslutade" in output
    assert HandoverProposal.objects.count() == 1


def test_it_runs_for_a_given_day(cast):
    change_school(cast, days_ago=3)
    run("--date", (date.today() - timedelta(days=10)).isoformat())
    assert not HandoverProposal.objects.exists()


def test_it_refuses_an_unknown_task(db):
    with pytest.raises(CommandError, match="Okänd uppgift: no-such-task"):
        run("--only", "no-such-task")


def test_it_runs_the_other_tasks_when_one_fails_and_then_exits_non_zero(cast, monkeypatch):
    def broken(on: date) -> str:
        raise RuntimeError("trasig")

    tasks.discover()
    monkeypatch.setitem(tasks._tasks, "broken", broken)
    change_school(cast)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=f"1 av {len(tasks.registered())}"):
        call_command("run_due_tasks", stdout=out, stderr=err)
    assert "named-person handovers:" in out.getvalue()
    assert "broken: MISSLYCKADES: RuntimeError: trasig" in err.getvalue()
    assert HandoverProposal.objects.filter(status="open").count() == 1


def test_it_refuses_two_tasks_with_one_name():
    def first(on: date) -> str:
        return ""

    def second(on: date) -> str:
        return ""

    tasks.register("duplicate-test")(first)
    try:
        with pytest.raises(Exception, match="registered as"):
            tasks.register("duplicate-test")(second)
    finally:
        tasks._tasks.pop("duplicate-test")

"""Several independent hash chains: each verifies on its own, tampering in any of them is found, checkpoints keep
every chain's head, rows from before chains still verify, and on PostgreSQL writers do not wait for one another."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit import checkpoint
from audit import log as audit
from audit.models import AuditEvent
from audit.tests.conftest import ACTOR, tamper, write_rows

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")


@pytest.fixture
def write_in(monkeypatch):
    """Write rows into a chosen chain, as a connection whose chain that is would."""

    def write(stripe: int, count: int = 1) -> None:
        monkeypatch.setattr(audit, "_stripe", lambda: stripe)
        write_rows(count)

    return write


def _chain(stripe: int) -> list[int]:
    return list(AuditEvent.objects.filter(stripe=stripe).order_by("seq").values_list("id", flat=True))


def _failure(*args: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", *args, stdout=StringIO(), stderr=StringIO())
    return str(excinfo.value)


def _interleaved(write_in) -> None:
    for stripe in (0, 3, 7, 3, 0, 3, 7, 3):
        write_in(stripe)


def test_rows_of_several_chains_each_keep_their_own_places_and_all_verify(db, write_in):
    _interleaved(write_in)

    assert audit.verify(batch_size=2) == (8, None)
    for stripe, count in ((0, 2), (3, 4), (7, 2)):
        rows = AuditEvent.objects.filter(stripe=stripe).order_by("id")
        assert [row.seq for row in rows] == list(range(1, count + 1))
        assert rows[0].prev_hash == audit.GENESIS
    assert [head.stripe for head in audit.heads()] == [0, 3, 7]


def test_it_finds_a_changed_row_in_one_chain(db, write_in):
    _interleaved(write_in)
    changed = _chain(3)[1]
    tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["efteråt", changed])

    problem = audit.verify()[1]

    assert problem.event_id == changed
    assert "ändrats" in problem.message


def test_it_finds_a_row_removed_from_the_middle_of_a_chain(db, write_in):
    _interleaved(write_in)
    removed, after = _chain(3)[1:3]
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [removed])

    assert f"Loggkedjan är bruten vid rad {after}: plats 2 i kedja 3 saknas" in _failure()


def test_it_finds_the_end_of_a_chain_removed_after_a_checkpoint(db, write_in):
    _interleaved(write_in)
    call_command("audit_checkpoint", stdout=StringIO())
    rest, last = _chain(7)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [last])

    message = _failure()

    assert "stämmer inte med kontrollpunkten" in message
    assert f"rad {last}: raden saknas: kedja 7 slutar vid rad {rest}" in message
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rest])
    assert f"rad {last}: raden saknas: kedja 7 är tom" in _failure()


def test_it_finds_a_row_appended_with_a_forged_hash(db, write_in):
    _interleaved(write_in)
    head = AuditEvent.objects.filter(stripe=3).order_by("-seq").first()
    values = {name: getattr(head, name) for name in audit.CHAINED_FIELDS} | {"seq": head.seq + 1, "reason": "tillagd"}
    AuditEvent.objects.create(**values, hash_form=2, prev_hash=head.hash, hash="f" * 64)

    problem = audit.verify()[1]

    assert problem.event_id == AuditEvent.objects.get(hash="f" * 64).id
    assert "ändrats" in problem.message


def test_it_finds_a_row_slipped_into_the_middle_of_a_chain_with_a_well_formed_hash(db, write_in):
    _interleaved(write_in)
    chain = _chain(3)
    for row_id in reversed(chain[1:]):  # make room at place 2, as someone rewriting the table would
        tamper("UPDATE audit_auditevent SET seq = seq + 1 WHERE id = %s", [row_id])
    first = AuditEvent.objects.get(id=chain[0])
    values = {name: getattr(first, name) for name in audit.CHAINED_FIELDS} | {"seq": 2, "reason": "inskjuten"}
    AuditEvent.objects.create(**values, hash_form=2, prev_hash=first.hash, hash=audit.row_digest(first.hash, values))

    problem = audit.verify()[1]

    assert problem.event_id == chain[1]  # the row that was at place 2 no longer follows on


def test_it_walks_a_chain_above_the_configured_count(db, write_in, settings):
    write_in(9, 2)  # written while the deployment had more chains
    settings.SAMPLAN_AUDIT_STRIPES = 4
    write_in(1)

    assert audit.verify() == (3, None)
    assert [head.stripe for head in audit.heads()] == [1, 9]
    tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["efteråt", _chain(9)[0]])
    assert audit.verify()[1].event_id == _chain(9)[0]


def test_a_checkpoint_keeps_every_chains_head_and_round_trips(db, write_in, settings):
    _interleaved(write_in)
    out = StringIO()

    call_command("audit_checkpoint", stdout=out)

    [line] = settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    heads = audit.heads()
    assert json.loads(line)["heads"] == [list(head) for head in heads]
    saved = checkpoint.latest(settings.SAMPLAN_AUDIT_CHECKPOINT_FILE)
    assert (saved.heads, saved.rows) == (tuple(heads), 8)
    assert f"3 kedjor, senaste rad {saved.newest_id}, 8 rader" in out.getvalue()
    call_command("audit_checkpoint", stdout=StringIO())
    assert len(settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.read_text().splitlines()) == 1  # no head moved
    write_in(7)
    call_command("audit_checkpoint", stdout=StringIO())
    assert checkpoint.latest(settings.SAMPLAN_AUDIT_CHECKPOINT_FILE).heads == tuple(audit.heads())
    verified = StringIO()
    call_command("audit_verify", stdout=verified)
    assert "9 rader kontrollerade." in verified.getvalue()


def test_a_checkpoint_line_with_a_chain_named_twice_is_not_trusted(db, write_in, settings):
    write_in(2)
    head = audit.heads()[0]
    line = checkpoint.encode(checkpoint.Checkpoint((head, head), 1, timezone.now()), "nyckel")
    settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.write_text(line + "\n")

    assert "ogiltigt värde" in _failure()


def _rows_from_before_chains(count: int) -> Iterator[tuple[dict[str, Any], str, str]]:
    """Yield (values, prev_hash, hash) of rows as the single chain wrote them: ids 1, 2, 3 ..., the hash over the id."""
    prev_hash = audit.GENESIS
    for row_id in range(1, count + 1):
        values = {
            "id": row_id,
            "at": timezone.now(),
            "user_id": ACTOR.user_id,
            "username": ACTOR.username,
            "unit_name": ACTOR.unit_name,
            "authority_id": ACTOR.authority_id,
            "authority_name": ACTOR.authority_name,
            "child_id": uuid.uuid4(),
            "action": "read",
            "surface": "page",
            "target": f"förr:{row_id}",
            "record_type": "",
            "record_id": "",
            "basis": "named_person",
            "reason": "",
            "session_hash": "",
        }
        digest = audit.row_digest(prev_hash, values, form=AuditEvent.HashForm.BY_ID)
        yield values, prev_hash, digest
        prev_hash = digest


def _write_rows_from_before_chains(count: int) -> list[tuple[dict[str, Any], str, str]]:
    """Store such rows as migration 0003 leaves them: chain 0, their place their id, hash form 1."""
    legacy = list(_rows_from_before_chains(count))
    AuditEvent.objects.bulk_create(
        AuditEvent(**values, stripe=0, seq=values["id"], hash_form=1, prev_hash=prev_hash, hash=digest)
        for values, prev_hash, digest in legacy
    )
    return legacy


def _move_sequence_past_the_ids() -> None:
    if connection.vendor == "postgresql":  # as migration 0003 does for the single chain's explicit ids
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), MAX(id)) FROM audit_auditevent"
            )


def _v1_line(row_id: int, row_hash: str, rows: int, key: str) -> str:
    payload = {"v": 1, "id": row_id, "hash": row_hash, "rows": rows, "at": timezone.now().isoformat()}
    payload["after_restore"] = False
    return json.dumps({**payload, "sig": checkpoint._signature(payload, key)})


def test_rows_and_checkpoints_from_before_chains_still_verify(db, write_in, settings):
    legacy = _write_rows_from_before_chains(3)
    _move_sequence_past_the_ids()
    settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.write_text(
        _v1_line(3, legacy[-1][2], 3, settings.SAMPLAN_AUDIT_CHECKPOINT_KEYS[0]) + "\n"
    )
    write_in(0, 2)  # chain 0 goes on from the single chain's head
    write_in(5)

    assert AuditEvent.objects.get(stripe=0, seq=4).prev_hash == legacy[-1][2]
    output = StringIO()
    call_command("audit_verify", "--start", f"2:{legacy[1][1]}", stdout=output)
    assert "5 rader kontrollerade." in output.getvalue()
    call_command("audit_checkpoint", stdout=StringIO())  # the version 1 line's row is still there
    assert checkpoint.latest(settings.SAMPLAN_AUDIT_CHECKPOINT_FILE).heads == tuple(audit.heads())
    for row_id, seq in ((2, 100), (3, 2), (2, 3)):  # swap two places, which a form 1 hash does not cover
        tamper("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [seq, row_id])
    assert "Loggkedjan är bruten vid rad 3: raden ligger inte där" in _failure("--no-checkpoint")


def test_a_version_1_checkpoint_finds_the_single_chains_head_removed(db, settings):
    legacy = _write_rows_from_before_chains(3)
    settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.write_text(
        _v1_line(3, legacy[-1][2], 3, settings.SAMPLAN_AUDIT_CHECKPOINT_KEYS[0]) + "\n"
    )
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [3])

    assert "rad 3: raden saknas: kedja 0 slutar vid rad 2" in _failure()


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_the_single_chain_into_chain_0_unchanged():
    executor = MigrationExecutor(connection)
    state = executor.migrate([("audit", "0002_append_only")])
    try:
        single_chain_event = state.apps.get_model("audit", "AuditEvent")
        single_chain_event.objects.bulk_create(
            single_chain_event(**values, prev_hash=prev_hash, hash=digest)
            for values, prev_hash, digest in _rows_from_before_chains(3)
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("audit"))

    assert list(AuditEvent.objects.order_by("id").values_list("id", "stripe", "seq", "hash_form")) == [
        (1, 0, 1, 1),
        (2, 0, 2, 1),
        (3, 0, 3, 1),
    ]
    with transaction.atomic():
        audit.record(actor=ACTOR, action="read", surface="page", target="efter", basis="named_person")
    assert AuditEvent.objects.get(target="efter").id > 3  # the sequence was moved past the single chain's ids
    assert audit.verify() == (4, None)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_transactions_land_in_several_chains_and_all_verify():
    threads_count, transactions = 8, 6
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            start.wait(timeout=20)
            for _ in range(transactions):
                with audit.deferred():
                    audit.record(actor=ACTOR, action="read", surface="api", target=name, basis="named_person")
                    audit.record(actor=ACTOR, action="read", surface="api", target=name, basis="named_person")
                write_rows(1)
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(f"t{index}",)) for index in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert audit.verify(batch_size=7) == (threads_count * transactions * 3, None)
    assert len(set(AuditEvent.objects.values_list("stripe", flat=True))) >= 2
    for name in ("t0", "t5"):  # one connection's rows stay in one chain, in order
        assert AuditEvent.objects.filter(target=name).values("stripe").distinct().count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_writer_of_another_chain_does_not_wait_for_an_open_transaction():
    holding, release = threading.Event(), threading.Event()
    held: list[int] = []
    errors: list[BaseException] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                audit.record(actor=ACTOR, action="read", surface="page", target="långsam", basis="named_person")
                held.append(audit._stripe())
                holding.set()
                release.wait(timeout=30)  # keeps its chain's lock until it commits
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        for _ in range(100):  # a connection whose chain differs from the slow writer's
            connection.ensure_connection()
            if audit._stripe() != held[0]:
                break
            connection.close()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")  # the single chain's lock would make this fail
            audit.record(actor=ACTOR, action="read", surface="page", target="snabb", basis="named_person")
        assert AuditEvent.objects.filter(target="snabb").exists()
        assert not AuditEvent.objects.filter(target="långsam").exists()  # still uncommitted
    finally:
        release.set()
        thread.join(timeout=30)
    assert errors == []
    assert audit.verify() == (2, None)


@on_postgresql
def test_the_head_of_a_chain_is_read_from_the_chain_index(db):
    query = AuditEvent.objects.filter(stripe=3).order_by("-seq").values_list("seq", "hash")[:1]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan Backward using audit_one_row_per_chain_place" in plan
    assert "Sort" not in plan

"""A hash chain: consecutive places, each row linked to the one before, across transactions and batches."""

from __future__ import annotations

from audit import log as audit
from audit.models import AuditEvent
from audit.tests.conftest import ACTOR


def _links() -> list[tuple[int, str, str]]:
    return list(AuditEvent.objects.order_by("id").values_list("seq", "prev_hash", "hash"))


def test_it_starts_the_chain_at_the_genesis_hash(db, rows):
    rows(1)
    assert _links()[0][:2] == (1, audit.GENESIS)


def test_it_keeps_the_chain_valid_over_many_rows(db, rows):
    rows(240)
    assert audit.verify(batch_size=7) == (240, None)
    links = _links()
    assert [seq for seq, _, _ in links] == list(range(1, 241))
    assert all(links[i][1] == links[i - 1][2] for i in range(1, len(links)))


def test_it_chains_rows_written_in_deferred_batches(db, rows):
    rows(2)
    for batch in range(5):
        with audit.deferred():
            for index in range(3):
                audit.record(actor=ACTOR, action="read", surface="page", target=f"b{batch}:{index}", basis="x")
            with audit.deferred():  # nested blocks share the outer batch
                audit.record(actor=ACTOR, action="export", surface="export", target=f"b{batch}:csv", basis="x")
    rows(2)
    assert audit.verify(batch_size=4) == (24, None)
    assert audit.head() == tuple(AuditEvent.objects.order_by("-id").values_list("id", "hash")[0])


def test_it_writes_a_deferred_batch_just_before_the_commit(db):
    with audit.deferred():
        audit.record(actor=ACTOR, action="read", surface="page", target="t", basis="x")
        assert not AuditEvent.objects.exists()  # buffered: the chain lock is not held while the page renders
    assert AuditEvent.objects.count() == 1


def test_it_writes_nothing_for_a_batch_without_rows(db):
    with audit.deferred():
        pass
    assert audit.verify() == (0, None)

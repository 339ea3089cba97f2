"""On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE of audit rows."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from audit import log as audit
from audit.models import AuditEvent
from audit.tests.conftest import ACTOR, write_rows

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers exist only on PostgreSQL"
)


def _refused(sql: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_it_refuses_update(db, rows):
    rows(2)
    _refused("UPDATE audit_auditevent SET username = 'x' WHERE id = 1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(id=2).update(reason="ändrad")
    assert audit.verify() == (2, None)


def test_it_refuses_delete(db, rows):
    rows(2)
    _refused("DELETE FROM audit_auditevent WHERE id = 1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def test_it_refuses_truncate_unless_the_test_suite_allows_it(db, rows):
    rows(2)
    # The suite's own connections turn the switch on for Django's flush (root conftest.py); turn it off
    # for this transaction to see what every other session sees.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL samplan.allow_audit_truncate = 'off'")
    _refused("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_chain_when_two_threads_write_at_once():
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            start.wait(timeout=10)
            for _ in range(10):
                with audit.deferred():
                    audit.record(actor=ACTOR, action="read", surface="api", target=name, basis="named_person")
                    audit.record(actor=ACTOR, action="read", surface="api", target=name, basis="named_person")
                write_rows(1)
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert audit.verify(batch_size=8) == (60, None)
    assert set(AuditEvent.objects.values_list("target", flat=True)) >= {"a", "b"}

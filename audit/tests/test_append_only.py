"""On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE of audit rows."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from audit import log as audit
from audit.models import AuditEvent
from audit.tests.conftest import ids

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers exist only on PostgreSQL"
)


def _refused(sql: str, params: list | None = None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_it_refuses_update(db, rows):
    rows(2)
    first, second = ids()
    _refused("UPDATE audit_auditevent SET username = 'x' WHERE id = %s", [first])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(id=second).update(reason="ändrad")
    assert audit.verify() == (2, None)


def test_it_refuses_delete(db, rows):
    rows(2)
    _refused("DELETE FROM audit_auditevent WHERE id = %s", [ids()[0]])
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

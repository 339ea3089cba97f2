"""Helpers for the audit tests: an actor and a way to write rows as accesses do."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, transaction

from audit import log as audit
from audit.models import AuditEvent

ACTOR = audit.Actor(user_id=7, username="granskare", unit_name="Östra skolan", authority_id=3, authority_name="BUN")


def write_rows(count: int, *, actor: audit.Actor = ACTOR) -> None:
    """Write rows one transaction each, as separate page reads would."""
    for index in range(count):
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="read",
                surface="page",
                target=f"test:{index}",
                basis="named_person",
                child_id=uuid.uuid4(),
            )


def ids() -> list[int]:
    """The rows' ids in order (the table's sequence hands them out, so they need not start at 1)."""
    return list(AuditEvent.objects.order_by("id").values_list("id", flat=True))


def only_stripe() -> int:
    """The one chain a test's rows went to (its connection's chain on PostgreSQL, 0 on SQLite)."""
    [stripe] = set(AuditEvent.objects.values_list("stripe", flat=True))
    return stripe


def tamper(sql: str, params: list) -> None:
    """Change audit rows behind the application's back, as a DBA with owner rights could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The append-only trigger would refuse; only the table owner (a DBA) can switch it off.
            # DDL is transactional on PostgreSQL, so this lasts only until the test's transaction rolls back.
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update_delete")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_no_update_delete")


@pytest.fixture
def rows():
    return write_rows

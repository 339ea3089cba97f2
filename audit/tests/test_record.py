"""audit.log.record and deferred: a row for every read and write, in the transaction of the access."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from audit import log as audit
from audit.models import AuditEvent
from audit.tests.conftest import ACTOR
from people.models import Child
from sharing import policy

_DOWN = {
    "sqlite": (
        "CREATE TRIGGER audit_store_down BEFORE INSERT ON audit_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit store down'); END",
    ),
    "postgresql": (
        "CREATE FUNCTION audit_store_down() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit store down'; END $$",
        "CREATE TRIGGER audit_store_down BEFORE INSERT ON audit_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION audit_store_down()",
    ),
}
_UP = {
    "sqlite": ("DROP TRIGGER audit_store_down",),
    "postgresql": ("DROP TRIGGER audit_store_down ON audit_auditevent", "DROP FUNCTION audit_store_down()"),
}


@pytest.fixture
def audit_store_down(db):
    """Make the database refuse every audit insert (a full disk, a revoked grant ...)."""
    with connection.cursor() as cursor:
        for sql in _DOWN[connection.vendor]:
            cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        for sql in _UP[connection.vendor]:
            cursor.execute(sql)


def _rename(child: Child, name: str, actor: audit.Actor) -> None:
    Child.objects.filter(pk=child.pk).update(given_name=name)
    audit.record(
        actor=actor,
        action="update",
        surface="page",
        target="people:child-edit",
        basis="named_person",
        child_id=child.pk,
        record_type="Child",
        record_id=str(child.pk),
    )


def test_it_logs_a_read_with_who_what_and_on_which_basis(cast):
    actor = policy.actor_for(cast.teacher, session_key="session-1")
    with audit.deferred():
        policy.child_for_user(cast.teacher, cast.child.pk, actor=actor, surface="page", target="people:child")
    row = AuditEvent.objects.get()
    assert (row.username, row.unit_name, row.authority_name) == ("teacher", "Östra skolan", cast.education.name)
    assert (row.child_id, row.action, row.surface, row.target) == (cast.child.pk, "read", "page", "people:child")
    assert (row.basis, row.record_type, row.record_id) == ("enrolment", "Child", str(cast.child.pk))
    assert row.session_hash == hashlib.sha256(b"session-1").hexdigest()


def test_it_logs_a_write_together_with_the_change(cast):
    actor = policy.actor_for(cast.named_person, session_key="s")
    with audit.deferred():
        _rename(cast.child, "Alma", actor)
    cast.child.refresh_from_db()
    assert cast.child.given_name == "Alma"
    assert AuditEvent.objects.filter(child_id=cast.child.pk, action="update", record_type="Child").count() == 1


def test_it_logs_a_lookup_by_personal_number_with_its_reason(cast):
    actor = policy.actor_for(cast.social_worker, session_key="s")
    with audit.deferred():
        policy.lookup_child_by_number(
            cast.social_worker,
            cast.child.identity_number,
            reason="Orosanmälan",
            actor=actor,
            surface="page",
            target="people:lookup",
        )
    row = AuditEvent.objects.get(action="lookup")
    assert row.reason == "Orosanmälan"
    assert cast.child.identity_number not in row.target + row.reason + row.record_id


def test_it_writes_the_row_inside_the_transaction_of_the_access(cast):
    with transaction.atomic():
        _rename(cast.child, "Alma", ACTOR)
        assert AuditEvent.objects.filter(child_id=cast.child.pk).exists()  # visible before the commit


def test_it_drops_the_row_when_the_access_rolls_back(cast):
    with pytest.raises(ZeroDivisionError), audit.deferred():
        _rename(cast.child, "Alma", ACTOR)
        _ = 1 / 0
    cast.child.refresh_from_db()
    assert cast.child.given_name == "Alva"
    assert not AuditEvent.objects.exists()


def test_it_fails_the_access_when_the_audit_write_fails(cast, audit_store_down):
    with pytest.raises(DatabaseError, match="audit store down"), audit.deferred():
        _rename(cast.child, "Alma", ACTOR)
    cast.child.refresh_from_db()
    assert cast.child.given_name == "Alva"  # the change rolled back with the failed audit row
    assert not AuditEvent.objects.exists()


def test_it_fails_an_undeferred_access_when_the_audit_write_fails(cast, audit_store_down):
    with pytest.raises(DatabaseError, match="audit store down"), transaction.atomic():
        _rename(cast.child, "Alma", ACTOR)
    cast.child.refresh_from_db()
    assert cast.child.given_name == "Alva"


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(actor=ACTOR, action="read", surface="page", target="t", basis="named_person")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("action", "surface"), [("peek", "page"), ("read", "email")])
def test_it_refuses_an_action_or_surface_it_does_not_know(db, action, surface):
    with pytest.raises(ValueError, match="Unknown audit"), transaction.atomic():
        audit.record(actor=ACTOR, action=action, surface=surface, target="t", basis="named_person")


def test_it_hashes_a_child_id_given_as_text_like_the_stored_uuid(db):
    child_id = uuid.uuid4()
    with audit.deferred():
        audit.record(
            actor=ACTOR, action="read", surface="api", target="t", basis="named_person", child_id=child_id.hex.upper()
        )
    assert AuditEvent.objects.get().child_id == child_id
    assert audit.verify() == (1, None)

"""manage.py audit_verify: passes on a good chain, names the first bad row when it is broken."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit import log as audit
from audit.models import AuditEvent
from audit.tests.conftest import tamper


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def _failure(*args: str) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", *args, stdout=out)
    return str(excinfo.value), out.getvalue()


def test_it_passes_a_good_chain_and_prints_its_head(db, rows):
    rows(12)
    head_id, head_hash = audit.head()
    output = _verify("--batch-size", "5")
    assert "12 rader kontrollerade." in output
    assert f"Senaste rad: {head_id}, hash {head_hash}" in output


def test_it_passes_an_empty_log(db):
    assert "0 rader kontrollerade." in _verify()


def test_it_names_an_edited_row(db, rows):
    rows(6)
    tamper("UPDATE audit_auditevent SET username = %s WHERE id = %s", ["någon annan", 3])
    message, output = _failure("--batch-size", "2")
    assert "rad 3:" in message
    assert "ändrats" in message
    assert "3 rader kontrollerade." in output


def test_it_names_the_row_after_an_edit_whose_hash_was_recomputed(db, rows):
    rows(6)
    row = AuditEvent.objects.filter(id=3).values(*audit.CHAINED_FIELDS, "prev_hash").get()
    forged = {**row, "username": "någon annan"}
    tamper(
        "UPDATE audit_auditevent SET username = %s, hash = %s WHERE id = %s",
        [forged["username"], audit.row_digest(row["prev_hash"], forged), 3],
    )
    message, _ = _failure()
    assert "rad 4:" in message  # row 3 is self-consistent, but row 4 no longer links to it
    assert "prev_hash" in message


def test_it_names_the_row_after_a_deleted_middle_row(db, rows):
    rows(6)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [3])
    message, output = _failure("--batch-size", "2")
    assert "rad 4:" in message
    assert "rad 3 saknas" in message
    assert "3 rader kontrollerade." in output


def test_it_catches_a_cut_tail_only_against_an_anchored_head(db, rows):
    rows(5)
    head_id, head_hash = audit.head()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [head_id])
    assert "4 rader kontrollerade." in _verify()  # links alone cannot see a missing tail
    message, _ = _failure("--anchor", f"{head_id}:{head_hash}")
    assert f"rad {head_id}:" in message
    assert "loggen slutar vid rad 4" in message


def test_it_catches_a_head_that_differs_from_the_anchor(db, rows):
    rows(3)
    head_id, _ = audit.head()
    message, _ = _failure("--anchor", f"{head_id}:{'a' * 64}")
    assert f"rad {head_id}:" in message
    assert "utanför databasen" in message


def test_it_refuses_a_malformed_anchor(db):
    message, _ = _failure("--anchor", "head")
    assert "ID:HASH" in message


def test_it_verifies_from_a_start_row_after_old_rows_were_archived(db, rows):
    rows(6)
    prev_hash = AuditEvent.objects.get(id=4).prev_hash
    tamper("DELETE FROM audit_auditevent WHERE id < %s", [4])  # rows past retention, archived first
    assert "rad 1–3 saknas" in _failure()[0]
    assert "3 rader kontrollerade." in _verify("--start", f"4:{prev_hash}")
    assert "rad 4:" in _failure("--start", f"4:{'0' * 64}")[0]

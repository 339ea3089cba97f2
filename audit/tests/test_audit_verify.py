"""manage.py audit_verify: passes on good chains, names the first bad row when one is broken."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit import checkpoint
from audit import log as audit
from audit.models import AuditEvent
from audit.tests.conftest import ids, only_stripe, tamper


def _verify(*args: str, stderr: StringIO | None = None) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


def _failure(*args: str) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", *args, stdout=out, stderr=StringIO())
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
    third = ids()[2]
    tamper("UPDATE audit_auditevent SET username = %s WHERE id = %s", ["någon annan", third])
    message, output = _failure("--batch-size", "2")
    assert f"rad {third}:" in message
    assert "ändrats" in message
    assert "3 rader kontrollerade." in output


def test_it_names_the_row_after_an_edit_whose_hash_was_recomputed(db, rows):
    rows(6)
    third, fourth = ids()[2:4]
    row = AuditEvent.objects.filter(id=third).values(*audit.CHAINED_FIELDS, "prev_hash").get()
    forged = {**row, "username": "någon annan"}
    tamper(
        "UPDATE audit_auditevent SET username = %s, hash = %s WHERE id = %s",
        [forged["username"], audit.row_digest(row["prev_hash"], forged), third],
    )
    message, _ = _failure()
    assert f"rad {fourth}:" in message  # row 3 is self-consistent, but row 4 no longer links to it
    assert "prev_hash" in message


def test_it_names_the_row_after_a_deleted_middle_row(db, rows):
    rows(6)
    third, fourth = ids()[2:4]
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [third])
    message, output = _failure("--batch-size", "2")
    assert f"rad {fourth}:" in message
    assert f"plats 3 i kedja {only_stripe()} saknas" in message
    assert "3 rader kontrollerade." in output


def test_it_catches_a_cut_tail_without_a_checkpoint_only_against_an_anchored_head(db, rows):
    rows(5)
    head_id, head_hash = audit.head()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [head_id])
    assert "4 rader kontrollerade." in _verify()  # links alone cannot see a missing tail
    message, _ = _failure("--anchor", f"{head_id}:{head_hash}")
    assert f"rad {head_id}: raden saknas i loggen" in message


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
    fourth = ids()[3]
    prev_hash, stripe = AuditEvent.objects.values_list("prev_hash", "stripe").get(id=fourth)
    tamper("DELETE FROM audit_auditevent WHERE id < %s", [fourth])  # rows past retention, archived first
    assert f"plats 1–3 i kedja {stripe} saknas" in _failure()[0]
    assert "3 rader kontrollerade." in _verify("--start", f"{stripe}:4:{prev_hash}")
    assert f"rad {fourth}:" in _failure("--start", f"{stripe}:4:{'0' * 64}")[0]
    assert "KEDJA:PLATS:PREV_HASH" in _failure("--start", "4")[0]
    twice = _failure("--start", f"{stripe}:4:{prev_hash}", "--start", f"{stripe}:5:{prev_hash}")[0]
    assert f"kedja {stripe} två gånger" in twice


def _write_checkpoint() -> None:
    call_command("audit_checkpoint", stdout=StringIO())


def test_it_catches_the_newest_rows_removed_after_a_checkpoint_without_an_anchor(db, rows):
    rows(6)
    _write_checkpoint()
    written = ids()
    tamper("DELETE FROM audit_auditevent WHERE id > %s", [written[3]])

    message, output = _failure()

    assert "4 rader kontrollerade." in output
    assert "stämmer inte med kontrollpunkten" in message
    assert f"rad {written[5]}: raden saknas: kedja {only_stripe()} slutar vid rad {written[3]}" in message


def test_it_catches_a_rewritten_head_against_the_checkpoint(db, rows):
    rows(4)
    _write_checkpoint()
    fourth = ids()[3]
    row = AuditEvent.objects.filter(id=fourth).values(*audit.CHAINED_FIELDS, "prev_hash").get()
    forged = {**row, "username": "någon annan"}
    tamper(
        "UPDATE audit_auditevent SET username = %s, hash = %s WHERE id = %s",
        [forged["username"], audit.row_digest(row["prev_hash"], forged), fourth],
    )

    message, _ = _failure()

    assert "stämmer inte med kontrollpunkten" in message
    assert f"rad {fourth}: raden har inte den hash som sparades utanför databasen" in message


def test_it_passes_and_names_the_checkpoint_when_the_log_holds_it(db, rows):
    rows(3)
    _write_checkpoint()
    rows(2)  # rows after the checkpoint are fine

    output = _verify()

    written = ids()
    assert "Kontrollerar mot kontrollpunkten från" in output
    assert f"(3 rader, senaste rad {written[2]})" in output
    assert f"Senaste rad: {written[4]}" in output


def test_it_rejects_a_checkpoint_signed_with_another_key(db, rows, settings):
    rows(5)
    third = AuditEvent.objects.get(id=ids()[2])
    forged = checkpoint.Checkpoint((audit.Head(third.stripe, 3, third.id, third.hash),), 3, timezone.now())
    settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.write_text(checkpoint.encode(forged, "någon annans nyckel") + "\n")

    message, _ = _failure()

    assert "Rad 1 i kontrollpunktsfilen" in message
    assert "signaturen stämmer inte med SAMPLAN_AUDIT_CHECKPOINT_KEY" in message


def test_it_rejects_a_checkpoint_whose_head_was_edited_after_signing(db, rows, settings):
    rows(5)
    _write_checkpoint()
    path = settings.SAMPLAN_AUDIT_CHECKPOINT_FILE
    line = json.loads(path.read_text())
    third = AuditEvent.objects.get(id=ids()[2])
    line.update(heads=[[third.stripe, 3, third.id, third.hash]], rows=3)  # moved back to hide rows 4 and 5
    path.write_text(path.read_text() + json.dumps(line) + "\n")

    message, _ = _failure()

    assert "Rad 2 i kontrollpunktsfilen" in message
    assert "signaturen stämmer inte" in message


@pytest.mark.parametrize(
    ("line", "reason"),
    [("{inte json", "inte giltig JSON"), ('{"id": 3}', "inte fälten"), ("[1, 2]", "inte fälten")],
)
def test_it_rejects_a_malformed_checkpoint_line(db, rows, settings, line, reason):
    rows(2)
    _write_checkpoint()
    path = settings.SAMPLAN_AUDIT_CHECKPOINT_FILE
    path.write_text(path.read_text() + line + "\n")

    message, _ = _failure()

    assert "Rad 2 i kontrollpunktsfilen" in message
    assert reason in message


def test_it_warns_but_passes_when_no_checkpoint_has_been_written_yet(db, rows):
    rows(2)
    warnings = StringIO()

    output = _verify(stderr=warnings)

    assert "Kedjorna är hela." in output
    assert "Ingen kontrollpunkt finns ännu" in warnings.getvalue()


def test_it_fails_without_a_checkpoint_in_production(db, rows, settings):
    rows(2)
    settings.PRODUCTION = True

    message, _ = _failure()

    assert "Det finns ingen kontrollpunkt att kontrollera mot" in message
    assert "audit_checkpoint" in message


def test_it_skips_the_checkpoint_only_when_told_to(db, rows, settings):
    rows(4)
    _write_checkpoint()
    tamper("DELETE FROM audit_auditevent WHERE id > %s", [ids()[1]])
    warnings = StringIO()

    output = _verify("--no-checkpoint", stderr=warnings)

    assert "2 rader kontrollerade." in output
    assert "utan kontrollpunkt" in warnings.getvalue()
    assert "kan inte kombineras" in _failure("--no-checkpoint", "--checkpoint-before", "2025-11-20 02:00")[0]


def test_it_checks_both_an_anchor_and_the_checkpoint(db, rows):
    rows(3)
    _write_checkpoint()
    rows(2)
    head_id, head_hash = audit.head()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [head_id])

    message, _ = _failure("--anchor", f"{head_id}:{head_hash}")

    assert f"Loggkedjan är bruten vid rad {head_id}" in message  # the checkpoint (row 3) holds; the anchor does not


def test_it_verifies_a_restored_copy_against_the_checkpoint_before_the_backup(db, rows, settings):
    rows(3)
    _write_checkpoint()
    backup_taken = timezone.now() + timedelta(minutes=1)
    rows(3)
    path = settings.SAMPLAN_AUDIT_CHECKPOINT_FILE
    later = checkpoint.Checkpoint(tuple(audit.heads()), 6, backup_taken + timedelta(hours=1))
    with path.open("a") as file:
        file.write(checkpoint.encode(later, settings.SAMPLAN_AUDIT_CHECKPOINT_KEYS[0]) + "\n")
    written = ids()
    tamper("DELETE FROM audit_auditevent WHERE id > %s", [written[2]])  # the restored backup ends at row 3

    assert f"rad {written[5]}: raden saknas" in _failure()[0]  # the latest checkpoint is after the backup
    before = timezone.localtime(backup_taken).strftime("%Y-%m-%d %H:%M")
    output = _verify("--checkpoint-before", before)
    assert f"(3 rader, senaste rad {written[2]})" in output
    too_early = timezone.localtime(backup_taken - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    assert "som skrevs före" in _failure("--checkpoint-before", too_early)[0]
    assert "ÅÅÅÅ-MM-DD" in _failure("--checkpoint-before", "i går")[0]


def test_it_reads_checkpoints_from_a_file_named_on_the_command_line(db, rows, settings, tmp_path):
    rows(3)
    _write_checkpoint()
    collected = tmp_path / "from-the-log-server.jsonl"
    collected.write_text(settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.read_text())
    settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.unlink()

    assert f"(3 rader, senaste rad {ids()[2]})" in _verify("--checkpoint-file", str(collected))
    assert "Det finns ingen kontrollpunkt" in _failure("--checkpoint-file", str(tmp_path / "saknas.jsonl"))[0]

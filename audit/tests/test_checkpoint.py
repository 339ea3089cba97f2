"""manage.py audit_checkpoint: a signed line with the chains' heads, outside the database, only when one moved."""

from __future__ import annotations

import json
import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit import checkpoint
from audit import log as audit
from audit.models import AuditEvent
from audit.tests.conftest import ids, only_stripe, tamper


def _checkpoint(*args: str) -> str:
    out = StringIO()
    call_command("audit_checkpoint", *args, stdout=out)
    return out.getvalue()


def _lines(settings) -> list[dict]:
    path = settings.SAMPLAN_AUDIT_CHECKPOINT_FILE
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_it_appends_a_signed_line_with_the_head_and_the_row_count(db, rows, settings):
    rows(4)
    head_id, head_hash = audit.head()
    stripe = only_stripe()

    output = _checkpoint()

    [line] = _lines(settings)
    assert (line["heads"], line["rows"], line["after_restore"]) == ([[stripe, 4, head_id, head_hash]], 4, False)
    assert f"1 kedjor, senaste rad {head_id}, 4 rader" in output
    saved = checkpoint.latest(settings.SAMPLAN_AUDIT_CHECKPOINT_FILE)
    assert saved.anchors == [audit.Anchor(head_id, head_hash, stripe)]


def test_it_writes_nothing_while_the_head_has_not_moved(db, rows, settings):
    rows(2)
    _checkpoint()

    output = _checkpoint()

    assert "ingen ny skrevs" in output
    assert len(_lines(settings)) == 1


def test_it_writes_a_new_line_when_the_log_has_grown(db, rows, settings):
    rows(2)
    _checkpoint()
    rows(3)

    _checkpoint()

    assert [(line["heads"][0][1], line["rows"]) for line in _lines(settings)] == [(2, 2), (5, 5)]


def test_it_checkpoints_an_empty_log_once(db, settings):
    _checkpoint()
    _checkpoint()
    assert [(line["heads"], line["rows"]) for line in _lines(settings)] == [([], 0)]


def test_it_never_changes_the_audit_table(db, rows):
    rows(3)
    before = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
    _checkpoint()
    _checkpoint()
    assert list(AuditEvent.objects.order_by("id").values_list("id", "hash")) == before


def test_it_refuses_to_bless_a_log_whose_newest_rows_were_removed(db, rows, settings):
    rows(5)
    _checkpoint()
    written = ids()
    tamper("DELETE FROM audit_auditevent WHERE id > %s", [written[2]])
    rows(1)  # the log grows again from row 3, so the head has moved

    with pytest.raises(CommandError) as excinfo:
        _checkpoint()

    assert f"inte längre rad {written[4]}" in str(excinfo.value)
    assert "--after-restore" in str(excinfo.value)
    assert len(_lines(settings)) == 1


def test_it_starts_from_the_current_head_after_a_restore(db, rows, settings):
    rows(5)
    _checkpoint()
    written = ids()
    tamper("DELETE FROM audit_auditevent WHERE id > %s", [written[2]])  # as a restore to an older backup does

    _checkpoint("--after-restore")

    lines = _lines(settings)
    assert [(line["heads"][0][2], line["after_restore"]) for line in lines] == [(written[4], False), (written[2], True)]
    rows(1)
    _checkpoint()
    assert _lines(settings)[-1]["heads"][0][1] == 4


def test_it_refuses_to_write_after_a_line_it_cannot_trust(db, rows, settings):
    rows(2)
    settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.write_text("inte json\n")

    with pytest.raises(CommandError, match=r"Rad 1 i kontrollpunktsfilen .* inte giltig JSON"):
        _checkpoint()


def test_it_sends_a_copy_to_syslog(db, rows, settings):
    rows(2)
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    settings.SAMPLAN_AUDIT_CHECKPOINT_SYSLOG = (receiver.getsockname(), "udp")
    try:
        _checkpoint()
        message = receiver.recv(4096).decode()
    finally:
        receiver.close()

    assert checkpoint.SYSLOG_IDENT in message
    sent = message.split(checkpoint.SYSLOG_IDENT, 1)[1].rstrip("\x00")
    assert sent == settings.SAMPLAN_AUDIT_CHECKPOINT_FILE.read_text().strip()


def test_it_reports_a_syslog_server_that_cannot_be_reached(db, rows, settings):
    rows(1)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    address = listener.getsockname()
    listener.close()  # nothing listens there now
    settings.SAMPLAN_AUDIT_CHECKPOINT_SYSLOG = (address, "tcp")

    with pytest.raises(CommandError):
        _checkpoint()


def test_it_runs_from_run_due_tasks_once_per_move_of_the_head(db, rows, settings):
    rows(3)
    out = StringIO()

    call_command("run_due_tasks", "--only", "audit_checkpoint", stdout=out)
    call_command("run_due_tasks", "--only", "audit_checkpoint", stdout=out)

    head_id = ids()[2]
    assert f"audit_checkpoint: kontrollpunkt skriven vid rad {head_id} (3 rader)." in out.getvalue()
    assert "audit_checkpoint: loggen har inte vuxit; ingen ny kontrollpunkt." in out.getvalue()
    assert [line["heads"][0][2] for line in _lines(settings)] == [head_id]

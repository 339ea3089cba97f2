"""The outbox: a service writes the notification with its work, the request never talks to the SMTP server, and
`run_due_tasks` (or a background attempt after the commit) delivers each message once, retrying what failed."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEvent
from notifications import services
from notifications.models import Notification
from plans.tests.setup import add_action, send, start
from testsupport.cast import sign_in


class _SilentServer:
    """A TCP server that accepts connections and never says a word: an SMTP server that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _address = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def hanging_smtp(settings, smtp):
    """Point e-mail at a server that hangs; the fixture's real server (`smtp`) stays ready for later."""
    server = _SilentServer()
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 3
    yield server
    server.close()


@pytest.fixture
def plan(family):
    plan = start(family)
    add_action(family, plan)
    return plan


def _run_due_tasks() -> None:
    call_command("run_due_tasks", "--only", "notifications_send", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_service_writes_the_outbox_rows_with_its_work_and_sends_nothing(family, plan, smtp):
    send(family, plan)
    rows = Notification.objects.filter(kind="plan_waiting")
    assert rows.count() == 2
    assert {row.status for row in rows} == {Notification.Status.QUEUED}
    assert {row.attempts for row in rows} == {0}
    assert smtp.messages == []
    assert not AuditEvent.objects.filter(record_type="Notification").exists()  # audited when sent


def test_work_that_rolls_back_leaves_no_outbox_row(family, plan, smtp):
    with pytest.raises(RuntimeError), transaction.atomic():
        send(family, plan)
        raise RuntimeError("the user's work failed")
    assert not Notification.objects.exists()


def test_a_request_with_the_smtp_server_hanging_returns_at_once_and_the_task_delivers_later(
    client, family, plan, hanging_smtp, smtp, settings, django_capture_on_commit_callbacks
):
    sign_in(client, family.named_person)
    url = reverse("plans:send", kwargs={"child_id": plan.child_id, "plan_id": plan.pk})
    began = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    took = time.monotonic() - began
    assert response.status_code == 302
    assert took < settings.EMAIL_TIMEOUT  # the request never waited for the SMTP server
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.QUEUED}

    _run_due_tasks()  # the server still hangs: each send times out, is recorded as failed, and audited
    rows = Notification.objects.filter(kind="plan_waiting")
    assert {(row.status, row.attempts) for row in rows} == {(Notification.Status.FAILED, 1)}
    failed = AuditEvent.objects.filter(record_type="Notification", reason="E-post: Kunde inte skickas")
    assert failed.count() == 2

    settings.EMAIL_PORT = smtp.port  # the server is back: the next run delivers each message once
    _run_due_tasks()
    assert {(row.status, row.attempts) for row in rows.all()} == {(Notification.Status.SENT, 2)}
    assert sorted(to for recipients, _raw in smtp.messages for to in recipients) == [
        "co_guardian@example.invalid",
        "guardian@example.invalid",
    ]
    _run_due_tasks()
    assert len(smtp.messages) == 2  # never twice
    assert AuditEvent.objects.filter(record_type="Notification", reason="E-post: Skickad").count() == 2


def test_a_failed_send_is_tried_at_most_three_times(family, plan, settings, smtp):
    settings.EMAIL_PORT = 1  # nothing listens there
    send(family, plan)
    for _run in range(5):
        _run_due_tasks()
    rows = Notification.objects.filter(kind="plan_waiting")
    assert {(row.status, row.attempts) for row in rows} == {(Notification.Status.FAILED, services.MAX_ATTEMPTS)}
    assert smtp.messages == []


def test_a_row_being_sent_elsewhere_is_skipped(family, plan, smtp):
    send(family, plan)
    row = Notification.objects.filter(kind="plan_waiting").first()
    Notification.objects.filter(pk=row.pk).update(status=Notification.Status.SENT, attempts=1)
    assert services.notifications_deliver() == 1  # only the other one
    assert services.notifications_deliver() == 0
    assert len(smtp.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_the_background_attempt_delivers_after_the_commit_without_holding_up_the_request(
    client, family, plan, hanging_smtp, smtp, settings
):
    settings.SAMPLAN_NOTIFY_IN_BACKGROUND = True
    sign_in(client, family.named_person)
    url = reverse("plans:send", kwargs={"child_id": plan.child_id, "plan_id": plan.pk})
    began = time.monotonic()
    response = client.post(url)  # committed for real: the background thread starts and meets the hanging server
    assert response.status_code == 302
    assert time.monotonic() - began < settings.EMAIL_TIMEOUT
    _wait_for(lambda: not Notification.objects.filter(status=Notification.Status.QUEUED).exists())
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.FAILED}

    settings.EMAIL_PORT = smtp.port
    _run_due_tasks()
    assert len(smtp.messages) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the background attempt did not finish"
        time.sleep(0.1)

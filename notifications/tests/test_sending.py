"""Sending: through a real SMTP server, once per event and recipient, by the chosen channel, each send audited."""

from __future__ import annotations

import email
from email import policy as email_policy

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from notifications import services
from notifications.events import Event
from notifications.models import Channel, Kind, Notification, Preference
from people.models import ContactDetails
from plans.tests.setup import add_action, send, start
from sharing import policy


@pytest.fixture
def plan(family):
    plan = start(family)
    add_action(family, plan)
    return plan


def _bodies(inbox) -> dict[str, str]:
    """Return each recipient's message text, decoded."""
    out = {}
    for recipients, raw in inbox.messages:
        message = email.message_from_string(raw, policy=email_policy.default)
        for recipient in recipients:
            out[recipient] = message["Subject"] + "\n" + message.get_body(("plain",)).get_content()
    return out


def test_it_mails_each_custodial_guardian_once_when_a_plan_is_sent(
    family, plan, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(family, plan)
    services.notifications_deliver()  # what run_due_tasks does: the request only queued them
    bodies = _bodies(smtp)
    assert set(bodies) == {"guardian@example.invalid", "co_guardian@example.invalid"}  # not the parent without custody
    body = bodies["guardian@example.invalid"]
    assert "En plan väntar på ditt svar" in body
    assert f"http://localhost:8000/familj/barn/{plan.child_id}/plan/" in body
    assert "Alva" not in body and "Andersson" not in body
    call_command("run_due_tasks", "--only", "notifications_send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(smtp.messages) == 2  # the task finds the same event and sends nothing again


def test_it_audits_each_send_without_any_content(family, plan, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(family, plan)
    services.notifications_deliver()  # what run_due_tasks does: the request only queued them
    rows = AuditEvent.objects.filter(target="notification:plan_waiting")
    assert rows.count() == 2
    row = rows.first()
    assert (row.action, row.basis, row.child_id, row.record_type) == (
        "create",
        "notification",
        plan.child_id,
        "Notification",
    )
    assert row.reason == "E-post: Skickad"
    assert str(policy.basis_label(row.basis)) == "Avisering om att något väntar"


def test_it_sends_nothing_when_the_user_turned_the_kind_off(family, plan, smtp, django_capture_on_commit_callbacks):
    Preference.objects.create(user=family.guardian_user, kind=Kind.PLAN_WAITING, channel=Channel.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        send(family, plan)
    services.notifications_deliver()  # what run_due_tasks does: the request only queued them
    assert set(_bodies(smtp)) == {"co_guardian@example.invalid"}
    row = Notification.objects.get(user=family.guardian_user)
    assert (row.status, row.sent_at) == (Notification.Status.OFF, None)


def test_it_texts_the_guardian_who_chose_sms(family, plan, smtp, sms_sent, django_capture_on_commit_callbacks):
    Preference.objects.create(user=family.co_guardian_user, kind=Kind.PLAN_WAITING, channel=Channel.SMS)
    ContactDetails.objects.filter(guardian=family.co_guardian).update(phone="070-1740605")
    with django_capture_on_commit_callbacks(execute=True):
        send(family, plan)
    services.notifications_deliver()  # what run_due_tasks does: the request only queued them
    assert [number for number, _ in sms_sent] == ["070-1740605"]
    assert sms_sent[0][1].startswith("Samplan: En plan väntar på ditt svar. Logga in: http://localhost:8000/")
    assert set(_bodies(smtp)) == {"guardian@example.invalid"}


def test_it_records_a_missing_address_and_sends_nothing(family, plan, smtp, django_capture_on_commit_callbacks):
    family.guardian_user.email = ""
    family.guardian_user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        send(family, plan)
    services.notifications_deliver()  # what run_due_tasks does: the request only queued them
    assert Notification.objects.get(user=family.guardian_user).status == Notification.Status.NO_ADDRESS


def test_it_retries_a_send_that_failed_and_never_sends_twice(family, settings, smtp):
    settings.EMAIL_PORT = 1  # nothing listens there: the SMTP server is down
    event = Event(Kind.REVIEW_DUE, "reminder:1", family.named_person.pk, family.child.pk, "/planer/paminnelser/")
    row = services.notification_send(event)
    assert (row.status, row.attempts) == (Notification.Status.FAILED, 1)
    assert services.notification_send(event) is None  # the same event again: refused by the unique key
    settings.EMAIL_PORT = smtp.port  # the server is back
    assert services.notifications_retry() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.SENT, 2)
    assert services.notifications_retry() == 0
    assert len(smtp.messages) == 1
    assert AuditEvent.objects.filter(record_type="Notification", record_id=str(row.pk)).count() == 2

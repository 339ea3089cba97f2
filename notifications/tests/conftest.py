"""A real SMTP server on localhost (aiosmtpd) for the notification tests, and the family's e-mail addresses."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller

from notifications.sms import LoggingSmsProvider


class _Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def _smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def smtp(_smtp_server, settings):
    """Send e-mail through Django's SMTP backend to the local server; return its inbox, emptied."""
    controller, inbox = _smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    inbox.messages.clear()
    inbox.port = controller.port
    return inbox


@pytest.fixture
def sms_sent():
    LoggingSmsProvider.sent.clear()
    return LoggingSmsProvider.sent


@pytest.fixture
def family(cast):
    """Give the family and staff logins e-mail addresses (the test cast has none)."""
    for user in (cast.guardian_user, cast.co_guardian_user, cast.noncustodial_user, cast.named_person, cast.manager):
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])
    return cast

"""SMS through a provider interface; the demo's provider only writes a log line.

A real provider is a class with `send(number, text)` named by SAMPLAN_SMS_PROVIDER (a dotted path).
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("samplan.notifications.sms")


class SmsProvider(Protocol):
    def send(self, number: str, text: str) -> None:
        """Send one text message; raise on failure."""


class LoggingSmsProvider:
    """Write the message to the log instead of sending it (demo and development); the number is masked."""

    sent: list[tuple[str, str]] = []  # kept for tests and the demo, newest last

    def send(self, number: str, text: str) -> None:
        masked = "*" * max(len(number) - 2, 0) + number[-2:]
        logger.info("SMS to %s: %s", masked, text)
        LoggingSmsProvider.sent.append((number, text))
        del LoggingSmsProvider.sent[:-100]


def provider() -> SmsProvider:
    """Return the configured SMS provider."""
    return import_string(settings.SAMPLAN_SMS_PROVIDER)()
